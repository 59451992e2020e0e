import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPurl, type PurlParts, purlFor } from '../../src/inventory/purl.js';
import { parsePurl } from '../../src/inventory/purl-parse.js';
import type { Ecosystem, Package } from '../../src/types.js';

describe('parsePurl', () => {
  it.each([
    [
      'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc',
      {
        type: 'deb',
        namespace: 'debian',
        name: 'libc6',
        version: '2.36-9+deb12u4',
        qualifiers: { arch: 'amd64', distro: 'debian-12', upstream: 'glibc' },
      },
    ],
    [
      'pkg:npm/%40angular/core@17.0.0',
      { type: 'npm', namespace: '@angular', name: 'core', version: '17.0.0', qualifiers: {} },
    ],
    [
      'pkg:golang/github.com/x/y/v2@v2.0.0%2Bincompatible#sub/dir',
      {
        type: 'golang',
        namespace: 'github.com/x/y',
        name: 'v2',
        version: 'v2.0.0+incompatible',
        qualifiers: {},
        subpath: 'sub/dir',
      },
    ],
    [
      'pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1',
      {
        type: 'rpm',
        namespace: 'redhat',
        name: 'openssl-libs',
        version: '3.0.7-27.el9',
        qualifiers: { arch: 'x86_64', epoch: '1' },
      },
    ],
    ['pkg:pypi/django@1.11.1', { type: 'pypi', name: 'django', version: '1.11.1', qualifiers: {} }],
    [
      'pkg:oci/debian@sha256:244fd47e07d10?repository_url=docker.io%2Flibrary%2Fdebian&arch=amd64',
      {
        type: 'oci',
        name: 'debian',
        version: 'sha256:244fd47e07d10',
        qualifiers: { repository_url: 'docker.io/library/debian', arch: 'amd64' },
      },
    ],
  ])('%s', (text, parts) => {
    expect(parsePurl(text)).toEqual(parts);
  });

  it('is lenient where the specification is: slashes, an unencoded scope @, empty qualifier values', () => {
    expect(parsePurl('pkg:/npm//@babel/core@7.0.0/')).toEqual({
      type: 'npm',
      namespace: '@babel',
      name: 'core',
      version: '7.0.0',
      qualifiers: {},
    });
    expect(parsePurl('pkg:npm/@babel/core')).toEqual({
      type: 'npm',
      namespace: '@babel',
      name: 'core',
      qualifiers: {},
    });
    expect(parsePurl('PKG:Maven/g/a@1?Classifier=&type=jar')).toEqual({
      type: 'maven',
      namespace: 'g',
      name: 'a',
      version: '1',
      qualifiers: { type: 'jar' },
    });
  });

  it('keeps qualifier keys such as "__proto__" and "constructor" as data', () => {
    const parsed = parsePurl('pkg:generic/x@1?__proto__=a&constructor=b');
    expect(Object.getPrototypeOf(parsed!.qualifiers)).toBe(Object.prototype);
    expect(Object.entries(parsed!.qualifiers)).toEqual([
      ['__proto__', 'a'],
      ['constructor', 'b'],
    ]);
  });

  it.each([
    'deb/debian/x@1',
    'pkg:',
    'pkg:deb',
    'pkg:deb/',
    'pkg:1deb/x',
    'pkg:d$b/x',
    'pkg:deb/x@1%ZZ',
    'pkg:deb/%E0%A4%A/x',
    'pkg:deb/x?a=1&a=2',
    'pkg:deb/x?=1',
    'pkg:deb/x?noequals',
  ])('refuses %s', (text) => {
    expect(parsePurl(text)).toBeUndefined();
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `pkg:${s}`),
        ),
        (text) => {
          const parsed = parsePurl(text);
          if (parsed) expect(parsed.name.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('parsePurl and buildPurl', () => {
  const segment = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
    .filter((s) => !s.includes('/'));
  const parts: fc.Arbitrary<PurlParts> = fc.record(
    {
      type: fc.stringMatching(/^[a-z][a-z0-9.+-]{0,8}$/),
      namespace: fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')),
      name: segment,
      version: segment,
      qualifiers: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9._-]{0,6}$/), segment, { maxKeys: 4 }),
      subpath: fc
        .array(
          segment.filter((s) => s !== '.' && s !== '..'),
          { minLength: 1, maxLength: 3 },
        )
        .map((s) => s.join('/')),
    },
    { requiredKeys: ['type', 'name', 'qualifiers'] },
  );

  it('parse(build(parts)) gives the parts back', () => {
    fc.assert(
      fc.property(parts, (p) => {
        expect(parsePurl(buildPurl(p))).toEqual(p);
      }),
      { numRuns: 1000 },
    );
  });

  it('build(parse(purl)) gives every canonical purl back', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const canonical = buildPurl(p);
        expect(buildPurl(parsePurl(canonical)!)).toBe(canonical);
      }),
      { numRuns: 1000 },
    );
  });

  it("reads back every package's purlFor", () => {
    const ecosystems: Ecosystem[] = ['deb', 'rpm', 'apk', 'npm', 'pypi', 'golang', 'maven', 'gem', 'cargo'];
    fc.assert(
      fc.property(
        fc.constantFrom(...ecosystems),
        segment,
        segment,
        segment,
        (ecosystem, name, version, arch) => {
          const pkg: Package = { name, version, ecosystem, arch, purl: '', paths: [], analyzer: 'test' };
          const purl = purlFor(pkg, { family: 'debian', version: '12' });
          const parsed = parsePurl(purl);
          expect(parsed?.type).toBe(ecosystem);
          expect(buildPurl(parsed!)).toBe(purl);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
