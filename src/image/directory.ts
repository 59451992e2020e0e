import { opendir, readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { joinPath } from './path.js';

/**
 * Walks a directory tree without following symlinks (lstat semantics), yielding image-root
 * relative entries. A root filesystem skips /proc, /sys, /dev and anything else mounted there
 * with a pseudo file system; a source tree skips .git directories.
 */

export type DirectoryMode = 'rootfs' | 'fs';

interface DirectoryEntry {
  /** Relative to the walk's root, no leading slash. */
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
}

const ROOTFS_SKIP = new Set(['proc', 'sys', 'dev']);
const PSEUDO_FS = new Set([
  'proc',
  'sysfs',
  'devtmpfs',
  'devpts',
  'cgroup',
  'cgroup2',
  'debugfs',
  'tracefs',
  'securityfs',
  'bpf',
  'mqueue',
  'hugetlbfs',
  'fusectl',
  'configfs',
  'pstore',
  'binfmt_misc',
  'autofs',
  'nsfs',
  'efivarfs',
  'rpc_pipefs',
  'nfsd',
  'selinuxfs',
]);

export async function* walkDirectory(
  root: string,
  mode: DirectoryMode,
  onWarning: (message: string) => void,
): AsyncGenerator<DirectoryEntry> {
  const skipMounts = mode === 'rootfs' ? await pseudoMounts(root) : new Set<string>();
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    let dir: Awaited<ReturnType<typeof opendir>>;
    try {
      dir = await opendir(rel === '' ? root : join(root, rel), { bufferSize: 256 });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        onWarning(`${rel || '.'}: cannot read directory (${code ?? err})`);
      continue;
    }
    try {
      for await (const d of dir) {
        const path = joinPath(rel, d.name);
        if (d.isDirectory()) {
          if (skipDirectory(path, d.name, mode, skipMounts)) continue;
          stack.push(path);
          yield { path, type: 'directory' };
        } else if (d.isFile()) yield { path, type: 'file' };
        else if (d.isSymbolicLink()) yield { path, type: 'symlink' };
        else yield { path, type: 'other' };
      }
    } catch (err) {
      // A directory can vanish or turn unreadable while it is listed (a live root filesystem).
      const code = (err as NodeJS.ErrnoException).code;
      if (!code) throw err;
      if (code !== 'ENOENT') onWarning(`${rel || '.'}: cannot read directory (${code})`);
    }
  }
}

function skipDirectory(path: string, name: string, mode: DirectoryMode, mounts: Set<string>): boolean {
  if (mode === 'fs') return name === '.git';
  return ROOTFS_SKIP.has(path) || mounts.has(path);
}

/** Mount points below `root` whose file system holds no files worth scanning. */
async function pseudoMounts(root: string): Promise<Set<string>> {
  const out = new Set<string>();
  let text: string;
  try {
    text = await readFile('/proc/self/mountinfo', 'utf8');
  } catch {
    return out;
  }
  const prefix = root.endsWith(sep) ? root : root + sep;
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 0 || fields.length < dash + 2) continue;
    const fstype = fields[dash + 1]!;
    const mountPoint = unescapeMountPath(fields[4] ?? '');
    if (!PSEUDO_FS.has(fstype) || !mountPoint.startsWith(prefix)) continue;
    out.add(mountPoint.slice(prefix.length));
  }
  return out;
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}
