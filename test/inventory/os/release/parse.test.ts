import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distroReleaseAnalyzer, osReleaseAnalyzer } from '../../../../src/inventory/os/release/analyzer.js';
import {
  parseDistroFile,
  parseOsRelease,
  parseShellAssignments,
} from '../../../../src/inventory/os/release/parse.js';
import { fixture, inputFor } from '../input.js';

describe('parseOsRelease', () => {
  it('reads a real Debian 12 os-release', () => {
    expect(parseOsRelease(readFileSync(fixture('release', 'debian12-os-release'), 'utf8'))).toEqual({
      family: 'debian',
      version: '12',
      codename: 'bookworm',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
    });
  });

  it('gives Debian testing/unstable (no VERSION_ID) its codename as the version', () => {
    const trixie =
      'PRETTY_NAME="Debian GNU/Linux trixie/sid"\nNAME="Debian GNU/Linux"\nVERSION_CODENAME=trixie\nID=debian\n';
    expect(parseOsRelease(trixie)).toEqual({
      family: 'debian',
      version: 'trixie',
      codename: 'trixie',
      prettyName: 'Debian GNU/Linux trixie/sid',
    });
  });

  it.each([
    [
      'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n',
      { family: 'alpine', version: '3.20.3', prettyName: 'Alpine Linux v3.20' },
    ],
    [
      'NAME="Ubuntu"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\nUBUNTU_CODENAME=jammy\n',
      { family: 'ubuntu', version: '22.04', codename: 'jammy' },
    ],
    [
      'NAME="Red Hat Enterprise Linux"\nVERSION="9.4 (Plow)"\nID="rhel"\nVERSION_ID="9.4"\n',
      { family: 'rhel', version: '9.4', codename: 'Plow' },
    ],
    [
      'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nVERSION_ID="2023"\n',
      { family: 'amzn', version: '2023' },
    ],
    ["# comment\nID='fedora'\nVERSION_ID=40\n", { family: 'fedora', version: '40' }],
  ])('reads %j', (text, expected) => {
    expect(parseOsRelease(text)).toEqual(expected);
  });

  it('needs an ID', () => {
    expect(parseOsRelease('NAME=Linux\nVERSION_ID=1\n')).toBeUndefined();
  });
});

describe('parseShellAssignments', () => {
  it('unquotes and unescapes as the os-release spec allows', () => {
    const v = parseShellAssignments('A="x \\"y\\" \\$z \\\\ \\`"\nB=\'a b\'\nC=plain\n  D = no\nE=\n');
    expect(Object.fromEntries(v)).toEqual({ A: 'x "y" $z \\ `', B: 'a b', C: 'plain', E: '' });
  });

  it('round-trips any double-quoted value', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('\n')),
        (value) => {
          const quoted = `"${value.replace(/[\\"$`]/g, '\\$&')}"`;
          expect(parseShellAssignments(`K=${quoted}`).get('K')).toBe(value);
        },
      ),
    );
  });
});

describe('parseDistroFile', () => {
  it.each([
    ['etc/debian_version', '12.15\n', { family: 'debian', version: '12' }],
    ['etc/debian_version', 'trixie/sid\n', { family: 'debian', version: 'trixie', codename: 'trixie' }],
    ['etc/alpine-release', '3.20.3\n', { family: 'alpine', version: '3.20.3' }],
    [
      'etc/centos-release',
      'CentOS Linux release 7.9.2009 (Core)\n',
      {
        family: 'centos',
        version: '7.9.2009',
        codename: 'Core',
        prettyName: 'CentOS Linux release 7.9.2009 (Core)',
      },
    ],
    [
      'etc/redhat-release',
      'Red Hat Enterprise Linux release 8.9 (Ootpa)\n',
      { family: 'rhel', version: '8.9' },
    ],
    ['etc/rocky-release', 'Rocky Linux release 9.4 (Blue Onyx)\n', { family: 'rocky', version: '9.4' }],
    [
      'etc/almalinux-release',
      'AlmaLinux release 9.4 (Seafoam Ocelot)\n',
      { family: 'almalinux', version: '9.4' },
    ],
    ['etc/system-release', 'Amazon Linux release 2 (Karoo)\n', { family: 'amzn', version: '2' }],
    [
      'etc/system-release',
      'Amazon Linux release 2023.5.20240701 (Amazon Linux)\n',
      { family: 'amzn', version: '2023' },
    ],
    ['etc/system-release', 'Amazon Linux AMI release 2018.03\n', { family: 'amzn', version: '2018.03' }],
    ['etc/oracle-release', 'Oracle Linux Server release 8.9\n', { family: 'ol', version: '8.9' }],
    ['etc/fedora-release', 'Fedora release 40 (Forty)\n', { family: 'fedora', version: '40' }],
    [
      'etc/lsb-release',
      'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\nDISTRIB_DESCRIPTION="Ubuntu 22.04.4 LTS"\n',
      { family: 'ubuntu', version: '22.04', codename: 'jammy', prettyName: 'Ubuntu 22.04.4 LTS' },
    ],
  ])('%s: %j', (path, text, expected) => {
    expect(parseDistroFile(path, text)).toMatchObject(expected);
  });

  it.each([
    ['etc/redhat-release', 'Some Unknown Linux release 1.0\n'],
    ['etc/debian_version', '\n'],
    ['etc/alpine-release', 'edge?\n'],
    ['etc/lsb-release', 'DISTRIB_RELEASE=1\n'],
  ])('%s says nothing when it is %j', (path, text) => {
    expect(parseDistroFile(path, text)).toBeUndefined();
  });

  it('never throws on random content', () => {
    const paths = ['etc/debian_version', 'etc/alpine-release', 'etc/redhat-release', 'etc/lsb-release'];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.string({ maxLength: 300 }), (path, text) => {
        for (const os of [parseDistroFile(path, text), parseOsRelease(text)])
          if (os) expect(os.family.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('osReleaseAnalyzer and distroReleaseAnalyzer', () => {
  it('split the identification files between them, in images and root filesystems', () => {
    const info = (path: string) => ({ path, size: 1, mode: 0o644 });
    for (const p of ['etc/os-release', 'usr/lib/os-release']) {
      expect(osReleaseAnalyzer.wants(info(p), 'image'), p).toBe(true);
      expect(distroReleaseAnalyzer.wants(info(p), 'image'), p).toBe(false);
    }
    for (const p of ['etc/debian_version', 'etc/system-release', 'etc/lsb-release']) {
      expect(osReleaseAnalyzer.wants(info(p), 'image'), p).toBe(false);
      expect(distroReleaseAnalyzer.wants(info(p), 'image'), p).toBe(true);
    }
    for (const p of ['etc/os-release.d/x', 'os-release', 'etc/issue'])
      expect(osReleaseAnalyzer.wants(info(p), 'image') || distroReleaseAnalyzer.wants(info(p), 'image')).toBe(
        false,
      );
    expect(osReleaseAnalyzer.modes).toEqual(['image', 'rootfs']);
  });

  it('read one file into an OsInfo, and warn about an oversized one', async () => {
    const text = readFileSync(fixture('release', 'debian12-os-release'));
    expect((await osReleaseAnalyzer.analyze(inputFor('usr/lib/os-release', text)))?.os?.version).toBe('12');
    expect(
      (await distroReleaseAnalyzer.analyze(inputFor('etc/debian_version', '12.15\n')))?.os?.version,
    ).toBe('12');
    expect(
      await distroReleaseAnalyzer.analyze(inputFor('etc/debian_version', 'garbage here')),
    ).toBeUndefined();
    const big = { ...inputFor('etc/os-release', ''), size: 1 << 20 };
    expect((await osReleaseAnalyzer.analyze(big))?.warnings?.[0]).toMatch(/^etc\/os-release: 1048576 bytes/);
  });
});
