import { execFileSync } from 'node:child_process';

/** Python's own view of the distributions installed in an image: importlib.metadata. */

export interface Distribution {
  name: string;
  version: string;
  /** Image-relative path of its METADATA / PKG-INFO / .egg-info file. */
  path: string;
  expression: string | null;
  license: string | null;
  classifiers: string[];
}

const SCRIPT = (site: string) => `
import importlib.metadata as m, json, os
out = []
for d in m.distributions(path=[${JSON.stringify(site)}]):
    p = str(d._path)
    if os.path.isdir(p):
        p = os.path.join(p, 'METADATA' if p.endswith('.dist-info') else 'PKG-INFO')
    md = d.metadata
    out.append({'name': md['Name'], 'version': d.version, 'path': p.lstrip('/'),
                'expression': md.get('License-Expression'), 'license': md.get('License'),
                'classifiers': md.get_all('Classifier') or []})
print(json.dumps(out))
`;

export function importlibDistributions(
  image: string,
  site = '/usr/lib/python3/dist-packages',
): Distribution[] {
  const out = execFileSync(
    'docker',
    ['run', '--rm', '--network=none', image, 'python3', '-c', SCRIPT(site)],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out) as Distribution[];
}

/** The licenses the analyzer promises, computed from the fields as Python's email parser read them. */
export function expectedLicenses(d: Distribution): string[] | undefined {
  if (d.expression) return [d.expression];
  const license = d.license?.trim();
  if (license && license !== 'UNKNOWN' && !license.includes('\n') && license.length <= 100) return [license];
  const fromClassifiers = d.classifiers
    .map((c) => c.split('::').map((s) => s.trim()))
    .filter(
      (parts) => parts[0] === 'License' && parts.length > 1 && parts.join(' ') !== 'License OSI Approved',
    )
    .map((parts) => parts.at(-1)!);
  return fromClassifiers.length > 0 ? [...new Set(fromClassifiers)] : undefined;
}
