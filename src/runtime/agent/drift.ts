import { lstatSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Is the file at `path` (inside the container) in the container's overlay upper directory,
 * that is, written or changed since the container started? Only regular files count, and only
 * when the directory holding it really lies in the upper directory (a symbolic link the
 * container planted there must not send the check elsewhere on the host).
 */
export function isInUpperLayer(upperDir: string, path: string): boolean {
  if (!path.startsWith('/')) return false;
  const full = join(upperDir, path);
  try {
    if (!lstatSync(full).isFile()) return false;
    const dir = realpathSync(dirname(full));
    return dir === upperDir || dir.startsWith(`${upperDir}/`);
  } catch {
    return false;
  }
}
