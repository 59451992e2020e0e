import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Analyzer, AnalyzerInput, FileContent, ScanMode } from '../../../src/inventory/analyzer.js';
import type { Package } from '../../../src/types.js';

/** Runs analyzers over real files the way the layer walker hands them over. */

export function memoryInput(
  path: string,
  content: string | Buffer,
  scanMode: ScanMode = 'fs',
): AnalyzerInput {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const fileContent: FileContent = {
    size: bytes.length,
    read: async () => bytes,
    readAt: async (offset, length) => bytes.subarray(offset, offset + length),
  };
  return { path, size: bytes.length, mode: 0o644, content: fileContent, scanMode };
}

function diskContent(file: string, size: number): FileContent {
  return {
    size,
    read: () => readFile(file),
    readAt: async (offset, length) => {
      const handle = await open(file);
      try {
        const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        await handle.read(buf, 0, buf.length, offset);
        return buf;
      } finally {
        await handle.close();
      }
    },
  };
}

interface TreeResult {
  packages: Package[];
  warnings: string[];
}

/** Every regular file under `root` (symlinks are not followed), given to the analyzers that want it. */
export async function analyzeTree(
  analyzers: readonly Analyzer[],
  root: string,
  scanMode: ScanMode,
  prefix = '',
): Promise<TreeResult> {
  const result: TreeResult = { packages: [], warnings: [] };
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const path = join(prefix, relative(root, full));
    const { size, mode } = await stat(full);
    const info = { path, size, mode };
    for (const analyzer of analyzers) {
      if (!analyzer.modes.includes(scanMode) || !analyzer.wants(info, scanMode)) continue;
      const out = await analyzer.analyze({ ...info, content: diskContent(full, size), scanMode });
      result.packages.push(...(out?.packages ?? []));
      result.warnings.push(...(out?.warnings ?? []));
    }
  }
  return result;
}

/** "name@version" of each package, sorted: the shape most comparisons want. */
export function ids(packages: readonly { name: string; version: string }[]): string[] {
  return packages.map((p) => `${p.name}@${p.version}`).sort();
}
