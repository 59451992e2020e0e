import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  pipRequirementsAnalyzer,
  pythonPackageAnalyzer,
} from '../../../../src/inventory/lang/python/analyzers.js';
import { needs } from '../../../helpers/components.js';
import { debianBase } from '../../../helpers/images.js';
import { analyzeTree, ids, memoryInput } from '../analyze.js';
import { type Distribution, expectedLicenses, importlibDistributions } from './oracle.js';

/**
 * Real dist-info and egg-info (directories and criu's plain egg-info file) from Debian's
 * python3-* packages, checked against Python's own importlib.metadata and `pip freeze`.
 */
const PACKAGES = ['python3-yaml', 'python3-six', 'python3-requests', 'python3-pip', 'python3-jwt', 'criu'];
const SITE = '/usr/lib/python3/dist-packages';

describe.skipIf(needs('docker', 'mmdebstrap'))('Python analyzers on Debian python3-* packages', () => {
  let tmp: string;
  let oracle: Distribution[];
  let freeze: string;

  beforeAll(() => {
    const image = debianBase(PACKAGES);
    tmp = mkdtempSync(join(tmpdir(), 'rf-py-'));
    const cid = execFileSync('docker', ['create', image, 'true'], { encoding: 'utf8' }).trim();
    try {
      execFileSync('docker', ['cp', `${cid}:${SITE}`, tmp]);
    } finally {
      execFileSync('docker', ['rm', cid], { stdio: 'ignore' });
    }
    const run = (args: string[]) =>
      execFileSync('docker', ['run', '--rm', '--network=none', image, ...args], { encoding: 'utf8' });
    oracle = importlibDistributions(image, SITE);
    freeze = run(['pip3', 'freeze', '--all', '--path', SITE]);
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('finds every distribution importlib.metadata finds, with its metadata file and licenses', async () => {
    const { packages, warnings } = await analyzeTree(
      [pythonPackageAnalyzer],
      join(tmp, 'dist-packages'),
      'image',
      SITE.slice(1),
    );
    expect(warnings).toEqual([]);
    expect(oracle.length).toBeGreaterThanOrEqual(14);
    expect(oracle.some((d) => d.path.endsWith('.egg-info'))).toBe(true);
    const found = packages.map((p) => `${p.paths[0]} ${p.name}@${p.version}`).sort();
    expect(found).toEqual(oracle.map((d) => `${d.path} ${d.name}@${d.version}`).sort());
    const byPath = new Map(packages.map((p) => [p.paths[0], p]));
    for (const d of oracle) expect(byPath.get(d.path)?.licenses, d.path).toEqual(expectedLicenses(d));
    expect(packages.every((p) => p.ecosystem === 'pypi' && p.analyzer === 'python-package')).toBe(true);
  });

  it('reads `pip freeze` output as a requirements file naming the same distributions', async () => {
    const out = await pipRequirementsAnalyzer.analyze(memoryInput('requirements.txt', freeze));
    expect(out?.warnings).toBeUndefined();
    expect(ids(out?.packages ?? [])).toEqual(ids(oracle));
  });
});
