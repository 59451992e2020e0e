import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { ensureCacheRoot } from '../../inventory/cache.js';
import { inputError, UserError } from '../../util/errors.js';
import { log } from '../../util/log.js';
import { cacheDir } from '../../util/paths.js';
import { DbBuilder, type SourceMeta, type SourceWriter } from './builder.js';
import { detectFeedFile } from './detect.js';
import { type Conditional, download, FeedError } from './download.js';
import type { Feed } from './feeds.js';
import { type FeedFile, importFeedFile } from './importers/index.js';
import { acquireUpdateLock } from './lock.js';
import { openReadOnly } from './open.js';
import { type SourceStatus, VulnDb } from './query.js';

/** Where the database lives: `cacheDir()/db/` (so `--cache-dir` moves it). */
export function vulnDbDir(): string {
  return join(cacheDir(), 'db');
}

export function vulnDbPath(dir: string = vulnDbDir()): string {
  return join(dir, 'ringfence.db');
}

export interface FeedOutcome {
  name: string;
  url: string;
  state: 'updated' | 'unchanged' | 'failed';
  records?: number;
  skipped?: number;
  bytes?: number;
  sha256?: string;
  /** Skipped records and other problems, the first few of them. */
  warnings: string[];
  warningCount: number;
  error?: string;
}

export interface UpdateReport {
  path: string;
  /** A new database file replaced the old one. */
  rebuilt: boolean;
  feeds: FeedOutcome[];
}

interface UpdateOptions {
  /** The database directory (default vulnDbDir()). */
  dir?: string;
  /** Told what is happening, for a progress line. */
  onStep?: (message: string) => void;
}

/** A feed whose data is on disk and will be imported as one source. */
interface Pending {
  outcome: FeedOutcome;
  meta: SourceMeta;
  file: FeedFile;
}

/**
 * Fetches `feeds` (conditionally: unchanged feeds cost one request) and, when anything
 * changed, builds a new database beside the live one and renames it into place. The live
 * database is never written during a build, so a kill, a network error or a corrupt
 * download leaves it as it was. Feeds that fail keep their previous data; the report says
 * which failed.
 */
export async function updateVulnDb(
  feeds: readonly Feed[],
  options: UpdateOptions = {},
): Promise<UpdateReport> {
  const step = options.onStep ?? (() => {});
  return withDbDir(options.dir, async (dir, previous) => {
    const downloads = join(dir, 'downloads');
    mkdirSync(downloads, { recursive: true });
    const outcomes: FeedOutcome[] = [];
    const pending: Pending[] = [];
    const unchanged: string[] = [];
    for (const feed of feeds) {
      const outcome: FeedOutcome = {
        name: feed.name,
        url: feed.url,
        state: 'failed',
        warnings: [],
        warningCount: 0,
      };
      outcomes.push(outcome);
      const known = previous.get(feed.name);
      const conditional: Conditional =
        known?.url === feed.url ? { etag: known.etag, lastModified: known.lastModified } : {};
      const dest = join(
        downloads,
        `${feed.name.replace(/[^A-Za-z0-9.-]/g, '_')}.${randomBytes(4).toString('hex')}`,
      );
      try {
        step(`fetching ${feed.name}`);
        log.info({ feed: feed.name, url: feed.url }, 'fetching');
        const result = await download(feed.url, dest, conditional);
        if (result.status === 'unchanged') {
          outcome.state = 'unchanged';
          outcome.records = known?.records;
          unchanged.push(feed.name);
          continue;
        }
        outcome.bytes = result.bytes;
        outcome.sha256 = result.sha256;
        pending.push({
          outcome,
          meta: {
            name: feed.name,
            kind: feed.kind,
            url: feed.url,
            etag: result.etag,
            lastModified: result.lastModified,
            sha256: result.sha256,
            bytes: result.bytes,
          },
          file: {
            kind: feed.kind,
            path: dest,
            osvEcosystem: feed.osvEcosystem,
            alpineRelease: feed.alpineRelease,
          },
        });
      } catch (err) {
        if (!(err instanceof FeedError)) throw err;
        outcome.error = err.message;
      }
    }
    if (pending.length === 0) {
      touchCheckedAt(vulnDbPath(dir), unchanged);
      return { path: vulnDbPath(dir), rebuilt: false, feeds: outcomes };
    }
    try {
      await build(dir, previous, pending, unchanged, false, step);
    } finally {
      for (const p of pending) rmSync(p.file.path, { force: true });
    }
    return { path: vulnDbPath(dir), rebuilt: true, feeds: outcomes };
  });
}

/**
 * `db import PATH…`: the same build and swap from local files (air-gapped sites). Each path
 * becomes a source named after it; importing a path again replaces what it gave before.
 * Any unusable file aborts the import and leaves the live database untouched.
 */
export async function importIntoVulnDb(
  paths: readonly string[],
  options: UpdateOptions = {},
): Promise<UpdateReport> {
  const step = options.onStep ?? (() => {});
  return withDbDir(options.dir, async (dir, previous) => {
    const pending: Pending[] = [];
    for (const path of paths) {
      const file = await detectFeedFile(resolve(path));
      const name = `file:${file.path}`;
      pending.push({
        outcome: { name, url: file.path, state: 'updated', warnings: [], warningCount: 0 },
        meta: { name, kind: file.kind, url: file.path },
        file,
      });
    }
    await build(dir, previous, pending, [], true, step);
    return { path: vulnDbPath(dir), rebuilt: true, feeds: pending.map((p) => p.outcome) };
  });
}

/** The sources of the live database, or none when there is no usable one (it will be replaced). */
export function liveSources(path: string): Map<string, SourceStatus> {
  let db: VulnDb;
  try {
    db = new VulnDb(openReadOnly(path));
  } catch (err) {
    if (err instanceof UserError && /no vulnerability database yet/.test(err.message)) return new Map();
    if (err instanceof UserError && /locked/.test(err.message)) throw err;
    log.warn(`${(err as Error).message.replace(/: run `ringfence db update`.*$/, '')}; building a new one`);
    return new Map();
  }
  try {
    return new Map(db.sources().map((s) => [s.name, s]));
  } finally {
    db.close();
  }
}

async function withDbDir<T>(
  dirOption: string | undefined,
  work: (dir: string, previous: Map<string, SourceStatus>) => Promise<T>,
): Promise<T> {
  const dir = dirOption ?? vulnDbDir();
  try {
    if (!dirOption) await ensureCacheRoot();
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw inputError(
      dir,
      `cannot create the database directory (${(err as NodeJS.ErrnoException).code ?? err})`,
      err,
    );
  }
  const lock = acquireUpdateLock(join(dir, 'update.lock'));
  try {
    removeLeftovers(dir);
    return await work(dir, liveSources(vulnDbPath(dir)));
  } finally {
    rmSync(join(dir, 'downloads'), { recursive: true, force: true });
    lock.release();
  }
}

/** Files a killed update left behind (we hold the lock, so none is in use). */
function removeLeftovers(dir: string): void {
  for (const name of readdirSync(dir))
    if (name.endsWith('.building')) rmSync(join(dir, name), { force: true });
  rmSync(join(dir, 'downloads'), { recursive: true, force: true });
}

/**
 * Writes the new database beside the live one: previous sources not being replaced are
 * copied, `pending` ones imported, then the file is renamed over the live one. With
 * `failOnError` any failed import aborts the build; otherwise a failed feed keeps its
 * previous data and its outcome says why.
 */
async function build(
  dir: string,
  previous: Map<string, SourceStatus>,
  pending: Pending[],
  unchanged: string[],
  failOnError: boolean,
  step: (message: string) => void,
): Promise<void> {
  const live = vulnDbPath(dir);
  const tmp = join(dir, `ringfence.db.${randomBytes(4).toString('hex')}.building`);
  const builder = DbBuilder.create(tmp);
  try {
    const replaced = new Set(pending.map((p) => p.meta.name));
    builder.copySources(
      live,
      [...previous.keys()].filter((name) => !replaced.has(name)),
    );
    builder.markChecked(unchanged);
    const restore: string[] = [];
    for (const p of pending) {
      step(`importing ${p.meta.name}`);
      try {
        const writer = await builder.importSource(p.meta, async (w) => {
          await importFeedFile(w, p.file);
          if (failOnError && w.records === 0 && w.skipped > 0)
            throw inputError(p.file.path, `nothing imported: ${w.warnings[0] ?? 'no valid records'}`);
        });
        record(p.outcome, writer);
      } catch (err) {
        if (failOnError || !(err instanceof UserError)) throw err;
        p.outcome.state = 'failed';
        p.outcome.error = err.message;
        if (previous.has(p.meta.name)) restore.push(p.meta.name);
      }
    }
    builder.copySources(live, restore);
    builder.finish();
    renameSync(tmp, live);
    syncDir(dir);
  } catch (err) {
    builder.abort();
    throw err;
  }
}

function record(outcome: FeedOutcome, writer: SourceWriter): void {
  outcome.state = 'updated';
  outcome.records = writer.records;
  outcome.skipped = writer.skipped;
  outcome.warnings = writer.warnings;
  outcome.warningCount = writer.warningCount;
}

/** Records that unchanged feeds were checked now, in place (a tiny transaction on the live file). */
function touchCheckedAt(path: string, names: string[]): void {
  if (names.length === 0) return;
  try {
    const db = new Database(path, { fileMustExist: true, timeout: 2000 });
    try {
      db.prepare(`UPDATE source SET checked_at = ? WHERE name IN (${names.map(() => '?').join(',')})`).run(
        Date.now(),
        ...names,
      );
    } finally {
      db.close();
    }
  } catch (err) {
    log.warn(`${path}: could not record the check time (${(err as Error).message})`);
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
