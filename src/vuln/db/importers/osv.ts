import { type CvssScore, parseCvss } from '../../cvss/index.js';
import { hasSeparator } from '../codec.js';
import { canonicalEcosystem, normalisePackageName } from '../ecosystems.js';
import { isJsonObject } from '../json-stream.js';
import type {
  AdvisoryInput,
  AffectedInput,
  AffectedRange,
  RangeEvent,
  RangeEventKind,
  RangeType,
  Reference,
  VendorSeverity,
} from '../model.js';
import { severityLevel } from '../model.js';

/**
 * Reads one OSV record (https://ossf.github.io/osv-schema/) into the database's model.
 * A record that breaks the schema where it matters for matching (id, ranges, events,
 * versions) is rejected whole with the reason; cosmetic fields that are malformed (a bad
 * reference, an unparseable CVSS vector) are dropped and the record kept.
 */

type OsvResult =
  | { kind: 'advisory'; advisory: AdvisoryInput; notes: string[] }
  | { kind: 'withdrawn'; id: string }
  | { kind: 'invalid'; id?: string; problem: string };

export interface OsvOptions {
  /** Keep only affected entries of these ecosystems (a feed for "PyPI" ignores a record's npm entries). */
  ecosystem?: (canonical: string) => boolean;
}

class Invalid extends Error {}

const RANGE_TYPES = new Set<RangeType>(['ECOSYSTEM', 'SEMVER', 'GIT']);
const EVENT_KINDS = new Set<RangeEventKind>(['introduced', 'fixed', 'last_affected', 'limit']);

export function parseOsvRecord(json: unknown, options: OsvOptions = {}): OsvResult {
  if (!isJsonObject(json)) return { kind: 'invalid', problem: 'not an OSV record (expected a JSON object)' };
  const id = json.id;
  if (typeof id !== 'string' || id.trim() === '' || hasSeparator(id))
    return { kind: 'invalid', problem: "not an OSV record: 'id' is missing or not a string" };
  if (json.withdrawn !== undefined && json.withdrawn !== null) return { kind: 'withdrawn', id };
  try {
    const notes: string[] = [];
    const affected: AffectedInput[] = [];
    for (const [i, entry] of array(json.affected, 'affected').entries()) {
      const a = parseAffected(entry, `affected[${i}]`, notes, options);
      if (a) affected.push(a);
    }
    const cvss: CvssScore[] = [];
    let vendorSeverity: VendorSeverity | undefined;
    for (const s of array(json.severity, 'severity')) {
      const parsed = parseSeverity(s);
      if (parsed && 'vector' in parsed) cvss.push(parsed);
      else if (parsed) vendorSeverity = parsed;
    }
    const dbSeverity = isJsonObject(json.database_specific) ? json.database_specific.severity : undefined;
    if (!vendorSeverity && typeof dbSeverity === 'string' && dbSeverity !== '')
      vendorSeverity = {
        source: id.split('-')[0] ?? id,
        value: dbSeverity,
        level: severityLevel(dbSeverity),
      };
    const advisory: AdvisoryInput = {
      id,
      aliases: strings(json.aliases, 'aliases').filter((a) => a !== id && !hasSeparator(a)),
      references: references(json.references),
      cvss,
      affected,
    };
    const summary = optionalString(json.summary, 'summary');
    if (summary) advisory.summary = summary;
    const details = optionalString(json.details, 'details');
    if (details) advisory.details = details;
    const published = optionalString(json.published, 'published');
    if (published) advisory.published = published;
    const modified = optionalString(json.modified, 'modified');
    if (modified) advisory.modified = modified;
    if (vendorSeverity) advisory.vendorSeverity = vendorSeverity;
    return { kind: 'advisory', advisory, notes };
  } catch (err) {
    if (err instanceof Invalid) return { kind: 'invalid', id, problem: err.message };
    throw err;
  }
}

function parseAffected(
  entry: unknown,
  where: string,
  notes: string[],
  options: OsvOptions,
): AffectedInput | undefined {
  if (!isJsonObject(entry)) throw new Invalid(`${where} is not an object`);
  const pkg = entry.package;
  // Entries without a package (a bare GIT range) cannot be matched against an inventory.
  if (pkg === undefined) return undefined;
  if (
    !isJsonObject(pkg) ||
    typeof pkg.ecosystem !== 'string' ||
    typeof pkg.name !== 'string' ||
    pkg.name === ''
  )
    throw new Invalid(`${where}.package needs string 'ecosystem' and 'name'`);
  const ecosystem = canonicalEcosystem(pkg.ecosystem);
  if (!ecosystem) {
    notes.push(`${where}: unknown ecosystem '${pkg.ecosystem}' (entry skipped)`);
    return undefined;
  }
  if (options.ecosystem && !options.ecosystem(ecosystem)) return undefined;
  if (hasSeparator(pkg.name)) throw new Invalid(`${where}.package.name has control characters`);
  const ranges = array(entry.ranges, `${where}.ranges`).map((r, j) => parseRange(r, `${where}.ranges[${j}]`));
  const versions = strings(entry.versions, `${where}.versions`);
  if (versions.some(hasSeparator)) throw new Invalid(`${where}.versions has control characters`);
  const hasFix = ranges.some((r) => r.type !== 'GIT' && r.events.some((e) => e.kind === 'fixed'));
  const affected: AffectedInput = {
    ecosystem,
    name: normalisePackageName(ecosystem, pkg.name),
    ranges,
    versions,
    fixState: hasFix ? 'fixed' : 'affected',
  };
  const cvss: CvssScore[] = [];
  for (const s of array(entry.severity, `${where}.severity`)) {
    const parsed = parseSeverity(s);
    if (parsed && 'vector' in parsed) cvss.push(parsed);
    else if (parsed) affected.vendorSeverity = parsed;
  }
  if (cvss.length > 0) affected.cvss = cvss;
  const urgency = isJsonObject(entry.ecosystem_specific) ? entry.ecosystem_specific.urgency : undefined;
  if (!affected.vendorSeverity && typeof urgency === 'string' && urgency !== '')
    affected.vendorSeverity = { source: 'Debian', value: urgency, level: severityLevel(urgency) };
  return affected;
}

function parseRange(range: unknown, where: string): AffectedRange {
  if (!isJsonObject(range)) throw new Invalid(`${where} is not an object`);
  const type = range.type as RangeType;
  if (!RANGE_TYPES.has(type))
    throw new Invalid(`${where}.type '${String(range.type)}' is not ECOSYSTEM, SEMVER or GIT`);
  const events = array(range.events, `${where}.events`).map((e, k): RangeEvent => {
    const keys = isJsonObject(e) ? Object.keys(e) : [];
    const kind = keys[0] as RangeEventKind;
    const version = isJsonObject(e) ? e[kind] : undefined;
    if (keys.length !== 1 || !EVENT_KINDS.has(kind) || typeof version !== 'string' || version === '')
      throw new Invalid(
        `${where}.events[${k}] must have exactly one of introduced, fixed, last_affected, limit`,
      );
    if (hasSeparator(version)) throw new Invalid(`${where}.events[${k}] has control characters`);
    return { kind, version };
  });
  if (!events.some((e) => e.kind === 'introduced')) throw new Invalid(`${where} has no 'introduced' event`);
  return { type, events };
}

/** A CVSS vector, or a vendor's word for severity (type "Ubuntu"); undefined when unusable. */
function parseSeverity(s: unknown): CvssScore | VendorSeverity | undefined {
  if (!isJsonObject(s) || typeof s.type !== 'string' || typeof s.score !== 'string') return undefined;
  if (s.type.startsWith('CVSS_V')) {
    try {
      return parseCvss(s.score);
    } catch {
      return undefined;
    }
  }
  if (hasSeparator(s.score)) return undefined;
  return { source: s.type, value: s.score, level: severityLevel(s.score) };
}

function references(value: unknown): Reference[] {
  if (!Array.isArray(value)) return [];
  const out: Reference[] = [];
  for (const r of value)
    if (isJsonObject(r) && typeof r.url === 'string' && !hasSeparator(r.url))
      out.push({ type: typeof r.type === 'string' && !hasSeparator(r.type) ? r.type : 'WEB', url: r.url });
  return out;
}

function array(v: unknown, where: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Invalid(`'${where}' is not an array`);
  return v;
}

function strings(v: unknown, where: string): string[] {
  const items = array(v, where);
  if (items.some((s) => typeof s !== 'string')) throw new Invalid(`'${where}' must hold only strings`);
  return items as string[];
}

function optionalString(v: unknown, where: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Invalid(`'${where}' is not a string`);
  return v;
}
