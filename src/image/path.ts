/**
 * Entry names inside an image are data: "./etc/x", "/etc/x" and "etc//./x" all mean "etc/x",
 * and a name that climbs above the root ("../x", "a/../../x") has no place in the image.
 */

/**
 * The image-root relative form of `name` (no leading slash, no "." or ".." segments), "" for
 * the root itself, or undefined when `name` escapes the root or holds a NUL.
 */
export function normalizeEntryPath(name: string): string | undefined {
  if (name.includes('\0')) return undefined;
  if (isSimple(name)) return name;
  const out: string[] = [];
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

/** Fast path for the common case: no leading/trailing slash, no empty, "." or ".." segment. */
function isSimple(name: string): boolean {
  if (name.length === 0 || name.charCodeAt(0) === 47 || name.charCodeAt(name.length - 1) === 47) return false;
  let segStart = 0;
  for (let i = 0; i <= name.length; i++) {
    if (i === name.length || name.charCodeAt(i) === 47) {
      const len = i - segStart;
      if (len === 0) return false;
      if (
        name.charCodeAt(segStart) === 46 &&
        (len === 1 || (len === 2 && name.charCodeAt(segStart + 1) === 46))
      )
        return false;
      segStart = i + 1;
    }
  }
  return true;
}

/** "a/b/c" → "a/b"; "a" → "". */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** "a/b/c" → "c". */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins a parent ("" for the root) and a child name. */
export function joinPath(parent: string, child: string): string {
  return parent === '' ? child : `${parent}/${child}`;
}

/** Resolves a symlink or hard-link target written in an entry at `from`, confined to the root. */
export function resolveLinkTarget(from: string, target: string): string | undefined {
  if (target.startsWith('/')) return normalizeEntryPath(target);
  return normalizeEntryPath(joinPath(parentPath(from), target));
}
