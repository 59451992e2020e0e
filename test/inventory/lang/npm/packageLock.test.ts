import { describe, expect, it } from 'vitest';
import { npmLockAnalyzer } from '../../../../src/inventory/lang/npm/analyzers.js';
import { parsePackageLock } from '../../../../src/inventory/lang/npm/packageLock.js';
import { memoryInput } from '../analyze.js';

const parse = (lock: unknown) => parsePackageLock(JSON.stringify(lock), 'package-lock.json');

describe('package-lock.json', () => {
  it('v2/v3: reads node_modules keys, aliases and flags; leaves the project, workspaces and links out', () => {
    const result = parse({
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', version: '1.0.0' },
        'packages/ws': { name: 'ws', version: '0.1.0' },
        'node_modules/ws': { resolved: 'packages/ws', link: true },
        'node_modules/a': { version: '1.0.0', license: 'MIT' },
        'node_modules/a/node_modules/@s/b': { version: '2.0.0', dev: true },
        'node_modules/alias': { name: 'real', version: '3.0.0', licenses: [{ type: 'ISC' }] },
        'node_modules/opt': { version: '4.0.0', devOptional: true, optional: true },
        'packages/ws/node_modules/c': { version: '5.0.0' },
      },
    });
    expect(result.packages).toEqual([
      { name: 'a', version: '1.0.0', licenses: ['MIT'], dev: false },
      { name: '@s/b', version: '2.0.0', licenses: [], dev: true },
      { name: 'real', version: '3.0.0', licenses: ['ISC'], dev: false },
      { name: 'opt', version: '4.0.0', licenses: [], dev: false },
      { name: 'c', version: '5.0.0', licenses: [], dev: false },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('v2/v3: warns about an entry without a version', () => {
    expect(parse({ packages: { 'node_modules/x': {} } }).warnings).toEqual([
      '"node_modules/x" has no version; skipped',
    ]);
  });

  it('v1: walks the nested dependencies tree, resolving aliases and skipping local folders', () => {
    const result = parse({
      lockfileVersion: 1,
      dependencies: {
        a: { version: '1.0.0', dependencies: { b: { version: '2.0.0', dev: true } } },
        alias: { version: 'npm:@s/real@3.0.0' },
        local: { version: 'file:../local' },
        gitdep: { version: 'git+https://example.com/x.git#abc' },
        broken: { version: 'npm:nothing' },
      },
    });
    expect(result.packages.map((p) => `${p.name}@${p.version}${p.dev ? ' dev' : ''}`).sort()).toEqual([
      '@s/real@3.0.0',
      'a@1.0.0',
      'b@2.0.0 dev',
      'gitdep@git+https://example.com/x.git#abc',
    ]);
    expect(result.warnings).toEqual(['"broken" has no usable version; skipped']);
  });

  it('v1: a hostile nesting depth neither overflows the stack nor loops', () => {
    const depth = 200_000;
    const json = `{"dependencies":${'{"p":{"version":"1.0.0","dependencies":'.repeat(depth)}{}${'}}'.repeat(depth)}}`;
    const out = parsePackageLock(json, 'l.json');
    expect(out.packages).toHaveLength(depth);
  });

  it('merges duplicates: a package is dev only if every copy is', async () => {
    const lock = {
      packages: {
        'node_modules/a': { version: '1.0.0', dev: true },
        'node_modules/b/node_modules/a': { version: '1.0.0' },
        'node_modules/c': { version: '1.0.0', dev: true },
        'node_modules/d/node_modules/c': { version: '1.0.0', dev: true },
      },
    };
    const out = await npmLockAnalyzer.analyze(memoryInput('package-lock.json', JSON.stringify(lock)));
    expect(out?.packages?.map((p) => [p.name, p.dev])).toEqual([
      ['a', undefined],
      ['c', true],
    ]);
  });

  it('turns malformed JSON into a warning', async () => {
    const out = await npmLockAnalyzer.analyze(memoryInput('app/package-lock.json', '{"packages": {'));
    expect(out?.packages ?? []).toEqual([]);
    expect(out?.warnings?.[0]).toMatch(/^invalid JSON: /);
  });
});
