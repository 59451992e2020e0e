import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPurl, normalizePypiName, percentEncode, purlFor } from '../../src/inventory/purl.js';
import type { Ecosystem, OsInfo, Package } from '../../src/types.js';

const pkg = (ecosystem: Ecosystem, name: string, version: string, extra: Partial<Package> = {}): Package => ({
  name,
  version,
  ecosystem,
  purl: '',
  paths: [],
  analyzer: 'test',
  ...extra,
});

const debian12: OsInfo = { family: 'debian', version: '12', codename: 'bookworm' };

/** A purl split back into decoded components, following the spec's parsing steps. */
function parse(purl: string) {
  const [rest, subpath] = purl.split('#') as [string, string | undefined];
  const [path, query] = rest.split('?') as [string, string | undefined];
  const at = path.lastIndexOf('@');
  const [nameParts, version] =
    at > path.indexOf('/') ? [path.slice(0, at), path.slice(at + 1)] : [path, undefined];
  const segments = nameParts.replace(/^pkg:/, '').split('/');
  const type = segments.shift()!;
  const name = decodeURIComponent(segments.pop()!);
  return {
    type,
    namespace: segments.length > 0 ? segments.map(decodeURIComponent).join('/') : undefined,
    name,
    version: version === undefined ? undefined : decodeURIComponent(version),
    qualifiers: query?.split('&').map((kv) => [kv.split('=')[0], decodeURIComponent(kv.split('=')[1]!)]),
    subpath,
  };
}

const CANONICAL = /^pkg:[a-z][a-z0-9.-]*\/[A-Za-z0-9.\-_~:%/@?=&#]*$/;

describe('purlFor, OS packages', () => {
  it('deb: vendor namespace, arch, distro and upstream with the source version when it differs', () => {
    const bash = pkg('deb', 'bash', '5.2.15-2+b13', {
      arch: 'amd64',
      source: { name: 'bash', version: '5.2.15-2' },
    });
    expect(purlFor(bash, debian12)).toBe(
      'pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12&upstream=bash%405.2.15-2',
    );
    const libc = pkg('deb', 'libc6', '2.36-9+deb12u14', {
      arch: 'amd64',
      source: { name: 'glibc', version: '2.36-9+deb12u14' },
    });
    expect(purlFor(libc, debian12)).toBe(
      'pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12&upstream=glibc',
    );
    const login = pkg('deb', 'login', '1:4.13+dfsg1-1', {
      arch: 'amd64',
      source: { name: 'shadow', version: '1:4.13+dfsg1-1' },
    });
    expect(purlFor(login, { family: 'ubuntu', version: '22.04' })).toBe(
      'pkg:deb/ubuntu/login@1:4.13%2Bdfsg1-1?arch=amd64&distro=ubuntu-22.04&upstream=shadow',
    );
    expect(purlFor(pkg('deb', 'curl', '7.88.1-10'))).toBe('pkg:deb/debian/curl@7.88.1-10');
  });

  it('rpm: version-release in the version, epoch as a qualifier, vendor by OS', () => {
    const p = pkg('rpm', 'openssl-libs', '1:3.0.7-27.el9', {
      arch: 'x86_64',
      source: { name: 'openssl', version: '1:3.0.7-27.el9' },
    });
    expect(purlFor(p, { family: 'rhel', version: '9.4' })).toBe(
      'pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rhel-9.4&epoch=1&upstream=openssl',
    );
    expect(purlFor(pkg('rpm', 'curl', '7.76.1-29.amzn2023'), { family: 'amzn', version: '2023' })).toBe(
      'pkg:rpm/amazon/curl@7.76.1-29.amzn2023?distro=amzn-2023',
    );
    expect(purlFor(pkg('rpm', 'Glib', '2.0-1'))).toBe('pkg:rpm/Glib@2.0-1');
  });

  it('apk: alpine namespace, name lowercased', () => {
    const p = pkg('apk', 'libcrypto3', '3.3.2-r0', {
      arch: 'x86_64',
      source: { name: 'openssl', version: '3.3.2-r0' },
    });
    expect(purlFor(p, { family: 'alpine', version: '3.20.3' })).toBe(
      'pkg:apk/alpine/libcrypto3@3.3.2-r0?arch=x86_64&distro=alpine-3.20.3&upstream=openssl',
    );
  });

  it.each([
    ['opensuse-leap', 'opensuse'],
    ['sles', 'suse'],
    ['ol', 'oracle'],
    ['rocky', 'rocky'],
    ['almalinux', 'almalinux'],
    ['centos', 'centos'],
    ['fedora', 'fedora'],
    ['wolfi', 'wolfi'],
  ])('os-release ID %s → namespace %s', (family, vendor) => {
    expect(purlFor(pkg('rpm', 'x', '1-1'), { family, version: '1' })).toBe(
      `pkg:rpm/${vendor}/x@1-1?distro=${family}-1`,
    );
  });
});

describe('purlFor, language packages', () => {
  it.each<[Ecosystem, string, string, string]>([
    ['npm', '@Angular/Core', '17.0.0', 'pkg:npm/%40angular/core@17.0.0'],
    ['npm', 'lodash', '4.17.21', 'pkg:npm/lodash@4.17.21'],
    ['pypi', 'Django_Rest.framework', '3.15.1', 'pkg:pypi/django-rest-framework@3.15.1'],
    ['golang', 'github.com/Gorilla/mux', 'v1.8.1', 'pkg:golang/github.com/gorilla/mux@v1.8.1'],
    [
      'golang',
      'github.com/x/y/v2',
      'v2.0.0+incompatible',
      'pkg:golang/github.com/x/y/v2@v2.0.0%2Bincompatible',
    ],
    ['golang', 'stdlib', 'go1.22.5', 'pkg:golang/stdlib@go1.22.5'],
    [
      'maven',
      'org.apache.logging.log4j:log4j-core',
      '2.14.1',
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    ],
    ['composer', 'Laravel/Framework', '10.0.0', 'pkg:composer/laravel/framework@10.0.0'],
    ['gem', 'ActiveSupport', '7.1.3', 'pkg:gem/ActiveSupport@7.1.3'],
    ['cargo', 'serde_json', '1.0.117', 'pkg:cargo/serde_json@1.0.117'],
    ['nuget', 'Newtonsoft.Json', '13.0.3', 'pkg:nuget/Newtonsoft.Json@13.0.3'],
  ])('%s %s@%s', (eco, name, version, expected) => {
    expect(purlFor(pkg(eco, name, version), debian12)).toBe(expected);
  });
});

describe('buildPurl', () => {
  it('sorts qualifiers, lowercases keys, drops empty values, cleans the subpath', () => {
    expect(
      buildPurl({
        type: 'Generic',
        namespace: '/a/b/',
        name: 'n',
        version: '1',
        qualifiers: { zeta: 'z', Alpha: 'a b', empty: '', none: undefined },
        subpath: '/./x/../y/',
      }),
    ).toBe('pkg:generic/a/b/n@1?alpha=a%20b&zeta=z#x/y');
  });

  it('percent-encodes what is not alphanumeric, ".-_~" or ":", as UTF-8', () => {
    expect(percentEncode('a+b/c@d e%f:g~h')).toBe('a%2Bb%2Fc%40d%20e%25f:g~h');
    expect(percentEncode('ü€😀')).toBe('%C3%BC%E2%82%AC%F0%9F%98%80');
  });

  it('encoding round-trips any Unicode string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(decodeURIComponent(percentEncode(s))).toBe(s);
        expect(percentEncode(s)).toMatch(/^[A-Za-z0-9.\-_~:%]*$/);
      }),
    );
  });
});

describe('purl properties', () => {
  const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => !s.includes('/'));
  const ecosystems: Ecosystem[] = [
    'deb',
    'rpm',
    'apk',
    'npm',
    'pypi',
    'golang',
    'maven',
    'gem',
    'cargo',
    'composer',
    'nuget',
  ];

  it('is canonical: permitted characters only, qualifiers sorted, and parses back to its parts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ecosystems),
        text,
        text,
        fc.option(text, { nil: undefined }),
        fc.option(fc.record({ name: text, version: text }), { nil: undefined }),
        (ecosystem, name, version, arch, source) => {
          const p = pkg(ecosystem, name, version, { arch, source });
          const purl = purlFor(p, { family: 'debian', version: '12' });
          expect(purl).toMatch(CANONICAL);
          const parsed = parse(purl);
          expect(parsed.type).toBe(ecosystem);
          expect(parsed.version).toBe(ecosystem === 'rpm' ? version.replace(/^\d+:/, '') : version);
          const keys = (parsed.qualifiers ?? []).map(([k]) => k!);
          expect(keys).toEqual([...keys].sort());
          if (['deb', 'rpm', 'apk'].includes(ecosystem)) {
            expect(parsed.namespace).toBe('debian');
            expect(Object.fromEntries(parsed.qualifiers!).distro).toBe('debian-12');
            if (arch) expect(Object.fromEntries(parsed.qualifiers!).arch).toBe(arch);
          }
        },
      ),
    );
  });

  it('npm scopes keep their @ (encoded) and names are lowercased', () => {
    fc.assert(
      fc.property(text, text, (scope, name) => {
        const parsed = parse(purlFor(pkg('npm', `@${scope}/${name}`, '1.0.0')));
        expect(parsed.namespace).toBe(`@${scope}`.toLowerCase());
        expect(parsed.name).toBe(name.toLowerCase());
      }),
    );
  });

  it('PyPI names normalise as PEP 503 says: idempotent, lowercase, no runs of separators', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{1,30}$/), (name) => {
        const n = normalizePypiName(name);
        expect(normalizePypiName(n)).toBe(n);
        expect(n).not.toMatch(/[A-Z_.]|--/);
      }),
    );
  });
});
