import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { UserError } from '../../util/errors.js';

/** Held by the process that is building a new database, so two updates never interleave. */
interface UpdateLock {
  release(): void;
}

/**
 * Takes `path` as an exclusive lock file holding our pid. A lock left by a process that no
 * longer exists (killed mid-update) is taken over; one held by a live process is a UserError.
 */
export function acquireUpdateLock(path: string): UpdateLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readLockHolder(path));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder))
        throw new UserError(
          `${path}: another ringfence (pid ${holder}) is updating the database; try again when it has finished`,
        );
      rmSync(path, { force: true });
    }
  }
  throw new UserError(`${path}: cannot take the update lock`);
}

function readLockHolder(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
