import { describe, expect, it } from 'vitest';
import { npmPackageAnalyzer } from '../../../../src/inventory/lang/npm/analyzers.js';
import { parseInstalledPackageJson } from '../../../../src/inventory/lang/npm/packageJson.js';
import { memoryInput } from '../analyze.js';

const parse = (manifest: unknown) => parseInstalledPackageJson(JSON.stringify(manifest), 'p.json').packages;

describe('installed package.json', () => {
  it('reads name, version and the license string', () => {
    expect(parse({ name: '@s/a', version: '1.0.0', license: 'MIT OR Apache-2.0' })).toEqual([
      { name: '@s/a', version: '1.0.0', licenses: ['MIT OR Apache-2.0'] },
    ]);
  });

  it('reads the legacy license object and licenses array forms', () => {
    expect(parse({ name: 'a', version: '1', license: { type: 'BSD', url: 'x' } })[0]!.licenses).toEqual([
      'BSD',
    ]);
    expect(
      parse({ name: 'a', version: '1', licenses: [{ type: 'MIT' }, 'Apache-2.0', { url: 'no-type' }, 7] })[0]!
        .licenses,
    ).toEqual(['MIT', 'Apache-2.0']);
    expect(parse({ name: 'a', version: '1', licenses: { type: 'GPL-2.0' } })[0]!.licenses).toEqual([
      'GPL-2.0',
    ]);
  });

  it('yields nothing for a package.json that is not an installed package', () => {
    expect(parse({ name: 'fixture' })).toEqual([]);
    expect(parse({ version: '1.0.0' })).toEqual([]);
    expect(parse({ name: 'a', version: 3 })).toEqual([]);
  });

  it('turns a corrupt or oversized file into one warning', async () => {
    const path = 'node_modules/a/package.json';
    const corrupt = await npmPackageAnalyzer.analyze(memoryInput(path, '{"name": "a", "version":', 'image'));
    expect(corrupt?.packages ?? []).toEqual([]);
    expect(corrupt?.warnings).toHaveLength(1);
    expect(corrupt?.warnings?.[0]).toMatch(/^invalid JSON: /);
    const array = await npmPackageAnalyzer.analyze(memoryInput(path, '[1]', 'image'));
    expect(array?.warnings).toEqual(['package.json is not a JSON object']);
    const huge = await npmPackageAnalyzer.analyze(
      memoryInput(path, Buffer.alloc(5 * 1024 * 1024, 32), 'image'),
    );
    expect(huge?.warnings?.[0]).toMatch(/^skipped, 5242880 bytes is over/);
  });

  it('accepts a byte-order mark and fills what every package carries', async () => {
    const out = await npmPackageAnalyzer.analyze(
      memoryInput('node_modules/a/package.json', '\ufeff{"name":"a","version":"2.0.0"}', 'image'),
    );
    expect(out?.packages).toEqual([
      {
        name: 'a',
        version: '2.0.0',
        ecosystem: 'npm',
        purl: '',
        paths: ['node_modules/a/package.json'],
        analyzer: 'npm-package',
      },
    ]);
  });
});
