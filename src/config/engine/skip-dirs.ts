import { isAbsolute, relative, sep } from 'node:path';
import { globToRegExp } from '../../util/glob.js';

/** Directories never worth scanning for configuration: VCS metadata and vendored dependencies. */
export const DEFAULT_SKIP_DIRS: readonly string[] = ['.git', '.hg', '.svn', 'node_modules', '.terraform'];

/**
 * `--skip-dirs` patterns. A pattern without '/' matches a directory of that name anywhere
 * ('.cache', 'build*'); one with '/' matches the path relative to the scan root
 * ('deploy/old', 'charts/*\/tmp', '**\/fixtures'). `*` stays within one path segment, `**` spans any.
 */
export function skipDirMatcher(
  patterns: readonly string[],
  root: string,
): (relDir: string, name: string) => boolean {
  const byName: RegExp[] = [];
  const byPath: RegExp[] = [];
  for (const raw of patterns) {
    let p = raw.trim();
    if (!p) continue;
    if (isAbsolute(p)) p = relative(root, p).split(sep).join('/');
    p = p.replace(/^\.\//, '').replace(/\/+$/, '');
    if (!p) continue;
    (p.includes('/') ? byPath : byName).push(globToRegExp(p));
  }
  return (relDir, name) => byName.some((r) => r.test(name)) || byPath.some((r) => r.test(relDir));
}
