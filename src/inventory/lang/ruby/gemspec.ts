import { inputError } from '../../../util/errors.js';
import type { ParseResult } from '../fileAnalyzer.js';
import { rubyLiterals } from './rubyLiterals.js';

/**
 * An installed gem's specification as RubyGems writes it (Gem::Specification#to_ruby):
 * literal `s.name = "x".freeze`, `s.version = "1.0"`, `s.licenses = ["MIT".freeze]`
 * assignments, and a `# stub: NAME VERSION PLATFORM PATHS` line near the top. The Ruby is
 * read, never evaluated; a spec whose name or version is computed falls back to the stub line.
 */
export function parseGemspec(source: string, path: string): ParseResult {
  let name: string | undefined;
  let version: string | undefined;
  const licenses: string[] = [];
  let stub: string[] | undefined;
  for (const line of source.split(/\r?\n/)) {
    if (!stub && line.startsWith('# stub: ')) stub = line.slice('# stub: '.length).trim().split(/\s+/);
    const m = ASSIGNMENT.exec(line);
    if (!m) continue;
    const values = rubyLiterals(m[2]!);
    if (!values || values.length === 0) continue;
    if (m[1] === 'name') name ??= values[0];
    else if (m[1] === 'version') version ??= values[0];
    else for (const license of values) licenses.push(license);
  }
  name ??= stub?.[0];
  version ??= stub?.[1];
  if (!name || !version) throw inputError(path, 'gemspec without a literal name and version');
  return { packages: [{ name, version, licenses }] };
}

const ASSIGNMENT = /^\s*[a-z_]\w*\.(name|version|licenses?)\s*=\s*(.*)$/;
