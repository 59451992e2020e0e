import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPurl } from '../../../src/inventory/purl.js';
import { parsePurl, purlMatches } from '../../../src/vuln/vex/purl.js';

describe('parsePurl', () => {
  it('reads the purl-spec examples', () => {
    expect(parsePurl('pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie')).toEqual({
      type: 'deb',
      namespace: 'debian',
      name: 'curl',
      version: '7.50.3-1',
      qualifiers: { arch: 'i386', distro: 'jessie' },
    });
    expect(parsePurl('pkg:npm/%40angular/animation@12.3.1')).toMatchObject({
      namespace: '@angular',
      name: 'animation',
      version: '12.3.1',
    });
    expect(parsePurl('pkg:golang/google.golang.org/genproto#googleapis/api/annotations')).toMatchObject({
      namespace: 'google.golang.org',
      name: 'genproto',
      subpath: 'googleapis/api/annotations',
    });
    expect(parsePurl('pkg:PyPI/Django_Rest.Framework@3.0')).toMatchObject({
      type: 'pypi',
      name: 'django-rest-framework',
    });
    expect(
      parsePurl('pkg:oci/debian@sha256%3A244fd47e07d10?repository_url=docker.io/library/debian'),
    ).toMatchObject({ type: 'oci', name: 'debian', version: 'sha256:244fd47e07d10' });
  });

  it('accepts an unencoded npm scope and rejects what is not a purl', () => {
    expect(parsePurl('pkg:npm/@angular/core@1.0.0')).toMatchObject({ namespace: '@angular', name: 'core' });
    for (const bad of ['', 'npm/lodash', 'pkg:', 'pkg:npm', 'pkg:/lodash', 'pkg:npm/%zz@1', 'https://x/y'])
      expect(parsePurl(bad), bad).toBeUndefined();
  });

  it('reads back what buildPurl writes, for any components', () => {
    const segment = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((s) => !s.includes('/') && s.trim() === s);
    fc.assert(
      fc.property(
        fc.constantFrom('maven', 'golang', 'gem', 'cargo', 'rpm', 'generic'),
        fc.option(segment, { nil: undefined }),
        segment,
        fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
        fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), fc.string({ minLength: 1, maxLength: 8 })),
        (type, namespace, name, version, qualifiers) => {
          const parsed = parsePurl(buildPurl({ type, namespace, name, version, qualifiers }));
          expect(parsed).toEqual({
            type,
            name,
            qualifiers,
            ...(namespace === undefined ? {} : { namespace }),
            ...(version === undefined ? {} : { version }),
          });
        },
      ),
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), (s) => void parsePurl(`pkg:${s}`)));
  });
});

describe('purlMatches', () => {
  const subject = parsePurl(
    'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc',
  )!;
  const matches = (pattern: string) => purlMatches(parsePurl(pattern)!, subject);

  it('needs type, namespace and name; version, qualifiers and subpath only where the pattern gives them', () => {
    expect(matches('pkg:deb/debian/libc6')).toBe(true);
    expect(matches('pkg:deb/debian/libc6@2.36-9+deb12u4')).toBe(true);
    expect(matches('pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64')).toBe(true);
    expect(matches('pkg:deb/debian/libc6?distro=debian-11')).toBe(false);
    expect(matches('pkg:deb/debian/libc6@2.36-9+deb12u3')).toBe(false);
    expect(matches('pkg:deb/ubuntu/libc6')).toBe(false);
    expect(matches('pkg:rpm/debian/libc6')).toBe(false);
  });
});
