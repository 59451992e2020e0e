import type { FoundPackage, ParseResult } from '../fileAnalyzer.js';
import { isRequirements } from './paths.js';

/**
 * A pip requirements file. Only exact pins (`==`, `===`, no wildcard) name an installed
 * version, so only they are listed; the rest are counted in one warning. Handled as pip reads
 * them: `\` line continuations, `#` comments (at line start or after whitespace), extras,
 * environment markers, per-requirement options such as `--hash`. Editable, URL and path
 * requirements name no version and are left out. A `-r` include whose file is not itself
 * named like a requirements file is noted, because it will not be scanned on its own.
 */
export function parseRequirements(source: string): ParseResult {
  const packages: FoundPackage[] = [];
  const warnings: string[] = [];
  const unpinned: string[] = [];
  for (const { text, line } of logicalLines(source)) {
    const content = withoutComment(text).trim();
    if (content === '') continue;
    if (content.startsWith('-')) {
      const include = /^(?:-r|--requirement)(?:\s*=\s*|\s+)(\S+)/.exec(content)?.[1];
      if (include && !isRequirements(include))
        warnings.push(
          `line ${line}: includes ${include}, which is not scanned (not named like a requirements file)`,
        );
      continue;
    }
    const requirement = parseRequirement(content);
    if (!requirement) continue;
    if (requirement.version) packages.push({ name: requirement.name, version: requirement.version });
    else unpinned.push(requirement.name);
  }
  if (unpinned.length > 0) {
    const names = unpinned.slice(0, 5).join(', ') + (unpinned.length > 5 ? ', ...' : '');
    warnings.push(`${unpinned.length} requirement(s) without an exact == version not listed: ${names}`);
  }
  return { packages, warnings };
}

function* logicalLines(source: string): Generator<{ text: string; line: number }> {
  const lines = source.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i]!;
    while (text.endsWith('\\') && i + 1 < lines.length) text = text.slice(0, -1) + lines[++i]!;
    yield { text: text.endsWith('\\') ? text.slice(0, -1) : text, line: start + 1 };
  }
}

function withoutComment(line: string): string {
  const hash = /(?:^|\s)#/.exec(line);
  return hash ? line.slice(0, hash.index) : line;
}

/** PEP 508 names: letters and digits, with . _ - inside. */
const REQUIREMENT = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*)$/;

/** A URL, a path or an archive file instead of a name. */
const LOCATION =
  /^[A-Za-z][A-Za-z0-9+.-]*:\/\/|^[./~]|\/|\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|tar\.xz)(?:$|[\s;#])/;

function parseRequirement(content: string): { name: string; version?: string } | undefined {
  // Per-requirement options ("--hash=sha256:...") follow the requirement after whitespace.
  const requirement = content.split(/\s+--?[A-Za-z]/)[0]!;
  if (LOCATION.test(requirement)) return undefined;
  const match = REQUIREMENT.exec(requirement);
  if (!match) return undefined;
  const [, name, rest] = match as unknown as [string, string, string];
  const specifiers = rest.split(';')[0]!.trim();
  if (specifiers.startsWith('@')) return undefined;
  return { name, version: exactPin(specifiers) };
}

function exactPin(specifiers: string): string | undefined {
  for (const clause of specifiers.replace(/^\((.*)\)$/, '$1').split(',')) {
    const pin = /^\s*===?\s*([^\s,;*]+)\s*$/.exec(clause)?.[1];
    if (pin) return pin;
  }
  return undefined;
}
