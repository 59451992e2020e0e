/**
 * Which files the PHP analyzers read. Composer records what it installed in
 * `<vendor-dir>/composer/installed.json` (usually vendor/composer/). composer.lock counts
 * only outside vendor/, where installed packages may ship the lockfile of their own development.
 */

export function isComposerInstalled(path: string): boolean {
  return path === 'composer/installed.json' || path.endsWith('/composer/installed.json');
}

export function isComposerLock(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === 'composer.lock' && !`/${path}`.includes('/vendor/');
}
