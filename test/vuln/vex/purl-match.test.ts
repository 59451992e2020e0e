import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPurl } from '../../../src/inventory/purl.js';
import { parsePurl } from '../../../src/inventory/purl-parse.js';
import { purlMatches } from '../../../src/vuln/vex/purl-match.js';

const purl = (text: string) => {
  const parsed = parsePurl(text);
  if (!parsed) throw new Error(`not a purl: ${text}`);
  return parsed;
};

describe('purlMatches', () => {
  const libc = purl('pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc');
  const matches = (pattern: string) => purlMatches(purl(pattern), libc);

  it('needs type, namespace and name; version, qualifiers and subpath only where the pattern gives them', () => {
    expect(matches('pkg:deb/debian/libc6')).toBe(true);
    expect(matches('pkg:deb/debian/libc6@2.36-9+deb12u4')).toBe(true);
    expect(matches('pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64')).toBe(true);
    expect(matches('pkg:deb/debian/libc6?distro=debian-11')).toBe(false);
    expect(matches('pkg:deb/debian/libc6@2.36-9+deb12u3')).toBe(false);
    expect(matches('pkg:deb/ubuntu/libc6')).toBe(false);
    expect(matches('pkg:rpm/debian/libc6')).toBe(false);
    expect(matches('pkg:deb/debian/libc6#usr/lib')).toBe(false);
  });

  it('compares names as the registry does: npm and deb ignore case, PyPI by PEP 503, Maven and Go exactly', () => {
    expect(purlMatches(purl('pkg:npm/%40Angular/Core'), purl('pkg:npm/%40angular/core@17.0.0'))).toBe(true);
    expect(
      purlMatches(purl('pkg:PyPI/Django_Rest.framework'), purl('pkg:pypi/django-rest-framework@3.0')),
    ).toBe(true);
    expect(purlMatches(purl('pkg:maven/org.Apache/Log4j'), purl('pkg:maven/org.apache/log4j@2.0'))).toBe(
      false,
    );
    expect(purlMatches(purl('pkg:golang/github.com/A/b'), purl('pkg:golang/github.com/a/b@v1.0.0'))).toBe(
      false,
    );
  });

  it('a package matches itself, and its name without version or qualifiers; never another name', () => {
    const segment = fc.stringMatching(/^[a-zA-Z0-9._-]{1,10}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('npm', 'pypi', 'maven', 'golang', 'deb', 'cargo'),
        fc.option(segment, { nil: undefined }),
        segment,
        segment,
        fc.option(segment, { nil: undefined }),
        fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/), segment),
        (type, namespace, name, other, version, qualifiers) => {
          const subject = purl(buildPurl({ type, namespace, name, version, qualifiers }));
          expect(purlMatches(subject, subject)).toBe(true);
          expect(purlMatches(purl(buildPurl({ type, namespace, name })), subject)).toBe(true);
          const renamed = purl(buildPurl({ type, namespace, name: other }));
          if (
            renamed.name.toLowerCase().replace(/[-_.]+/g, '-') !==
            subject.name.toLowerCase().replace(/[-_.]+/g, '-')
          )
            expect(purlMatches(renamed, subject)).toBe(false);
        },
      ),
    );
  });
});
