import { describe, expect, it } from 'vitest';
import { parseDepPath } from '../../../../src/inventory/lang/npm/pnpmDepPath.js';
import { parsePnpmLock } from '../../../../src/inventory/lang/npm/pnpmLock.js';

const summary = (source: string) =>
  parsePnpmLock(source, 'pnpm-lock.yaml')
    .packages.map((p) => `${p.name}@${p.version}${p.dev ? ' dev' : ''}`)
    .sort();

describe('pnpm dependency paths', () => {
  it.each([
    ['/lodash/4.17.21', 5.4, 'lodash', '4.17.21'],
    ['/@babel/core/7.21.8_supports-color@5.5.0', 5.3, '@babel/core', '7.21.8'],
    ['registry.example.com/lodash.merge/4.6.2', 5.4, 'lodash.merge', '4.6.2'],
    ['/@babel/core@7.21.8(@babel/helper@7.0.0)(x@1.0.0)', 6.0, '@babel/core', '7.21.8'],
    ['/ms@2.1.3', 6.1, 'ms', '2.1.3'],
    ['@babel/core@7.21.8(@babel/helper@7.0.0)', 9.0, '@babel/core', '7.21.8'],
    ['left-pad@1.3.0', 9.0, 'left-pad', '1.3.0'],
  ])('%s (v%s)', (key, major, name, version) => {
    expect(parseDepPath(key, major)).toEqual({ name, version });
  });

  it.each([
    ['lodash', 5.4],
    ['/lodash', 5.4],
    ['/@scope/4.0.0', 5.4],
    ['/lodash', 6.0],
    ['lodash', 9.0],
  ])('rejects %s (v%s)', (key, major) => expect(parseDepPath(key, major)).toBeUndefined());
});

describe('pnpm-lock.yaml', () => {
  it('v5/v6: takes dev from the dev flag, and name/version fields over the key', () => {
    expect(
      summary(`lockfileVersion: 5.4
packages:
  /a/1.0.0:
    dev: false
  /b/2.0.0:
    dev: true
  /c/3.0.0: {}
  github.com/user/repo/abcdef:
    name: from-git
    version: 0.1.0
    dev: false
  file:libs/local:
    resolution: {directory: libs/local, type: directory}
    name: local
    version: 1.0.0
`),
    ).toEqual(['a@1.0.0', 'b@2.0.0 dev', 'c@3.0.0', 'from-git@0.1.0']);
  });

  it('v9: a package is dev only when nothing but devDependencies reaches it (cycles, aliases, peers)', () => {
    expect(
      summary(`lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      a: {specifier: ^1, version: 1.0.0}
      al: {specifier: npm:real@2, version: real@2.0.0}
      ws: {specifier: workspace:*, version: link:packages/ws}
    devDependencies:
      t: {specifier: ^1, version: 1.0.0(a@1.0.0)}
  packages/ws:
    optionalDependencies:
      o: {specifier: ^1, version: 1.0.0}
packages:
  a@1.0.0: {resolution: {integrity: x}}
  real@2.0.0: {resolution: {integrity: x}}
  t@1.0.0: {resolution: {integrity: x}}
  shared@1.0.0: {resolution: {integrity: x}}
  devonly@1.0.0: {resolution: {integrity: x}}
  o@1.0.0: {resolution: {integrity: x}}
  cyc@1.0.0: {resolution: {integrity: x}}
  unreached@1.0.0: {resolution: {integrity: x}}
snapshots:
  a@1.0.0:
    dependencies: {shared: 1.0.0}
  real@2.0.0: {}
  t@1.0.0(a@1.0.0):
    dependencies: {shared: 1.0.0, devonly: 1.0.0, a: 1.0.0}
  shared@1.0.0: {}
  devonly@1.0.0:
    dependencies: {cyc: 1.0.0}
  cyc@1.0.0:
    dependencies: {devonly: 1.0.0}
  o@1.0.0: {}
  unreached@1.0.0: {}
`),
    ).toEqual([
      'a@1.0.0',
      'cyc@1.0.0 dev',
      'devonly@1.0.0 dev',
      'o@1.0.0',
      'real@2.0.0',
      'shared@1.0.0',
      't@1.0.0 dev',
      'unreached@1.0.0',
    ]);
  });

  it("reads the project's document when pnpm puts its own lockfile first", () => {
    expect(
      summary(`---
lockfileVersion: '9.0'
importers:
  .:
    packageManagerDependencies:
      pnpm: {specifier: ^10, version: 10.0.0}
packages:
  pnpm@10.0.0: {resolution: {integrity: x}}
---
lockfileVersion: '9.0'
packages:
  is-even@1.0.0: {resolution: {integrity: x}}
`),
    ).toEqual(['is-even@1.0.0']);
  });

  it('rejects files that are not pnpm lockfiles, and warns about unreadable keys', () => {
    expect(() => parsePnpmLock('packages: {}\n', 'pnpm-lock.yaml')).toThrow(
      'pnpm-lock.yaml: no lockfileVersion: not a pnpm lockfile',
    );
    expect(() => parsePnpmLock("lockfileVersion: 'next'\n", 'pnpm-lock.yaml')).toThrow(
      'unknown lockfileVersion next',
    );
    expect(() => parsePnpmLock('', 'pnpm-lock.yaml')).toThrow('no lockfileVersion');
    expect(
      parsePnpmLock("lockfileVersion: '6.0'\npackages:\n  /nover: {}\n", 'pnpm-lock.yaml').warnings,
    ).toEqual(['cannot read a package name and version from "/nover"; skipped']);
  });

  it('stops YAML alias bombs', () => {
    const bomb = `lockfileVersion: '9.0'\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n`;
    expect(() => parsePnpmLock(bomb, 'pnpm-lock.yaml')).toThrow(/^pnpm-lock\.yaml: invalid YAML: /);
  });
});
