import { type Dirent, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareStrings } from './scan-source.js';

interface WalkedFile {
  /** Relative to the walk root, '/'-separated. */
  path: string;
  absPath: string;
}

interface UnreadableDir {
  path: string;
  code: string;
}

/**
 * Regular files under `root`, depth first in code-unit order of names, so every run sees the
 * same order. Symbolic links are not followed (no loops, nothing outside the tree).
 */
export function* walkFiles(
  root: string,
  skipDir: (relDir: string, name: string) => boolean,
  onUnreadable: (dir: UnreadableDir) => void,
): Generator<WalkedFile> {
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch (err) {
      onUnreadable({ path: rel || '.', code: (err as NodeJS.ErrnoException).code ?? String(err) });
      continue;
    }
    entries.sort((a, b) => compareStrings(a.name, b.name));
    const subdirs: string[] = [];
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!skipDir(path, e.name)) subdirs.push(path);
      } else if (e.isFile()) {
        yield { path, absPath: join(root, path) };
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}
