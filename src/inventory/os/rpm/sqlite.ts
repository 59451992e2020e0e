import Database from 'better-sqlite3';
import { CorruptDbError } from '../read.js';

/**
 * Header blobs of rpm's SQLite database (`rpmdb.sqlite`, rpm ≥ 4.16: table Packages(hnum,
 * blob)), opened from memory. SQLite cannot deserialise a WAL-mode file, so the two header
 * bytes that say "WAL" are set back to "rollback journal" on a copy first; a -wal file left
 * beside the database is not read (images are built from checkpointed databases).
 */

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const WAL = 2;
const LEGACY = 1;

export function isSqlite(head: Buffer): boolean {
  return head.length >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC);
}

function deserializable(file: Buffer): Buffer {
  if (file.length < 20 || (file[18] !== WAL && file[19] !== WAL)) return file;
  const copy = Buffer.from(file);
  copy[18] = LEGACY;
  copy[19] = LEGACY;
  return copy;
}

export function* sqliteBlobs(file: Buffer): Generator<Buffer> {
  if (!isSqlite(file)) throw new CorruptDbError('not an SQLite database');
  let db: Database.Database;
  try {
    db = new Database(deserializable(file), { readonly: true });
  } catch (err) {
    throw new CorruptDbError(`cannot open: ${(err as Error).message}`);
  }
  try {
    let rows: IterableIterator<unknown[]>;
    try {
      rows = db.prepare('SELECT blob FROM Packages').raw().iterate() as IterableIterator<unknown[]>;
    } catch (err) {
      throw new CorruptDbError(`no readable Packages table: ${(err as Error).message}`);
    }
    while (true) {
      let next: IteratorResult<unknown[]>;
      try {
        next = rows.next();
      } catch (err) {
        throw new CorruptDbError(`reading Packages failed: ${(err as Error).message}`);
      }
      if (next.done) return;
      const blob = next.value[0];
      if (Buffer.isBuffer(blob)) yield blob;
    }
  } finally {
    db.close();
  }
}
