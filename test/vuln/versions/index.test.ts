import { describe, expect, it } from 'vitest';
import { schemeFor, schemes } from '../../../src/vuln/versions/index.js';

describe('schemeFor', () => {
  const cases: [string, string][] = [
    ['Debian', 'dpkg'],
    ['Debian:12', 'dpkg'],
    ['Ubuntu:22.04:LTS', 'dpkg'],
    ['Alpine:v3.20', 'apk'],
    ['Wolfi', 'apk'],
    ['Red Hat', 'rpm'],
    ['Red Hat:enterprise_linux:9::appstream', 'rpm'],
    ['Rocky Linux:9', 'rpm'],
    ['AlmaLinux:8', 'rpm'],
    ['openSUSE', 'rpm'],
    ['npm', 'npm'],
    ['PyPI', 'pep440'],
    ['Go', 'go'],
    ['crates.io', 'cargo'],
    ['Maven', 'maven'],
    ['RubyGems', 'rubygems'],
    ['NuGet', 'nuget'],
    ['Packagist', 'composer'],
    ['Hex', 'semver'],
    ['Pub', 'pub'],
    ['CRAN', 'cran'],
    ['Hackage', 'hackage'],
    ['deb', 'dpkg'],
    ['rpm', 'rpm'],
    ['apk', 'apk'],
    ['pypi', 'pep440'],
    ['golang', 'go'],
    ['maven', 'maven'],
    ['gem', 'rubygems'],
    ['cargo', 'cargo'],
    ['composer', 'composer'],
    ['nuget', 'nuget'],
    ['pkg:deb/debian/bash@5.2.15-2?distro=debian-12', 'dpkg'],
  ];
  for (const [ecosystem, name] of cases) {
    it(`maps ${ecosystem} to ${name}`, () => expect(schemeFor(ecosystem)?.name).toBe(name));
  }
  it('knows no scheme for ecosystems without one', () => {
    for (const e of ['Linux', 'OSS-Fuzz', 'Android', '', 'GIT']) expect(schemeFor(e), e).toBeUndefined();
  });
  it('lists every scheme once', () => {
    const names = schemes.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
