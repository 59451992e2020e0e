import type { Finding, Inventory, Package } from '../../types.js';
import type { FixState } from '../db/model.js';
import type { AdvisoryDetails, AffectedRecord } from '../db/query.js';
import type { VersionScheme } from '../versions/index.js';
import type { AliasGroup, Groupable } from './alias-groups.js';
import { priority, type Rating, rate } from './rating.js';
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
function findingTarget(pkg: Package, inventory: Inventory): string {
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
  const all = group.others.length === 0 ? [primary] : [primary, ...group.others];
  const advisory = primary.advisory;
  const ids = new Set<string>();
  const references = new Set<string>();
  let kev: Match['advisory']['kev'];
  let epss: Match['advisory']['epss'];
  for (const m of all) {
    ids.add(m.advisory.id);
    for (const alias of m.advisory.aliases) ids.add(alias);
    for (const r of m.advisory.references) references.add(r.url);
    kev ??= m.advisory.kev;
    if (m.advisory.epss && (!epss || m.advisory.epss.score > epss.score)) epss = m.advisory.epss;
  }
  for (const id of group.umbrellas) ids.add(id);
  ids.delete(advisory.id);
  const aliases = [...ids];
  const rating = ratingOf(all);
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
    dataSource: [...new Set(all.map((m) => m.advisory.source))],
  };
  if (matchedVersion !== pkg.version) details.matchedVersion = matchedVersion;
  const { cvss, severity } = rating;
  if (cvss) {
    details.cvss = { version: cvss.version, score: cvss.score, vector: cvss.vector };
    details.cvssScore = cvss.score;
  }
  details.kev = kev ?? false;
  if (epss) details.epss = { score: epss.score, percentile: epss.percentile };
  if (layer) details.layer = layer;
  if (advisory.published) details.published = advisory.published;
  if (advisory.modified) details.modified = advisory.modified;

  const finding: Finding = {
    kind: 'vulnerability',
    ruleId: advisory.id,
    severity,
    title: advisory.title,
    target: findingTarget(pkg, inventory),
    location: { path: pkg.paths[0] },
    references: [...references],
    status: 'open',
    details,
  };
  if (layerDigest) finding.location.layer = layerDigest;
  if (fix) finding.fix = fix;
  if (advisory.details && advisory.details !== advisory.title) finding.description = advisory.details;
  return finding;
}

/** Severity and CVSS of the first record that rates the vulnerability, else of the first with a CVSS vector. */
function ratingOf(matches: Match[]): Rating {
  let best: Rating | undefined;
  for (const m of matches) {
    const r = rate(m.record.vendorSeverity ?? m.advisory.vendorSeverity, m.record.cvss ?? m.advisory.cvss);
    if (r.severity !== 'UNKNOWN') return r;
    if (!best || (!best.cvss && r.cvss)) best = r;
  }
  return best as Rating;
}

/** The package as findings show it, made once per package however many findings it has. */
const packageDetailsCache = new WeakMap<Package, Record<string, unknown>>();

function packageDetails(pkg: Package): Record<string, unknown> {
  const cached = packageDetailsCache.get(pkg);
  if (cached) return cached;
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
  packageDetailsCache.set(pkg, out);
  return out;
}

/** Every fixed version of the record above the installed one, smallest first. */
function fixesAbove(record: AffectedRecord, version: string, scheme: VersionScheme): string[] {
  return record.fixedVersions
    .filter((v) => scheme.compare(v, version) > 0)
    .sort((a, b) => scheme.compare(a, b));
}
