import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { inputError } from '../../util/errors.js';
import { SCHEMA_VERSION } from './schema.js';

/** How long a reader waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 2000;

/**
 * Opens a database read-only and checks it is one of ours, of this schema version. Problems
 * a user can fix (missing, locked, corrupt, older or newer format) are one-line UserErrors.
 */
export function openReadOnly(path: string): Database.Database {
  if (!existsSync(path))
    throw inputError(
      path,
      'no vulnerability database yet: run `ringfence db update` (or `ringfence db import`)',
    );
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = db
      .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .get() as number;
    if (tables === 0 || version === 0)
      throw inputError(
        path,
        'not a Ringfence vulnerability database: run `ringfence db update` to rebuild it',
      );
    if (version !== SCHEMA_VERSION)
      throw inputError(
        path,
        `database format ${version} is not the ${SCHEMA_VERSION} this version reads: run \`ringfence db update\` to rebuild it`,
      );
    return db;
  } catch (err) {
    db?.close();
    throw describeSqliteError(path, err);
  }
}

/** Turns SQLite's errors about the file itself into one-line UserErrors; others pass through. */
function describeSqliteError(path: string, err: unknown): unknown {
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return inputError(path, 'the database is locked by another process; try again when it has finished', err);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
    return inputError(path, 'the database file is corrupt: run `ringfence db update` to rebuild it', err);
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_PERM')
    return inputError(path, `cannot read the database (${code})`, err);
  return err;
}
