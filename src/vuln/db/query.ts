import type Database from 'better-sqlite3';
import type { CvssScore } from '../cvss/index.js';
import { decodeCvss, decodeList, decodeRanges, decodeReferences, listIncludes } from './codec.js';
import { canonicalEcosystem, normalisePackageName } from './ecosystems.js';
import type { AffectedRange, FixState, Reference, VendorSeverity } from './model.js';
import { openReadOnly } from './open.js';

/** One affected-package entry of one advisory, as the matcher needs it. */
export interface AffectedRecord {
  advisoryId: string;
  ecosystem: string;
  name: string;
  ranges: AffectedRange[];
  /** Explicitly listed affected versions (OSV `versions`), decoded on first use. */
  versions: string[];
  /** Whether `versions` lists `version`, without decoding the list (lists run to hundreds). */
  listsVersion(version: string): boolean;
  fixState: FixState;
  /** The `fixed` events of the ranges, in order, without duplicates. */
  fixedVersions: string[];
  /** Present when this package's severity differs from the advisory's (Debian urgency per release). */
  vendorSeverity?: VendorSeverity;
  cvss?: CvssScore[];
  /** Pass to VulnDb.advisory() for the advisory's details. */
  advisoryRef: number;
}

export interface AdvisoryDetails {
  id: string;
  aliases: string[];
  /** The summary, or the first line of the details when there is no summary. */
  title: string;
  details?: string;
  published?: string;
  modified?: string;
  references: Reference[];
  vendorSeverity?: VendorSeverity;
  cvss: CvssScore[];
  kev?: { cve: string; dateAdded: string; dueDate?: string; knownRansomware: boolean };
  epss?: { cve: string; score: number; percentile: number };
  /** The source (feed) the advisory was imported from. */
  source: string;
}

export interface SourceStatus {
  name: string;
  kind: string;
  url: string;
  records: number;
  skipped: number;
  sha256?: string;
  bytes?: number;
  etag?: string;
  lastModified?: string;
  importedAt: Date;
  checkedAt: Date;
}

interface AffectedRow {
  advisory: number;
  source: number;
  advisory_name: string;
  ecosystem: string;
  name: string;
  fix_state: FixState;
  ranges: string;
  versions: string;
  severity_source: string | null;
  severity: string | null;
  severity_level: VendorSeverity['level'] | null;
  cvss: string | null;
  imported_at: number;
}

interface AdvisoryRow {
  id: number;
  name: string;
  aliases: string;
  summary: string | null;
  details: string | null;
  published: string | null;
  modified: string | null;
  refs: string;
  severity_source: string | null;
  severity: string | null;
  severity_level: VendorSeverity['level'] | null;
  cvss: string;
  source_name: string;
}

interface KevRow {
  cve: string;
  date_added: string;
  due_date: string | null;
  ransomware: number;
}

interface EpssRow {
  cve: string;
  score: number;
  percentile: number;
}

/** Read-only access to a vulnerability database, with statements prepared once. */
export class VulnDb {
  private readonly affectedStmt: Database.Statement;
  private readonly advisoryStmt: Database.Statement;
  private readonly kevStmt: Database.Statement;
  private readonly epssStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.affectedStmt = db.prepare(
      `SELECT f.advisory, f.source, a.name AS advisory_name, f.ecosystem, f.name, f.fix_state, f.ranges,
              f.versions, f.severity_source, f.severity, f.severity_level, f.cvss, s.imported_at
         FROM affected f JOIN advisory a ON a.id = f.advisory JOIN source s ON s.id = f.source
        WHERE f.ecosystem = ? AND f.name IN (SELECT value FROM json_each(?))`,
    );
    // Rows as arrays, named in JS (affectedRow, advisoryRow): a third less CPU than letting the
    // driver build an object per row, on the matcher's thousands of rows.
    this.affectedStmt.raw(true);
    this.advisoryStmt = db.prepare(
      `SELECT a.id, a.name, a.aliases, a.summary, a.details, a.published, a.modified, a.refs, a.severity_source,
              a.severity, a.severity_level, a.cvss, s.name AS source_name
         FROM advisory a JOIN source s ON s.id = a.source WHERE a.id IN (SELECT value FROM json_each(?))`,
    );
    this.advisoryStmt.raw(true);
    this.kevStmt = db.prepare(
      'SELECT cve, date_added, due_date, ransomware FROM kev WHERE cve IN (SELECT value FROM json_each(?))',
    );
    this.epssStmt = db.prepare(
      'SELECT cve, score, percentile FROM epss WHERE cve IN (SELECT value FROM json_each(?))',
    );
  }

  /**
   * Affected entries for a package. `ecosystem` is an OSV ecosystem string ("npm", "PyPI",
   * "Debian:12", "Alpine:v3.20"); `name` is normalised the way the ecosystem compares names.
   * When two sources carry the same advisory id, only the most recently imported one counts.
   */
  affected(ecosystem: string, name: string): AffectedRecord[] {
    return this.affectedMany(ecosystem, [name]).get(name) ?? [];
  }

  /** Affected entries for many packages of one ecosystem in one query, keyed by the names given. */
  affectedMany(ecosystem: string, names: readonly string[]): Map<string, AffectedRecord[]> {
    const eco = canonicalEcosystem(ecosystem) ?? ecosystem;
    const byNormalised = new Map<string, string[]>();
    for (const name of names) {
      const key = normalisePackageName(eco, name);
      const given = byNormalised.get(key);
      if (!given) byNormalised.set(key, [name]);
      else if (!given.includes(name)) given.push(name);
    }
    const rows = (this.affectedStmt.all(eco, JSON.stringify([...byNormalised.keys()])) as unknown[][]).map(
      affectedRow,
    );
    const shadowed = shadowedRows(rows);
    const out = new Map<string, AffectedRecord[]>();
    for (const row of rows) {
      if (shadowed?.has(row)) continue;
      const record = new LazyRecord(row);
      for (const name of byNormalised.get(row.name) ?? []) {
        const list = out.get(name);
        if (list) list.push(record);
        else out.set(name, [record]);
      }
    }
    return out;
  }

  /**
   * Runs `read` in one read transaction: a consistent snapshot, and far fewer lock round
   * trips than one per statement when the matcher makes thousands of lookups.
   */
  snapshot<T>(read: () => T): T {
    this.db.exec('BEGIN');
    try {
      return read();
    } finally {
      this.db.exec('COMMIT');
    }
  }

  /** Everything about an advisory a report shows, including KEV and EPSS for its CVE ids. */
  advisory(ref: number): AdvisoryDetails {
    const details = this.advisories([ref]).get(ref);
    if (!details) throw new Error(`no advisory with ref ${ref}`);
    return details;
  }

  /** advisory() for many refs in three statements (a scan's findings need thousands). */
  advisories(refs: readonly number[]): Map<number, AdvisoryDetails> {
    const rows = (this.advisoryStmt.all(JSON.stringify(refs)) as unknown[][]).map(advisoryRow);
    const out = new Map<number, AdvisoryDetails>();
    const cves = new Set<string>();
    for (const row of rows) {
      const details = toAdvisory(row);
      out.set(row.id, details);
      for (const id of [details.id, ...details.aliases]) if (id.startsWith('CVE-')) cves.add(id);
    }
    if (cves.size === 0) return out;
    const list = JSON.stringify([...cves]);
    const kev = new Map(
      (this.kevStmt.all(list) as KevRow[]).map((k) => {
        const entry: NonNullable<AdvisoryDetails['kev']> = {
          cve: k.cve,
          dateAdded: k.date_added,
          knownRansomware: k.ransomware === 1,
        };
        if (k.due_date) entry.dueDate = k.due_date;
        return [k.cve, entry];
      }),
    );
    const epss = new Map(
      (this.epssStmt.all(list) as EpssRow[]).map((e) => [
        e.cve,
        { cve: e.cve, score: e.score, percentile: e.percentile },
      ]),
    );
    for (const details of out.values())
      for (const cve of [details.id, ...details.aliases]) {
        const k = kev.get(cve);
        if (k && !details.kev) details.kev = k;
        const e = epss.get(cve);
        if (e && (!details.epss || e.score > details.epss.score)) details.epss = e;
      }
    return out;
  }

  /** True when no advisory has been imported: scans must say so instead of reporting "clean". */
  isEmpty(): boolean {
    return this.db.prepare('SELECT 1 FROM affected LIMIT 1').get() === undefined;
  }

  /** True when some advisory names a package of `ecosystem` ("npm", "Debian:12"): else its packages went unchecked. */
  covers(ecosystem: string): boolean {
    const eco = canonicalEcosystem(ecosystem) ?? ecosystem;
    return this.db.prepare('SELECT 1 FROM affected WHERE ecosystem = ? LIMIT 1').get(eco) !== undefined;
  }

  sources(): SourceStatus[] {
    const rows = this.db.prepare('SELECT * FROM source ORDER BY name').all() as {
      name: string;
      kind: string;
      url: string;
      etag: string | null;
      last_modified: string | null;
      sha256: string | null;
      bytes: number | null;
      records: number;
      skipped: number;
      imported_at: number;
      checked_at: number;
    }[];
    return rows.map((r) => {
      const s: SourceStatus = {
        name: r.name,
        kind: r.kind,
        url: r.url,
        records: r.records,
        skipped: r.skipped,
        importedAt: new Date(r.imported_at),
        checkedAt: new Date(r.checked_at),
      };
      if (r.sha256) s.sha256 = r.sha256;
      if (r.bytes !== null) s.bytes = r.bytes;
      if (r.etag) s.etag = r.etag;
      if (r.last_modified) s.lastModified = r.last_modified;
      return s;
    });
  }

  close(): void {
    this.db.close();
  }
}

/** Opens the database at `path` read-only; a missing, locked, corrupt or foreign file is a UserError. */
export function openVulnDb(path: string): VulnDb {
  return new VulnDb(openReadOnly(path));
}

function affectedRow(r: unknown[]): AffectedRow {
  return {
    advisory: r[0] as number,
    source: r[1] as number,
    advisory_name: r[2] as string,
    ecosystem: r[3] as string,
    name: r[4] as string,
    fix_state: r[5] as FixState,
    ranges: r[6] as string,
    versions: r[7] as string,
    severity_source: r[8] as string | null,
    severity: r[9] as string | null,
    severity_level: r[10] as VendorSeverity['level'] | null,
    cvss: r[11] as string | null,
    imported_at: r[12] as number,
  };
}

function advisoryRow(r: unknown[]): AdvisoryRow {
  return {
    id: r[0] as number,
    name: r[1] as string,
    aliases: r[2] as string,
    summary: r[3] as string | null,
    details: r[4] as string | null,
    published: r[5] as string | null,
    modified: r[6] as string | null,
    refs: r[7] as string,
    severity_source: r[8] as string | null,
    severity: r[9] as string | null,
    severity_level: r[10] as VendorSeverity['level'] | null,
    cvss: r[11] as string,
    source_name: r[12] as string,
  };
}

/**
 * Rows of an advisory id that a more recently imported source also carries for the same
 * package, or undefined when all rows come from one source (the common case, checked first).
 */
function shadowedRows(rows: AffectedRow[]): Set<AffectedRow> | undefined {
  if (rows.every((row) => row.source === rows[0]?.source)) return undefined;
  const newest = new Map<string, AffectedRow>();
  for (const row of rows) {
    const key = `${row.name}\n${row.advisory_name}`;
    const seen = newest.get(key);
    if (!seen || row.imported_at > seen.imported_at) newest.set(key, row);
  }
  const shadowed = new Set<AffectedRow>();
  for (const row of rows)
    if ((newest.get(`${row.name}\n${row.advisory_name}`) as AffectedRow).source !== row.source)
      shadowed.add(row);
  return shadowed;
}

/** A record whose `versions` list stays encoded until asked for: most lookups never need it. */
class LazyRecord implements AffectedRecord {
  readonly advisoryId: string;
  readonly ecosystem: string;
  readonly name: string;
  readonly ranges: AffectedRange[];
  readonly fixState: FixState;
  readonly fixedVersions: string[];
  readonly advisoryRef: number;
  declare vendorSeverity?: VendorSeverity;
  declare cvss?: CvssScore[];
  readonly #encodedVersions: string;
  #decodedVersions: string[] | undefined;

  constructor(row: AffectedRow) {
    this.advisoryId = row.advisory_name;
    this.ecosystem = row.ecosystem;
    this.name = row.name;
    this.ranges = decodeRanges(row.ranges);
    this.fixState = row.fix_state;
    this.fixedVersions = fixedVersions(this.ranges);
    this.advisoryRef = row.advisory;
    this.#encodedVersions = row.versions;
    const vendor = vendorSeverity(row);
    if (vendor) this.vendorSeverity = vendor;
    if (row.cvss) this.cvss = decodeCvss(row.cvss);
  }

  get versions(): string[] {
    this.#decodedVersions ??= decodeList(this.#encodedVersions);
    return this.#decodedVersions;
  }

  listsVersion(version: string): boolean {
    return listIncludes(this.#encodedVersions, version);
  }
}

function fixedVersions(ranges: AffectedRange[]): string[] {
  const out: string[] = [];
  for (const r of ranges)
    for (const e of r.events) if (e.kind === 'fixed' && !out.includes(e.version)) out.push(e.version);
  return out;
}

function vendorSeverity(row: {
  severity_source: string | null;
  severity: string | null;
  severity_level: VendorSeverity['level'] | null;
}): VendorSeverity | undefined {
  if (row.severity_source === null || row.severity === null || row.severity_level === null) return undefined;
  return { source: row.severity_source, value: row.severity, level: row.severity_level };
}

function toAdvisory(row: AdvisoryRow): AdvisoryDetails {
  const details: AdvisoryDetails = {
    id: row.name,
    aliases: decodeList(row.aliases),
    title: row.summary ?? firstLine(row.details ?? '') ?? row.name,
    references: decodeReferences(row.refs),
    cvss: decodeCvss(row.cvss),
    source: row.source_name,
  };
  if (row.details) details.details = row.details;
  if (row.published) details.published = row.published;
  if (row.modified) details.modified = row.modified;
  const vendor = vendorSeverity(row);
  if (vendor) details.vendorSeverity = vendor;
  return details;
}

function firstLine(text: string): string | undefined {
  const line = text.trim().split('\n')[0]?.trim();
  return line ? line : undefined;
}
