import { execFileSync } from 'node:child_process';

/** RubyGems' own view of the gems installed in an image: every spec it loads, and from where. */

export interface LoadedGem {
  /** Image-relative path of the gemspec it was loaded from. */
  path: string;
  name: string;
  version: string;
  licenses: string[];
}

const SCRIPT =
  'Gem::Specification.each { |s| puts [s.loaded_from.delete_prefix("/"), s.name, s.version, s.licenses.join("|")].join("\\t") }';

export function loadedGems(image: string): LoadedGem[] {
  const out = execFileSync('docker', ['run', '--rm', '--network=none', image, 'ruby', '-e', SCRIPT], {
    encoding: 'utf8',
  });
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const [path, name, version, licenses] = line.split('\t') as [string, string, string, string?];
      return { path, name, version, licenses: licenses ? licenses.split('|') : [] };
    });
}
