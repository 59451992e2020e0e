import { describe, expect, it } from 'vitest';
import {
  isInstalledPackageJson,
  isPackageLock,
  isPnpmLock,
  isYarnLock,
} from '../../../../src/inventory/lang/npm/paths.js';

describe('npm path predicates', () => {
  it.each([
    'node_modules/ms/package.json',
    'app/node_modules/@scope/pkg/package.json',
    'usr/lib/node_modules/npm/node_modules/semver/package.json',
    'app/node_modules/a/node_modules/@s/b/node_modules/c/package.json',
    'app/node_modules/.pnpm/lodash@4.17.21/node_modules/lodash/package.json',
    'app/packages/ws/node_modules/ms/package.json',
    'app/.yarn/unplugged/esbuild-npm-0.19.0-abc/node_modules/esbuild/package.json',
  ])('installed: %s', (path) => expect(isInstalledPackageJson(path)).toBe(true));

  it.each([
    'package.json',
    'app/package.json',
    'app/packages/ws/package.json',
    'node_modules/package.json',
    'node_modules/@scope/package.json',
    'node_modules/.bin/package.json',
    'node_modules/.pnpm/node_modules/lodash/package.json',
    'node_modules/resolve/test/resolver/baz/package.json',
    'node_modules/resolve/test/fixtures/node_modules/fake/package.json',
    'node_modules/ms/lib/package.json',
    'node_modules/ms/package.json.bak',
  ])('not installed: %s', (path) => expect(isInstalledPackageJson(path)).toBe(false));

  it('takes lockfiles outside node_modules only', () => {
    expect(isPackageLock('app/package-lock.json')).toBe(true);
    expect(isPackageLock('npm-shrinkwrap.json')).toBe(true);
    expect(isPackageLock('node_modules/.package-lock.json')).toBe(false);
    expect(isPackageLock('node_modules/x/npm-shrinkwrap.json')).toBe(false);
    expect(isYarnLock('yarn.lock')).toBe(true);
    expect(isYarnLock('app/node_modules/x/yarn.lock')).toBe(false);
    expect(isPnpmLock('a/b/pnpm-lock.yaml')).toBe(true);
    expect(isPnpmLock('node_modules/x/pnpm-lock.yaml')).toBe(false);
    expect(isPnpmLock('pnpm-lock.yml')).toBe(false);
  });
});
