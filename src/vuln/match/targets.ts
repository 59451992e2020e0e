import type { Package } from '../../types.js';
import { languageEcosystem } from '../db/ecosystems.js';

/**
 * What the database is asked about each package: the advisory ecosystem, the names records
 * are keyed by, and the version to compare.
 *
 * - Debian, Ubuntu and Alpine key advisories by source package (origin) and source version,
 *   so a binary package is looked up through its source; each binary still gets its own finding.
 * - RPM distributions key them by source RPM name in some feeds and by binary name in others;
 *   both are asked, with the binary's epoch:version-release (the SRPM's file name drops the epoch).
 * - Language packages by ecosystem and name (the database normalises names: PEP 503 etc.).
 *   Packages whose files belong to an OS package are left to the OS package's advisories,
 *   except Go binaries: a statically linked program carries the standard library and modules it
 *   was built with, which the distribution's advisories for the owning package do not describe
 *   (Debian tracks Go's CVEs against golang-1.NN, not against each program built with it).
 */

export interface MatchTarget {
  ecosystem: string;
  names: string[];
  version: string;
  /** The version as OSV records of the ecosystem spell it in `versions` lists. */
  listedAs: string;
}

type TargetPlan =
  | { kind: 'match'; target: MatchTarget }
  | { kind: 'skip'; reason: 'os-owned' | 'no-distro' | 'no-ecosystem' };

const OS_TYPES = new Set(['deb', 'apk', 'rpm']);
const GO_BINARY_ANALYZER = 'go-binary';

export function isOsPackage(pkg: Package): boolean {
  return OS_TYPES.has(pkg.ecosystem);
}

/** `distro`: the OS's advisory ecosystem ("Debian:12"), undefined when unknown or unsupported. */
export function planTarget(pkg: Package, distro: string | undefined): TargetPlan {
  if (isOsPackage(pkg)) {
    if (!distro) return { kind: 'skip', reason: 'no-distro' };
    if (pkg.ecosystem === 'rpm') {
      const names = pkg.source && pkg.source.name !== pkg.name ? [pkg.source.name, pkg.name] : [pkg.name];
      return {
        kind: 'match',
        target: { ecosystem: distro, names, version: pkg.version, listedAs: pkg.version },
      };
    }
    const name = pkg.source?.name ?? pkg.name;
    const version = pkg.source?.version ?? pkg.version;
    return { kind: 'match', target: { ecosystem: distro, names: [name], version, listedAs: version } };
  }
  if (pkg.osOwned && pkg.analyzer !== GO_BINARY_ANALYZER) return { kind: 'skip', reason: 'os-owned' };
  const ecosystem = languageEcosystem(pkg.ecosystem);
  if (!ecosystem) return { kind: 'skip', reason: 'no-ecosystem' };
  const listedAs = ecosystem === 'Go' ? pkg.version.replace(/^v/, '') : pkg.version;
  return { kind: 'match', target: { ecosystem, names: [pkg.name], version: pkg.version, listedAs } };
}
