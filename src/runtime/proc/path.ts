/**
 * A path as a process passed it, made absolute from its working directory and normalised as
 * Falco shows fd.name: `.` and empty components dropped, `..` applied (never above `/`), a
 * trailing slash kept. Symbolic links are not followed. Without a working directory a
 * relative path is returned as it is.
 */
export function resolvePath(path: string, cwd: string | undefined): string {
  if (!path.startsWith('/')) {
    if (cwd === undefined || !cwd.startsWith('/')) return path;
    path = `${cwd}/${path}`;
  }
  if (!path.includes('/.') && !path.includes('//')) return path;
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  const trailing = path.endsWith('/') && out.length > 0 ? '/' : '';
  return `/${out.join('/')}${trailing}`;
}
