import { describe, expect, it } from 'vitest';
import { parseModinfo } from '../../../../src/inventory/lang/go/modinfo.js';
import {
  isLocalPath,
  ldflagsVersion,
  replaced,
  splitQuoted,
  stdlibVersion,
} from '../../../../src/inventory/lang/go/packages.js';

describe('Go packages from build info', () => {
  it('names the standard library version the way Go vulnerability data does', () => {
    expect(stdlibVersion('go1.21.4')).toBe('1.21.4');
    expect(stdlibVersion('go1.20')).toBe('1.20.0');
    expect(stdlibVersion('go1.21rc2')).toBe('1.21.0-rc.2');
    expect(stdlibVersion('go1.9beta1')).toBe('1.9.0-beta.1');
    expect(stdlibVersion('go1.22.0 X:boringcrypto')).toBe('1.22.0');
    expect(stdlibVersion('go1.23-devel_abc')).toBe('1.23.0');
    expect(stdlibVersion('devel go1.23-abc Tue Jan 2')).toBeUndefined();
    expect(stdlibVersion('go1.2x')).toBeUndefined();
  });

  it('applies module replacements and keeps local directories under the required path', () => {
    expect(replaced({ path: 'a.io/x', version: 'v1.0.0' })).toEqual({ name: 'a.io/x', version: 'v1.0.0' });
    expect(
      replaced({ path: 'a.io/x', version: 'v1.0.0', replace: { path: 'b.io/fork', version: 'v1.0.1' } }),
    ).toEqual({ name: 'b.io/fork', version: 'v1.0.1' });
    expect(
      replaced({ path: 'a.io/x', version: 'v1.0.0', replace: { path: '../x', version: '(devel)' } }),
    ).toEqual({
      name: 'a.io/x',
      version: '(devel)',
    });
    for (const local of ['./x', '../x', '/abs/x', '.', '..', 'C:\\x', '.\\x'])
      expect(isLocalPath(local)).toBe(true);
    for (const remote of ['example.com/x', '.hidden.io/x', 'x']) expect(isLocalPath(remote)).toBe(false);
  });

  it('takes a (devel) main module version from -X ldflags of main or the main module', () => {
    const withFlags = (flags: string) => parseModinfo(`build\t-ldflags=${JSON.stringify(flags)}\n`);
    expect(ldflagsVersion(withFlags('-s -w -X main.version=1.4.0'), 'example.com/app')).toBe('v1.4.0');
    expect(ldflagsVersion(withFlags('-X=main.Version=v2.0.0-rc.1'), 'x.io/a')).toBe('v2.0.0-rc.1');
    expect(
      ldflagsVersion(
        withFlags(' \t-X "github.com/docker/docker/dockerversion.Version=20.10.24+dfsg1" -X x.y=z'),
        'github.com/docker/docker',
      ),
    ).toBe('v20.10.24+dfsg1');
    expect(ldflagsVersion(withFlags('-X other.io/pkg.version=1.0.0'), 'example.com/app')).toBeUndefined();
    expect(ldflagsVersion(withFlags('-X main.version=dev'), 'example.com/app')).toBeUndefined();
    expect(ldflagsVersion(withFlags('-X main.commit=1.0.0'), 'example.com/app')).toBeUndefined();
    expect(ldflagsVersion(parseModinfo(''), 'example.com/app')).toBeUndefined();
  });

  it('splits flags as the go command does', () => {
    expect(splitQuoted(` a "b c" 'd "e' f`)).toEqual(['a', 'b c', 'd "e', 'f']);
    expect(splitQuoted('')).toEqual([]);
  });
});
