import { apk } from './apk/index.js';
import { cargo } from './cargo/index.js';
import { composer } from './composer/index.js';
import { cran } from './cran/index.js';
import { dpkg } from './dpkg/index.js';
import { go } from './go/index.js';
import { hackage } from './hackage/index.js';
import { maven } from './maven/index.js';
import { npm } from './npm/index.js';
import { nuget } from './nuget/index.js';
import { pep440 } from './pep440/index.js';
import { pub } from './pub/index.js';
import { rpm } from './rpm/index.js';
import { rubygems } from './rubygems/index.js';
import type { VersionScheme } from './scheme.js';
import { semver } from './semver/index.js';

export type { VersionScheme } from './scheme.js';

export const schemes: readonly VersionScheme[] = [
  dpkg,
  rpm,
  apk,
  semver,
  npm,
  go,
  cargo,
  pep440,
  maven,
  nuget,
  rubygems,
  composer,
  pub,
  cran,
  hackage,
];

/** OSV ecosystem names (lower-cased, before any ":release" suffix) and purl types. */
const BY_NAME: Record<string, VersionScheme> = {
  // OSV ecosystems
  debian: dpkg,
  ubuntu: dpkg,
  alpine: apk,
  chainguard: apk,
  wolfi: apk,
  minimos: apk,
  alpaquita: apk,
  'bellsoft hardened containers': apk,
  'red hat': rpm,
  'rocky linux': rpm,
  almalinux: rpm,
  opensuse: rpm,
  suse: rpm,
  mageia: rpm,
  'photon os': rpm,
  openeuler: rpm,
  'azure linux': rpm,
  npm,
  pypi: pep440,
  go,
  'crates.io': cargo,
  maven,
  rubygems,
  nuget,
  packagist: composer,
  hex: semver,
  pub,
  cran,
  bioconductor: cran,
  hackage,
  ghc: hackage,
  swifturl: semver,
  bitnami: semver,
  kubernetes: semver,
  // purl types
  deb: dpkg,
  rpm,
  apk,
  golang: go,
  gem: rubygems,
  cargo,
  composer,
  swift: semver,
};

/**
 * The version scheme for an OSV ecosystem ("Debian:12", "Ubuntu:22.04:LTS", "Alpine:v3.20",
 * "Red Hat:enterprise_linux:9::appstream", "crates.io"...), a purl type ("deb", "golang") or a
 * purl ("pkg:deb/debian/bash@5.2"); undefined for ecosystems without one.
 */
export function schemeFor(ecosystem: string): VersionScheme | undefined {
  const purl = /^pkg:([^/]+)\//i.exec(ecosystem);
  const name = purl ? purl[1]! : ecosystem.split(':')[0]!;
  return BY_NAME[name.trim().toLowerCase()];
}
