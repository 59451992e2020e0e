/**
 * Which files the npm analyzers read. An installed package is a package.json in a package
 * folder that npm's layout puts there: below the first node_modules, only package folders,
 * their nested node_modules and pnpm's `.pnpm/<id>/node_modules` may appear. So test
 * fixtures inside a package (`node_modules/x/test/node_modules/y/package.json`), docs and
 * workspace sources are never taken for installed packages. Lockfiles count only outside
 * node_modules: one a dependency ships describes its own development tree, not what is installed.
 */

const PACKAGE_FOLDER = '(?:@[^/.][^/]*/)?[^/.@][^/]*';
const INSTALLED_LAYOUT = new RegExp(
  `^node_modules/(?:${PACKAGE_FOLDER}/node_modules/|\\.pnpm/[^/]+/node_modules/)*${PACKAGE_FOLDER}/package\\.json$`,
);

export function isInstalledPackageJson(path: string): boolean {
  if (!path.endsWith('/package.json')) return false;
  const first = `/${path}`.indexOf('/node_modules/');
  return first >= 0 && INSTALLED_LAYOUT.test(path.slice(first));
}

export function isPackageLock(path: string): boolean {
  const base = basename(path);
  return (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') && !insideNodeModules(path);
}

export function isYarnLock(path: string): boolean {
  return basename(path) === 'yarn.lock' && !insideNodeModules(path);
}

export function isPnpmLock(path: string): boolean {
  return basename(path) === 'pnpm-lock.yaml' && !insideNodeModules(path);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function insideNodeModules(path: string): boolean {
  return `/${path}`.includes('/node_modules/');
}
