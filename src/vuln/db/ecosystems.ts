import type { Ecosystem, OsInfo } from '../../types.js';

/**
 * Ecosystem names as the database stores them: OSV's ecosystem strings, canonically cased,
 * with the release kept for distributions ("Debian:12", "Alpine:v3.20", "Ubuntu:22.04")
 * and Ubuntu's ":LTS" marker dropped (os-release does not say whether a release is LTS).
 */

/** OSV's ecosystems (ossf/osv-schema ecosystems.json), by lower-case name. */
const KNOWN = new Map(
  [
    'AlmaLinux',
    'Alpaquita',
    'Alpine',
    'Android',
    'Azure Linux',
    'BellSoft',
    'Bioconductor',
    'Bitnami',
    'Chainguard',
    'ConanCenter',
    'CRAN',
    'crates.io',
    'Debian',
    'Echo',
    'GHC',
    'GIT',
    'GitHub Actions',
    'Go',
    'Hackage',
    'Hex',
    'Julia',
    'Kubernetes',
    'Linux',
    'Mageia',
    'Maven',
    'MinimOS',
    'npm',
    'NuGet',
    'openEuler',
    'openSUSE',
    'OSS-Fuzz',
    'Packagist',
    'Photon OS',
    'Pub',
    'PyPI',
    'Red Hat',
    'Rocky Linux',
    'RubyGems',
    'SUSE',
    'SwiftURL',
    'Ubuntu',
    'VSCode',
    'Wolfi',
  ].map((name) => [name.toLowerCase(), name]),
);

/** The canonical database name of an OSV ecosystem string, or undefined if unknown. */
export function canonicalEcosystem(raw: string): string | undefined {
  const colon = raw.indexOf(':');
  const base = KNOWN.get((colon < 0 ? raw : raw.slice(0, colon)).trim().toLowerCase());
  if (!base) return undefined;
  if (colon < 0) return base;
  let release = raw.slice(colon + 1);
  if (base === 'Ubuntu') release = release.replace(/:LTS$/i, '');
  return `${base}:${release}`;
}

/** The ecosystem part without the release: "Debian:12" → "Debian". */
export function baseEcosystem(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

/** Names as each ecosystem compares them (PEP 503 for PyPI; case-insensitive registries lowered). */
export function normalisePackageName(ecosystem: string, name: string): string {
  switch (baseEcosystem(ecosystem)) {
    case 'PyPI':
      return name.toLowerCase().replace(/[-_.]+/g, '-');
    case 'NuGet':
    case 'Packagist':
    case 'Hex':
    case 'Pub':
      return name.toLowerCase();
    default:
      return name;
  }
}

const LANGUAGE_ECOSYSTEMS: Partial<Record<Ecosystem, string>> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  gem: 'RubyGems',
  cargo: 'crates.io',
  composer: 'Packagist',
  nuget: 'NuGet',
};

/** The advisory ecosystem for a language package type (purl type); undefined for OS packages. */
export function languageEcosystem(type: Ecosystem): string | undefined {
  return LANGUAGE_ECOSYSTEMS[type];
}

/** Debian release codenames, as the security tracker names them, and their numbers. */
export const DEBIAN_RELEASES: Readonly<Record<string, string>> = {
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  duke: '15',
};

/**
 * The distribution ecosystem advisories use for an OS: Debian:12, Ubuntu:22.04, Alpine:v3.20,
 * Rocky Linux:9, AlmaLinux:9. Undefined when the OS or its release is unknown.
 */
export function distroEcosystem(os: OsInfo): string | undefined {
  const version = os.version.trim();
  const major = version.split('.')[0];
  switch (os.family) {
    case 'debian': {
      if (/^\d+/.test(version)) return `Debian:${major}`;
      const fromCodename = os.codename ? DEBIAN_RELEASES[os.codename] : undefined;
      return fromCodename ? `Debian:${fromCodename}` : undefined;
    }
    case 'ubuntu':
      return /^\d+\.\d+$/.test(version) ? `Ubuntu:${version}` : undefined;
    case 'alpine': {
      const m = /^(\d+\.\d+)/.exec(version);
      return m ? `Alpine:v${m[1]}` : undefined;
    }
    case 'rocky':
      return major ? `Rocky Linux:${major}` : undefined;
    case 'almalinux':
      return major ? `AlmaLinux:${major}` : undefined;
    default:
      return undefined;
  }
}
