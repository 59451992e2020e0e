/**
 * Which files the Python analyzers read. Installed distributions leave core metadata in
 * `*.dist-info/METADATA` (wheels), `*.egg-info/PKG-INFO` (setuptools), a plain `*.egg-info`
 * file (distutils) or `*.egg/EGG-INFO/PKG-INFO` (eggs). Lockfiles count only outside
 * site-packages and dist-packages, where an installed package's own requirement files say
 * nothing about what is installed.
 */

export function isInstalledMetadata(path: string): boolean {
  const base = basename(path);
  const parent = basename(dirname(path));
  if (base === 'METADATA') return parent.endsWith('.dist-info');
  if (base === 'PKG-INFO') return parent.endsWith('.egg-info') || parent === 'EGG-INFO';
  return base.endsWith('.egg-info') && base.length > '.egg-info'.length;
}

/** requirements.txt, requirements-dev.txt, dev-requirements.txt, requirements/base.txt ... */
export function isRequirements(path: string): boolean {
  const base = basename(path);
  if (!base.endsWith('.txt')) return false;
  return (
    (base.includes('requirements') || basename(dirname(path)) === 'requirements') && outsideInstalls(path)
  );
}

export function isPoetryLock(path: string): boolean {
  return basename(path) === 'poetry.lock' && outsideInstalls(path);
}

export function isPipfileLock(path: string): boolean {
  return basename(path) === 'Pipfile.lock' && outsideInstalls(path);
}

export function isUvLock(path: string): boolean {
  return basename(path) === 'uv.lock' && outsideInstalls(path);
}

function outsideInstalls(path: string): boolean {
  const p = `/${path}`;
  return !p.includes('/site-packages/') && !p.includes('/dist-packages/');
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
