import { closeSync, fsyncSync, openSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { encodeCvss, encodeList, encodeRanges, encodeReferences } from './codec.js';
import type { AdvisoryInput, AffectedInput, EpssEntry, KevEntry, VendorSeverity } from './model.js';
import { INDEXES, SCHEMA_VERSION, TABLES } from './schema.js';

/** What an import records about where its data came from. */
export interface SourceMeta {
  /** Unique per database: "osv:PyPI", "debian-tracker", "alpine:v3.20:main", "file:/abs/path". */
  name: string;
  /** Feed format: osv, debian-tracker, alpine-secdb, kev, epss. */
  kind: string;
  url: string;
  etag?: string;
  lastModified?: string;
  sha256?: string;
  bytes?: number;
}

/** Warnings kept per source for display; the count covers all of them. */
const KEPT_WARNINGS = 50;

/**
 * Builds a new database file from scratch: sources copied unchanged from the previous
 * database plus sources imported afresh. The file is written without a journal (it is not
 * live until renamed into place) and indexed once at the end, which is what makes bulk
 * import fast.
 */
export class DbBuilder {
  private readonly db: Database.Database;
  private readonly insertSource: Database.Statement;
  private open = true;

  private constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('locking_mode = EXCLUSIVE');
    this.db.pragma('cache_size = -65536');
    this.db.exec(TABLES);
    this.db.exec('BEGIN');
    this.insertSource = this.db.prepare(
      `INSERT INTO source (name, kind, url, etag, last_modified, sha256, bytes, imported_at, checked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** A new, empty database at `path` (which must not be the live one). */
  static create(path: string): DbBuilder {
    rmSync(path, { force: true });
    return new DbBuilder(path);
  }

  /** Copies the named sources, with all their rows and ids, from another database of this schema. */
  copySources(fromPath: string, names: readonly string[]): void {
    if (names.length === 0) return;
    // ATTACH is not allowed inside a transaction.
    this.db.exec('COMMIT');
    this.db.prepare('ATTACH DATABASE ? AS previous').run(fromPath);
    try {
      const ids = this.db
        .prepare(`SELECT id FROM previous.source WHERE name IN (${names.map(() => '?').join(',')})`)
        .pluck()
        .all(...names) as number[];
      const list = ids.join(',');
      this.db.exec(`
        BEGIN;
        INSERT INTO source SELECT * FROM previous.source WHERE id IN (${list});
        INSERT INTO advisory SELECT * FROM previous.advisory WHERE source IN (${list});
        INSERT INTO affected SELECT * FROM previous.affected WHERE source IN (${list});
        INSERT INTO kev SELECT * FROM previous.kev WHERE source IN (${list});
        INSERT INTO epss SELECT * FROM previous.epss WHERE source IN (${list});
        COMMIT;
      `);
    } finally {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.db.exec('DETACH DATABASE previous');
      this.db.exec('BEGIN');
    }
  }

  /** Sets the check time of copied sources whose feeds were found unchanged. */
  markChecked(names: readonly string[]): void {
    if (names.length === 0) return;
    this.db
      .prepare(`UPDATE source SET checked_at = ? WHERE name IN (${names.map(() => '?').join(',')})`)
      .run(Date.now(), ...names);
  }

  /**
   * Imports one source through `fill`. If it throws, everything it wrote (the source row
   * included) is rolled back and the error passed on; the rest of the build is unaffected.
   */
  async importSource(meta: SourceMeta, fill: (writer: SourceWriter) => Promise<void>): Promise<SourceWriter> {
    this.db.exec('SAVEPOINT source_import');
    try {
      const now = Date.now();
      const id = Number(
        this.insertSource.run(
          meta.name,
          meta.kind,
          meta.url,
          meta.etag ?? null,
          meta.lastModified ?? null,
          meta.sha256 ?? null,
          meta.bytes ?? null,
          now,
          now,
        ).lastInsertRowid,
      );
      const writer = new SourceWriter(this.db, id, meta.name);
      await fill(writer);
      writer.finish();
      this.db.exec('RELEASE source_import');
      return writer;
    } catch (err) {
      this.db.exec('ROLLBACK TO source_import');
      this.db.exec('RELEASE source_import');
      throw err;
    }
  }

  /** Indexes, statistics and schema version; then the file is closed and flushed to disk. */
  finish(): void {
    this.db.exec(INDEXES);
    this.db.exec('COMMIT');
    this.db.exec('ANALYZE');
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    this.db.close();
    this.open = false;
    const fd = openSync(this.path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Closes and deletes the unfinished file. */
  abort(): void {
    if (this.open) this.db.close();
    this.open = false;
    rmSync(this.path, { force: true });
  }
}

/** Writes one source's records; created by DbBuilder.beginSource. */
export class SourceWriter {
  records = 0;
  skipped = 0;
  /** Every warning, including those beyond the ones kept. */
  warningCount = 0;
  readonly warnings: string[] = [];
  private readonly advisoryIds = new Map<string, number>();
  private readonly insertAdvisory: Database.Statement;
  private readonly insertAffected: Database.Statement;
  private readonly insertKev: Database.Statement;
  private readonly insertEpss: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    readonly id: number,
    readonly name: string,
  ) {
    this.insertAdvisory = db.prepare(
      `INSERT INTO advisory (source, name, aliases, summary, details, published, modified, refs,
         severity_source, severity, severity_level, cvss) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertAffected = db.prepare(
      `INSERT INTO affected (advisory, source, ecosystem, name, fix_state, ranges, versions,
         severity_source, severity, severity_level, cvss) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertKev = db.prepare('INSERT OR REPLACE INTO kev VALUES (?, ?, ?, ?, ?, ?)');
    this.insertEpss = db.prepare('INSERT OR REPLACE INTO epss VALUES (?, ?, ?, ?)');
  }

  /** Adds an advisory and its affected packages; a second advisory with the same id is skipped. */
  addAdvisory(advisory: AdvisoryInput, origin: string): void {
    if (this.advisoryIds.has(advisory.id)) {
      this.warn(`${origin}: duplicate advisory ${advisory.id}; the first one is kept`);
      return;
    }
    const row = this.advisoryRow(advisory);
    for (const affected of advisory.affected) this.addAffected(row, affected);
  }

  /** The row of the advisory with this id, created from `make()` the first time (feeds keyed by package). */
  advisoryFor(id: string, make: () => Omit<AdvisoryInput, 'affected'>): number {
    return this.advisoryIds.get(id) ?? this.advisoryRow(make());
  }

  addAffected(advisoryRow: number, a: AffectedInput): void {
    this.insertAffected.run(
      advisoryRow,
      this.id,
      a.ecosystem,
      a.name,
      a.fixState,
      encodeRanges(a.ranges),
      encodeList(a.versions),
      ...severityColumns(a.vendorSeverity),
      a.cvss && a.cvss.length > 0 ? encodeCvss(a.cvss) : null,
    );
  }

  addKev(e: KevEntry): void {
    this.insertKev.run(
      e.cve,
      this.id,
      e.dateAdded,
      e.dueDate ?? null,
      e.knownRansomware ? 1 : 0,
      e.name ?? null,
    );
    this.records++;
  }

  addEpss(e: EpssEntry): void {
    this.insertEpss.run(e.cve, this.id, e.score, e.percentile);
    this.records++;
  }

  /** A record that could not be imported: counted as skipped, and the message kept to show. */
  warn(message: string): void {
    this.skipped++;
    this.note(message);
  }

  /** Something dropped from a record that was still imported (an entry of an unknown ecosystem). */
  note(message: string): void {
    this.warningCount++;
    if (this.warnings.length < KEPT_WARNINGS) this.warnings.push(message);
  }

  /** Records the counts on the source row. */
  finish(): void {
    this.db
      .prepare('UPDATE source SET records = ?, skipped = ? WHERE id = ?')
      .run(this.records, this.skipped, this.id);
  }

  private advisoryRow(a: Omit<AdvisoryInput, 'affected'>): number {
    const row = Number(
      this.insertAdvisory.run(
        this.id,
        a.id,
        encodeList(a.aliases),
        a.summary ?? null,
        a.details ?? null,
        a.published ?? null,
        a.modified ?? null,
        encodeReferences(a.references),
        ...severityColumns(a.vendorSeverity),
        encodeCvss(a.cvss),
      ).lastInsertRowid,
    );
    this.advisoryIds.set(a.id, row);
    this.records++;
    return row;
  }
}

function severityColumns(s: VendorSeverity | undefined): [string | null, string | null, string | null] {
  return s ? [s.source, s.value, s.level] : [null, null, null];
}
