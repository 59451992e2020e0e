import type { FoundPackage, ParseResult } from '../fileAnalyzer.js';

/**
 * Gemfile.lock: the resolved gems are the `    name (version)` lines (four spaces) under
 * `specs:` in GEM and GIT sections; PATH sections are the user's own gems. As Bundler reads
 * it, a version ends at the first "-" and the rest is the platform ("1.15.4-x86_64-linux").
 * The lockfile does not record groups, so no dev flag.
 */
export function parseGemfileLock(source: string): ParseResult {
  const packages: FoundPackage[] = [];
  let section = '';
  let inSpecs = false;
  for (const line of source.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      section = line.trim();
      inSpecs = false;
    } else if (line === '  specs:') inSpecs = true;
    else if (inSpecs && (section === 'GEM' || section === 'GIT')) {
      const m = SPEC.exec(line);
      if (m) packages.push({ name: m[1]!, version: m[2]! });
    }
  }
  return { packages };
}

const SPEC = /^ {4}(?! )(\S+) \(([^-)\s]+)(?:-[^)]*)?\)$/;
