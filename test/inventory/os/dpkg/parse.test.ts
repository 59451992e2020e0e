import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseControl } from '../../../../src/inventory/os/dpkg/control.js';
import {
  packageFromInfoName,
  parseDpkgStatus,
  parseFileList,
  parseMd5sums,
} from '../../../../src/inventory/os/dpkg/parse.js';
import { fixture } from '../input.js';

const STATUS = readFileSync(fixture('dpkg', 'debian12-status'), 'utf8');
/** dpkg-query's own view of the same database (see fixtures/README.md). */
const ORACLE = readFileSync(fixture('dpkg', 'debian12-dpkg-query.txt'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const [name, version, sourceName, sourceVersion, arch, state] = line.split(' ');
    return { name, version, sourceName, sourceVersion, arch, state };
  });

describe('parseDpkgStatus against dpkg-query on a real Debian 12 database', () => {
  const { packages, warnings } = parseDpkgStatus(STATUS, 'var/lib/dpkg/status');

  it('reads it without warnings', () => {
    expect(warnings).toEqual([]);
  });

  it('lists exactly the packages dpkg-query reports installed, with its versions, sources and arches', () => {
    const installed = ORACLE.filter((o) => o.state === 'installed');
    expect(installed.length).toBeGreaterThan(100);
    const got = packages.map((p) => ({
      name: p.name,
      version: p.version,
      sourceName: p.source?.name,
      sourceVersion: p.source?.version,
      arch: p.arch,
      state: 'installed',
    }));
    expect(got.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      installed.sort((a, b) => a.name!.localeCompare(b.name!)),
    );
  });

  it('leaves out a package in the config-files state that dpkg-query still lists', () => {
    expect(ORACLE.find((o) => o.name === 'e2fsprogs')?.state).toBe('config-files');
    expect(packages.find((p) => p.name === 'e2fsprogs')).toBeUndefined();
  });

  it('covers the cases that matter: epochs, binNMUs, differing source names', () => {
    const byName = new Map(packages.map((p) => [p.name, p]));
    expect(byName.get('libc6')?.source).toEqual({ name: 'glibc', version: byName.get('libc6')!.version });
    expect(byName.get('libssl3')?.source?.name).toBe('openssl');
    expect(byName.get('bash')?.version).toMatch(/\+b\d+$/);
    expect(byName.get('bash')?.source?.version).not.toBe(byName.get('bash')?.version);
    expect(byName.get('login')?.version).toMatch(/^1:/);
    expect(byName.get('python3')?.source?.name).toBe('python3-defaults');
  });

  it('fills path and analyzer, and leaves the purl to the applier, which knows the OS', () => {
    const libc = packages.find((p) => p.name === 'libc6')!;
    expect(libc.paths).toEqual(['var/lib/dpkg/status']);
    expect(libc.analyzer).toBe('dpkg');
    expect(libc.ecosystem).toBe('deb');
    expect(libc.purl).toBe('');
  });
});

describe('dpkg Status semantics', () => {
  const stanza = (status: string | undefined, extra = '') =>
    `Package: p\n${status === undefined ? '' : `Status: ${status}\n`}Version: 1.0-1\nArchitecture: all\n${extra}`;

  it.each([
    ['install ok installed', true],
    ['hold ok installed', true],
    ['deinstall ok installed', true],
    ['install ok unpacked', true],
    ['install ok half-configured', true],
    ['install reinstreq half-installed', true],
    ['install ok triggers-awaited', true],
    ['install ok triggers-pending', true],
    ['deinstall ok config-files', false],
    ['purge ok not-installed', false],
  ])('"%s" → installed: %s', (status, installed) => {
    const { packages, warnings } = parseDpkgStatus(stanza(status), 'status');
    expect(packages.length).toBe(installed ? 1 : 0);
    expect(warnings).toEqual([]);
  });

  it('warns about an unknown state and a missing Status in the status file', () => {
    expect(parseDpkgStatus(stanza('install ok sideways'), 'status').warnings[0]).toMatch(
      /line 1: package p has an unknown Status/,
    );
    expect(parseDpkgStatus(stanza(undefined), 'status').warnings[0]).toMatch(/no Status field/);
  });

  it('accepts a status.d entry without Status (distroless)', () => {
    const { packages } = parseDpkgStatus(stanza(undefined), 'status.d/p', { statusOptional: true });
    expect(packages.map((p) => p.name)).toEqual(['p']);
  });

  it('reads "Source: name (version)" and falls back to the package itself', () => {
    const withVersion = parseDpkgStatus(stanza('install ok installed', 'Source: src (1.0-0.1)\n'), 's');
    expect(withVersion.packages[0]!.source).toEqual({ name: 'src', version: '1.0-0.1' });
    const nameOnly = parseDpkgStatus(stanza('install ok installed', 'Source: src\n'), 's');
    expect(nameOnly.packages[0]!.source).toEqual({ name: 'src', version: '1.0-1' });
    const none = parseDpkgStatus(stanza('install ok installed'), 's');
    expect(none.packages[0]!.source).toEqual({ name: 'p', version: '1.0-1' });
    const bad = parseDpkgStatus(stanza('install ok installed', 'Source: a b c\n'), 's');
    expect(bad.packages[0]!.source).toEqual({ name: 'p', version: '1.0-1' });
    expect(bad.warnings[0]).toMatch(/invalid Source/);
  });

  it('keeps both instances of a Multi-Arch: same package', () => {
    const text = ['amd64', 'i386']
      .map((a) => `Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: ${a}\n`)
      .join('\n');
    expect(parseDpkgStatus(text, 's').packages.map((p) => p.arch)).toEqual(['amd64', 'i386']);
  });
});

describe('parseControl', () => {
  it('joins continuation lines, ignores case in field names, tolerates CRLF', () => {
    const { paragraphs, warnings } = parseControl(
      'Package: a\r\nDescription: short\r\n long line\r\n .\r\n\r\n\r\npackage: b\r\n',
    );
    expect(warnings).toEqual([]);
    expect(paragraphs.map((p) => p.line)).toEqual([1, 7]);
    expect(paragraphs[0]!.fields.get('description')).toBe('short\nlong line\n.');
    expect(paragraphs[1]!.fields.get('package')).toBe('b');
  });

  it('reports malformed lines with their numbers and caps the count', () => {
    const { warnings } = parseControl(`Package: a\n${'garbage\n'.repeat(30)}`);
    expect(warnings[0]).toBe('line 2: not a "Field: value" line; ignored');
    expect(warnings.length).toBe(21);
    expect(warnings[20]).toBe('10 more malformed lines ignored');
  });
});

describe('file lists', () => {
  it('reads info/*.list as root-relative paths without "/."', () => {
    const files = parseFileList(readFileSync(fixture('dpkg', 'libc6-amd64.list'), 'utf8'));
    expect(files[0]).toBe('etc');
    expect(files).toContain('lib/x86_64-linux-gnu/libc.so.6');
    expect(files.some((f) => f.startsWith('/') || f === '.')).toBe(false);
  });

  it('reads md5sums paths, which are every regular file of the .list', () => {
    const list = new Set(parseFileList(readFileSync(fixture('dpkg', 'libc6-amd64.list'), 'utf8')));
    const sums = parseMd5sums(readFileSync(fixture('dpkg', 'libc6-amd64.md5sums'), 'utf8'));
    expect(sums.length).toBeGreaterThan(200);
    expect(sums.filter((f) => !list.has(f))).toEqual([]);
  });

  it('names packages from info file names, dropping the Multi-Arch suffix', () => {
    expect(packageFromInfoName('libc6:amd64.list', '.list')).toBe('libc6');
    expect(packageFromInfoName('bash.list', '.list')).toBe('bash');
    expect(packageFromInfoName('bash.postinst', '.list')).toBeUndefined();
    expect(packageFromInfoName('..list', '.list')).toBeUndefined();
  });
});

describe('robustness', () => {
  it('never throws on random text and every package it returns is well-formed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        const { packages } = parseDpkgStatus(text, 's');
        for (const p of packages) {
          expect(p.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9+.\-_]*$/);
          expect(p.version).toMatch(/^\S+$/);
        }
      }),
    );
  });

  it('survives line mutations of a real status file: at most one package per paragraph', () => {
    const lines = STATUS.split('\n');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(lines.length - 1), fc.string({ maxLength: 40 })), { maxLength: 20 }),
        (edits) => {
          const mutated = [...lines];
          for (const [at, text] of edits) mutated[at] = text;
          const text = mutated.join('\n');
          const { packages } = parseDpkgStatus(text, 's');
          expect(packages.length).toBeLessThanOrEqual(parseControl(text).paragraphs.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('parses a truncated status file up to the cut', () => {
    const cut = STATUS.slice(0, Math.floor(STATUS.length / 2));
    const { packages } = parseDpkgStatus(cut, 's');
    expect(packages.length).toBeGreaterThan(40);
    expect(packages.length).toBeLessThan(parseDpkgStatus(STATUS, 's').packages.length);
  });
});
