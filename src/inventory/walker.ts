import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { decompress } from '../image/decompress.js';
import { verifyDigest } from '../image/digest.js';
import { type DirectoryMode, walkDirectory } from '../image/directory.js';
import { baseName, joinPath, normalizeEntryPath, parentPath } from '../image/path.js';
import type { LayerBlob } from '../image/source.js';
import { streamSource, TarReader } from '../image/tar/reader.js';
import type { Analyzer, FileInfo, ScanMode } from './analyzer.js';
import { bufferBody, DiskFileContent, type DisposableContent, SpooledContent } from './file-content.js';
import { emptyLayerResult, type LayerResult, MAX_WARNINGS } from './layer-result.js';

/**
 * One pass over a layer (or a directory): every entry is recorded for the applier, and each
 * regular file goes only to the analyzers whose `wants()` accepts it; the others are skipped
 * without reading their content.
 */

export interface WalkLimits {
  /** A layer that decompresses to more than this is refused (decompression bomb). */
  maxLayerBytes: number;
  /** `read()` of a larger file fails (analyzers read big files with `readAt`). */
  maxReadBytes: number;
  /** Files up to this size are buffered in memory; larger ones are spooled to the work dir. */
  memoryFileBytes: number;
}

export const DEFAULT_LIMITS: WalkLimits = {
  maxLayerBytes: 16 * 2 ** 30,
  maxReadBytes: 512 * 2 ** 20,
  memoryFileBytes: 8 * 2 ** 20,
};

export interface WalkOptions {
  /** Analyzers to run (already narrowed to the scan mode). */
  analyzers: readonly Analyzer[];
  mode: ScanMode;
  /** Where big files are spooled (a directory the scan owns and removes). */
  workDir: string;
  limits: WalkLimits;
  /** Called with the number of stored (compressed) bytes read, for progress. */
  onBytes?: (n: number) => void;
}

/** Reads one layer blob: decompressed once, diffID verified, each wanted file analyzed. */
export async function walkLayer(layer: LayerBlob, options: WalkOptions): Promise<LayerResult> {
  const result = emptyLayerResult();
  const run = new Dispatch(options, result);
  const fileSizes = new Map<string, number>();
  const links: { path: string; target: string; mode: number }[] = [];

  const tar = await openLayerTar(layer, options, true);
  try {
    for (let e = await tar.next(); e; e = await tar.next()) {
      const path = normalizeEntryPath(e.name);
      if (path === undefined) {
        run.warn(`entry "${clip(e.name)}" points outside the image root; skipped`);
        continue;
      }
      if (path === '') continue;
      const base = baseName(path);
      if (base.startsWith('.wh.')) {
        if (base === '.wh..wh..opq') result.opaqueDirs.push(parentPath(path));
        else if (!base.startsWith('.wh..wh.'))
          result.whiteouts.push(joinPath(parentPath(path), base.slice(4)));
        continue;
      }
      switch (e.type) {
        case 'directory':
          result.dirs.push(path);
          break;
        case 'file': {
          result.paths.push(path);
          fileSizes.set(path, e.size);
          const info: FileInfo = { path, size: e.size, mode: e.mode };
          const wanting = run.wanted(info);
          if (wanting) await run.analyze(info, wanting, () => tar.body());
          break;
        }
        case 'hardlink': {
          result.paths.push(path);
          const target = normalizeEntryPath(e.linkname);
          if (target) links.push({ path, target, mode: e.mode });
          break;
        }
        case 'chardev':
        case 'blockdev':
          result.paths.push(path);
          if (!path.startsWith('dev/')) run.warn(`device file ${path} skipped`);
          break;
        case 'sparse':
          result.paths.push(path);
          run.warn(`sparse file ${path} skipped (sparse entries are not analyzed)`);
          break;
        case 'unsupported':
          result.paths.push(path);
          run.warn(`entry ${path} has unsupported tar type '${e.flag}'; skipped`);
          break;
        default:
          result.paths.push(path);
      }
    }
    await tar.drain();
  } finally {
    await tar.close();
  }
  await analyzeHardLinks(layer, options, run, links, fileSizes);
  return run.finish();
}

/**
 * Hard links share their target's content. The target came earlier in the same layer and was
 * already skipped, so wanted links are analyzed in a second pass that reads only their targets.
 */
async function analyzeHardLinks(
  layer: LayerBlob,
  options: WalkOptions,
  run: Dispatch,
  links: { path: string; target: string; mode: number }[],
  fileSizes: Map<string, number>,
): Promise<void> {
  const byTarget = new Map<string, { info: FileInfo; analyzers: Analyzer[] }[]>();
  for (const link of links) {
    const size = fileSizes.get(link.target);
    if (size === undefined) continue; // target in a lower layer: its content is not at hand
    const info: FileInfo = { path: link.path, size, mode: link.mode };
    const analyzers = run.wanted(info);
    if (!analyzers) continue;
    const list = byTarget.get(link.target) ?? [];
    list.push({ info, analyzers });
    byTarget.set(link.target, list);
  }
  if (byTarget.size === 0) return;
  const tar = await openLayerTar(layer, { ...options, onBytes: undefined }, false);
  try {
    for (let e = await tar.next(); e && byTarget.size > 0; e = await tar.next()) {
      const path = e.type === 'file' ? normalizeEntryPath(e.name) : undefined;
      const wanted = path === undefined ? undefined : byTarget.get(path);
      if (!wanted) continue;
      byTarget.delete(path!);
      const content = await collect(() => tar.body(), e.size, options);
      try {
        for (const w of wanted) await run.analyzeContent(w.info, w.analyzers, content);
      } finally {
        await content.dispose();
      }
    }
  } finally {
    await tar.close();
  }
}

/** Walks a root filesystem or source tree in place (one pseudo-layer, no whiteouts). */
export async function walkDirectoryTree(
  root: string,
  mode: DirectoryMode,
  options: WalkOptions,
  only?: string,
): Promise<LayerResult> {
  const result = emptyLayerResult();
  const run = new Dispatch(options, result);
  const entries = only ? single(only) : walkDirectory(root, mode, (m) => run.warn(m));
  for await (const entry of entries) {
    if (entry.type !== 'file') continue;
    const abs = join(root, entry.path);
    let st: Awaited<ReturnType<typeof lstat>>;
    try {
      st = await lstat(abs);
    } catch {
      continue; // gone since the directory was listed
    }
    if (!st.isFile()) continue;
    const info: FileInfo = { path: entry.path, size: st.size, mode: st.mode & 0o7777 };
    const wanting = run.wanted(info);
    if (!wanting) continue;
    let content: DiskFileContent | undefined;
    try {
      content = await DiskFileContent.open(abs, options.limits.maxReadBytes);
    } catch (err) {
      run.warn(`${entry.path}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`);
      continue;
    }
    if (!content) continue;
    try {
      await run.analyzeContent(info, wanting, content);
    } finally {
      await content.dispose();
    }
  }
  return run.finish();
}

async function* single(path: string) {
  yield { path, type: 'file' as const };
}

async function openLayerTar(
  layer: LayerBlob,
  options: WalkOptions,
  verifyDiffId: boolean,
): Promise<TarReader> {
  const raw = await layer.open();
  const counted = options.onBytes ? counting(raw, options.onBytes) : raw;
  const plain = decompress(counted, { maxBytes: options.limits.maxLayerBytes });
  const checked = verifyDiffId ? verifyDigest(plain, layer.diffId, 'layer content (diffID)') : plain;
  return new TarReader(streamSource(checked), { maxEntrySize: options.limits.maxLayerBytes });
}

async function* counting(input: AsyncIterable<Buffer>, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    onBytes(chunk.length);
    yield chunk;
  }
}

async function collect(
  body: () => AsyncIterable<Buffer>,
  size: number,
  options: WalkOptions,
): Promise<DisposableContent> {
  if (size <= options.limits.memoryFileBytes) return bufferBody(body(), size);
  return SpooledContent.create(body(), size, options.workDir, options.limits.maxReadBytes);
}

/** Selects analyzers for a file, runs them, and gathers their outputs and warnings. */
class Dispatch {
  private dropped = 0;

  constructor(
    private readonly options: WalkOptions,
    private readonly result: LayerResult,
  ) {}

  warn(message: string): void {
    if (this.result.warnings.length < MAX_WARNINGS) this.result.warnings.push(message);
    else this.dropped++;
  }

  wanted(info: FileInfo): Analyzer[] | undefined {
    let out: Analyzer[] | undefined;
    for (const a of this.options.analyzers) {
      if (!a.wants(info, this.options.mode)) continue;
      if (out) out.push(a);
      else out = [a];
    }
    return out;
  }

  /** Reads a wanted file from a layer and analyzes it. */
  async analyze(info: FileInfo, analyzers: Analyzer[], body: () => AsyncIterable<Buffer>): Promise<void> {
    const content = await collect(body, info.size, this.options);
    try {
      await this.analyzeContent(info, analyzers, content);
    } finally {
      await content.dispose();
    }
  }

  async analyzeContent(info: FileInfo, analyzers: Analyzer[], content: DisposableContent): Promise<void> {
    await Promise.all(
      analyzers.map(async (a) => {
        try {
          const output = await a.analyze({ ...info, content, scanMode: this.options.mode });
          if (!output) return;
          for (const p of output.packages ?? []) {
            if (p.paths.length === 0) p.paths = [info.path];
            if (!p.analyzer) p.analyzer = a.name;
          }
          this.result.analyses.push({ path: info.path, analyzer: a.name, output });
        } catch (err) {
          this.warn(`${info.path}: analyzer ${a.name} failed: ${(err as Error).message ?? err}`);
        }
      }),
    );
  }

  finish(): LayerResult {
    if (this.dropped > 0) this.result.warnings.push(`... and ${this.dropped} more warnings`);
    return this.result;
  }
}

function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
