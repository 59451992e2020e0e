import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apkAnalyzer } from '../../../../src/inventory/os/apk/analyzer.js';
import { parseApkInstalled } from '../../../../src/inventory/os/apk/parse.js';
import { inputFor } from '../input.js';

/** An installed database in the layout the Alpine wiki's "Apk spec" documents. */
const INSTALLED = `C:Q1sA0WnbSHbvmZW2d6rCjFrr3m8Q0=
P:musl
V:1.2.5-r0
A:x86_64
S:407959
I:667648
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1712083154
c:6d4a8a1a3c95a7b1b1d0a2cb0d5e1e4b7e5a0c8f
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1m6mIaZSdX3j1dBa1YKfgIDSh0QU=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=

C:Q1Ns6Na3Vo3+Vd8+Nx4Uaa3DvCdTs=
P:libcrypto3
V:3.3.2-r0
A:x86_64
S:1855316
I:4673536
T:Crypto library from openssl
U:https://www.openssl.org/
L:Apache-2.0
o:openssl
D:so:libc.musl-x86_64.so.1
p:so:libcrypto.so.3=3
F:etc
F:etc/ssl
R:openssl.cnf.dist
F:usr/lib
R:libcrypto.so.3
Z:Q1qc0Xn9Ka6TzG5dAjPiQq8DmMmJY=
F:usr/lib/engines-3
R:afalg.so
R:capi.so

C:Q1nBPBgK1fjsbPpADl1XBNgZJS2RU=
P:scanelf
V:1.3.7-r2
A:x86_64
L:GPL-2.0-only
o:pax-utils
`;

describe('parseApkInstalled', () => {
  const { packages, packageFiles, warnings } = parseApkInstalled(INSTALLED, 'lib/apk/db/installed');

  it('reads each package with its origin as the source and its licence', () => {
    expect(warnings).toEqual([]);
    expect(packages.map((p) => [p.name, p.version, p.arch, p.source, p.licenses])).toEqual([
      ['musl', '1.2.5-r0', 'x86_64', { name: 'musl', version: '1.2.5-r0' }, ['MIT']],
      ['libcrypto3', '3.3.2-r0', 'x86_64', { name: 'openssl', version: '3.3.2-r0' }, ['Apache-2.0']],
      ['scanelf', '1.3.7-r2', 'x86_64', { name: 'pax-utils', version: '1.3.7-r2' }, ['GPL-2.0-only']],
    ]);
    expect(packages[0]!.paths).toEqual(['lib/apk/db/installed']);
    expect(packages[0]!.analyzer).toBe('apk');
  });

  it('joins R lines to the F directory before them', () => {
    expect(packageFiles).toEqual([
      { package: 'musl', files: ['lib/ld-musl-x86_64.so.1', 'lib/libc.musl-x86_64.so.1'] },
      {
        package: 'libcrypto3',
        files: [
          'etc/ssl/openssl.cnf.dist',
          'usr/lib/libcrypto.so.3',
          'usr/lib/engines-3/afalg.so',
          'usr/lib/engines-3/capi.so',
        ],
      },
    ]);
  });

  it('warns about blocks without name or version and malformed lines, and goes on', () => {
    const out = parseApkInstalled('P:a\n\nV:1\n\nnonsense\nP:b\nV:2\n', 'db');
    expect(out.packages.map((p) => p.name)).toEqual(['b']);
    expect(out.warnings).toEqual([
      'package at line 1: no V (version); skipped',
      'package at line 3: no P (name); skipped',
      'line 5: not a "<letter>:<value>" line; ignored',
    ]);
  });

  it('uses the package itself when there is no origin', () => {
    expect(parseApkInstalled('P:x\nV:1-r0\n', 'db').packages[0]!.source).toEqual({
      name: 'x',
      version: '1-r0',
    });
  });

  it('never throws and every package has a whitespace-free name and version', () => {
    const line = fc.oneof(
      fc.constantFrom('', 'P:a', 'V:1', 'F:usr', 'R:x', 'o:src', 'L:MIT', 'A:x86_64'),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const out = parseApkInstalled(lines.join('\n'), 'db');
        for (const p of out.packages) expect(p.name + p.version).toMatch(/^\S+$/);
        expect(out.warnings.length).toBeLessThanOrEqual(21);
      }),
    );
  });

  it('survives truncation at every byte of a real-format database', () => {
    for (let cut = 0; cut < INSTALLED.length; cut += 7) {
      const out = parseApkInstalled(INSTALLED.slice(0, cut), 'db');
      expect(out.packages.length).toBeLessThanOrEqual(3);
    }
  });
});

describe('apkAnalyzer', () => {
  it('wants only lib/apk/db/installed', () => {
    const wants = (path: string) => apkAnalyzer.wants({ path, size: 1, mode: 0o644 }, 'image');
    expect(wants('lib/apk/db/installed')).toBe(true);
    expect(wants('lib/apk/db/scripts.tar')).toBe(false);
    expect(wants('usr/lib/apk/db/installed')).toBe(false);
  });

  it('returns packages, their files and warnings naming the file', async () => {
    const out = await apkAnalyzer.analyze(inputFor('lib/apk/db/installed', `${INSTALLED}\nP:broken\n`));
    expect(out?.packages?.length).toBe(3);
    expect(out?.packageFiles?.length).toBe(2);
    expect(out?.warnings).toEqual(['lib/apk/db/installed: package at line 51: no V (version); skipped']);
  });
});
