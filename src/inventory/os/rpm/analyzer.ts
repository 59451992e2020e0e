import { posix } from 'node:path';
import type { Package } from '../../../types.js';
import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo, PackageFiles } from '../../analyzer.js';
import { CorruptDbError, MiB } from '../read.js';
import { bdbHashEntries } from './bdb.js';
import { ndbBlobs } from './ndb.js';
import { RPM_ANALYZER, rpmRecord } from './package.js';
import { isSqlite, sqliteBlobs } from './sqlite.js';

const DIRS = new Set(['var/lib/rpm', 'usr/lib/sysimage/rpm']);
const FILES = new Set(['Packages', 'Packages.db', 'rpmdb.sqlite']);
/** SQLite is opened in memory; the page-based formats are read a chunk at a time. */
const MAX_SQLITE_BYTES = 256 * MiB;
const MAX_HEADER_BYTES = 64 * MiB;
const MAX_WARNINGS = 20;

async function* headerBlobs(input: AnalyzerInput, warn: (msg: string) => void): AsyncGenerator<Buffer> {
  const file = input.content;
  const head = await file.readAt(0, 16);
  if (isSqlite(head)) {
    if (input.size > MAX_SQLITE_BYTES)
      throw new CorruptDbError(
        `${input.size} bytes is more than the ${MAX_SQLITE_BYTES}-byte limit for SQLite`,
      );
    yield* sqliteBlobs(await input.content.read());
  } else if (head.subarray(0, 4).toString('latin1') === 'RpmP') {
    yield* ndbBlobs(file, warn, MAX_HEADER_BYTES);
  } else {
    for await (const { key, value } of bdbHashEntries(file, warn, MAX_HEADER_BYTES)) {
      // Key 0 holds rpm's next-instance counter, not a header.
      if (key.length === 4 && key.readUInt32LE(0) !== 0 && key.readUInt32BE(0) !== 0) yield value;
    }
  }
}

/** rpm: SQLite rpmdb.sqlite, Berkeley DB Packages and NDB Packages.db, sniffed by content. */
export const rpmAnalyzer: Analyzer = {
  name: RPM_ANALYZER,
  version: 1,
  modes: ['image', 'rootfs'],
  wants(file: FileInfo): boolean {
    return FILES.has(posix.basename(file.path)) && DIRS.has(posix.dirname(file.path));
  },
  async analyze(input: AnalyzerInput): Promise<AnalyzerOutput | undefined> {
    if (input.size === 0) return undefined;
    const warnings: string[] = [];
    let problems = 0;
    const warn = (msg: string) => {
      if (++problems <= MAX_WARNINGS) warnings.push(`${input.path}: ${msg}`);
    };
    const packages: Package[] = [];
    const packageFiles: PackageFiles[] = [];
    try {
      let n = 0;
      for await (const blob of headerBlobs(input, warn)) {
        n++;
        try {
          const record = rpmRecord(blob, input.path);
          if (!record) continue;
          packages.push(record.package);
          if (record.files.length > 0)
            packageFiles.push({ package: record.package.name, files: record.files });
        } catch (err) {
          if (!(err instanceof CorruptDbError)) throw err;
          warn(`header ${n}: ${err.message}; skipped`);
        }
      }
    } catch (err) {
      if (!(err instanceof CorruptDbError)) throw err;
      warn(`${err.message}; ${packages.length > 0 ? 'packages after it were not read' : 'no packages read'}`);
    }
    if (problems > MAX_WARNINGS)
      warnings.push(`${input.path}: ${problems - MAX_WARNINGS} more problems not shown`);
    return { packages, packageFiles, warnings: warnings.length > 0 ? warnings : undefined };
  },
};
