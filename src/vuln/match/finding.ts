import type { Finding, Inventory, Package } from '../../types.js';
import type { FixState } from '../db/model.js';
import type { AdvisoryDetails, AffectedRecord } from '../db/query.js';
import type { VersionScheme } from '../versions/index.js';
import type { AliasGroup, Groupable } from './alias-groups.js';
import { priority, rate } from './rating.js';
import { isOsPackage } from './targets.js';

/** One record that matched one package. */
export interface Match extends Groupable {
  record: AffectedRecord;
  advisory: AdvisoryDetails;
  /** The smallest fixed version above the installed one, in the range that matched. */
  fixed?: string;
}

/** Packages read from one file each are grouped under one heading, as Trivy users know them. */
const GROUPED_ANALYZERS: Record<string, string> = {
  'npm-package': 'Node.js',
  'python-package': 'Python',
  gemspec: 'Ruby',
  'java-archive': 'Java',
};

/** The report heading a package's findings go under. */
export function findingTarget(pkg: Package, inventory: Inventory): string {
  if (isOsPackage(pkg)) {
    const os = inventory.os;
    return os ? `${inventory.source.ref} (${os.family} ${os.version})` : inventory.source.ref;
  }
  return GROUPED_ANALYZERS[pkg.analyzer] ?? pkg.paths[0] ?? pkg.ecosystem;
}

/**
 * The finding for one package and one group of records about the same vulnerability. The
 * primary record gives the id, fix and fix state; severity and CVSS come from the first record
 * of the group that has them; KEV and EPSS from any (they are keyed by CVE).
 */
export function buildFinding(
  pkg: Package,
  inventory: Inventory,
  group: AliasGroup<Match>,
  scheme: VersionScheme,
  matchedVersion: string,
): Finding {
  const { primary } = group;
  const all = [primary, ...group.others];
  const advisory = primary.advisory;
  const aliases = unique(
    [...all.flatMap((m) => [m.advisory.id, ...m.advisory.aliases]), ...group.umbrellas].filter(
      (id) => id !== advisory.id,
    ),
  );
  const rated = all.map((m) =>
    rate(m.record.vendorSeverity ?? m.advisory.vendorSeverity, m.record.cvss ?? m.advisory.cvss),
  );
  const rating = rated.find((r) => r.severity !== 'UNKNOWN') ?? rated.find((r) => r.cvss) ?? rated[0]!;
  const kev = all.map((m) => m.advisory.kev).find((k) => k !== undefined);
  const epss = all
    .map((m) => m.advisory.epss)
    .filter((e) => e !== undefined)
    .sort((a, b) => b.score - a.score)[0];
  const fixedVersions = fixesAbove(primary.record, matchedVersion, scheme);
  const fix = primary.fixed ?? fixedVersions[0];
  const fixState: FixState = fix
    ? 'fixed'
    : primary.record.fixState === 'fixed'
      ? 'affected'
      : primary.record.fixState;
  const layer = pkg.layer ? inventory.layers[pkg.layer.index] : undefined;
  const layerDigest = layer?.diffId ?? pkg.layer?.diffId;

  const details: Record<string, unknown> = {
    aliases,
    package: packageDetails(pkg),
    installedVersion: pkg.version,
    fixedVersions: fix && !fixedVersions.includes(fix) ? [fix, ...fixedVersions] : fixedVersions,
    fixState,
    severitySource: rating.source,
    priority: priority(rating, epss?.score, kev !== undefined),
    paths: pkg.paths,
    dataSource: unique(all.map((m) => m.advisory.source)),
  };
  if (matchedVersion !== pkg.version) details.matchedVersion = matchedVersion;
  if (rating.cvss) {
    details.cvss = { version: rating.cvss.version, score: rating.cvss.score, vector: rating.cvss.vector };
    details.cvssScore = rating.cvss.score;
  }
  details.kev = kev ?? false;
  if (epss) details.epss = { score: epss.score, percentile: epss.percentile };
  if (layer) details.layer = layer;
  if (advisory.published) details.published = advisory.published;
  if (advisory.modified) details.modified = advisory.modified;

  const finding: Finding = {
    kind: 'vulnerability',
    ruleId: advisory.id,
    severity: rating.severity,
    title: advisory.title,
    target: findingTarget(pkg, inventory),
    location: { path: pkg.paths[0] },
    references: unique(all.flatMap((m) => m.advisory.references.map((r) => r.url))),
    status: 'open',
    details,
  };
  if (layerDigest) finding.location.layer = layerDigest;
  if (fix) finding.fix = fix;
  if (advisory.details && advisory.details !== advisory.title) finding.description = advisory.details;
  return finding;
}

function packageDetails(pkg: Package): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: pkg.name,
    version: pkg.version,
    ecosystem: pkg.ecosystem,
    purl: pkg.purl,
  };
  if (pkg.source) out.source = pkg.source;
  if (pkg.arch) out.arch = pkg.arch;
  if (pkg.osOwned) out.osOwned = true;
  if (pkg.dev) out.dev = true;
  return out;
}

/** Every fixed version of the record above the installed one, smallest first. */
function fixesAbove(record: AffectedRecord, version: string, scheme: VersionScheme): string[] {
  return record.fixedVersions
    .filter((v) => scheme.compare(v, version) > 0)
    .sort((a, b) => scheme.compare(a, b));
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
