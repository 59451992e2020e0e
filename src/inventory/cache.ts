import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { UserError } from '../util/errors.js';
import { log } from '../util/log.js';
import { cacheDir } from '../util/paths.js';
import type { Analyzer, ScanMode } from './analyzer.js';
import type { LayerResult } from './layer-result.js';

/**
 * Per-layer results under `cacheDir()/layers/`, keyed by the layer's diffID, the scan mode and
 * every analyzer's name@version: a rescan reads only layers it has not seen, and bumping an
 * analyzer's version misses. Entries are written atomically; an unreadable one is a miss.
 * The cache root carries a CACHEDIR.TAG, which is what lets `ringfence clean` empty it.
 */

/** Bumped when the stored shape changes. */
const FORMAT = 1;
const MAX_ENTRY_BYTES = 1 << 30;
const TAG_NAME = 'CACHEDIR.TAG';
const SIGNATURE = 'Signature: 8a477f597d28d172789f06886806bc55';
const TAG = `${SIGNATURE}\n# This file is a cache directory tag created by ringfence.\n# For information about cache directory tags see https://bford.info/cachedir/\n`;

export function layerCacheKey(diffId: string, mode: ScanMode, analyzers: readonly Analyzer[]): string {
  const versions = analyzers.map((a) => `${a.name}@${a.version}`).sort();
  return createHash('sha256')
    .update(JSON.stringify([FORMAT, diffId, mode, versions]))
    .digest('hex');
}

/** Creates the cache root with its CACHEDIR.TAG (other modules caching there should call this too). */
export async function ensureCacheRoot(root = cacheDir()): Promise<string> {
  await mkdir(root, { recursive: true });
  const tag = join(root, TAG_NAME);
  if (!(await exists(tag))) await writeFile(tag, TAG);
  return root;
}

export class LayerCache {
  private readonly dir: string;

  constructor(private readonly root = cacheDir()) {
    this.dir = join(root, 'layers');
  }

  async get(key: string): Promise<LayerResult | undefined> {
    let packed: Buffer;
    try {
      packed = await readFile(this.file(key));
    } catch {
      return undefined;
    }
    try {
      const doc = JSON.parse(
        (await promisify(gunzip)(packed, { maxOutputLength: MAX_ENTRY_BYTES })).toString('utf8'),
      ) as { format?: unknown; key?: unknown; result?: unknown };
      if (doc.format === FORMAT && doc.key === key && isLayerResult(doc.result)) return doc.result;
    } catch {
      // unreadable: treated as a miss, and overwritten by the fresh result
    }
    log.debug({ key }, 'ignoring a corrupt layer cache entry');
    return undefined;
  }

  /** Stores a result; a cache that cannot be written only costs speed, so failures are logged. */
  async put(key: string, result: LayerResult): Promise<void> {
    const file = this.file(key);
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await ensureCacheRoot(this.root);
      await mkdir(this.dir, { recursive: true });
      const packed = await promisify(gzip)(JSON.stringify({ format: FORMAT, key, result }), { level: 1 });
      await writeFile(tmp, packed);
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      log.warn(`layer cache ${this.dir}: cannot write (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
  }

  private file(key: string): string {
    return join(this.dir, `${key}.json.gz`);
  }
}

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function isLayerResult(v: unknown): v is LayerResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  if (![r.paths, r.dirs, r.whiteouts, r.opaqueDirs, r.warnings].every(isStrings)) return false;
  if (!Array.isArray(r.analyses)) return false;
  return r.analyses.every((a) => {
    if (typeof a !== 'object' || a === null) return false;
    const { path, analyzer, output } = a as Record<string, unknown>;
    if (
      typeof path !== 'string' ||
      typeof analyzer !== 'string' ||
      typeof output !== 'object' ||
      output === null
    )
      return false;
    const { packages, config } = output as { packages?: unknown; config?: unknown };
    if (config !== undefined && !isConfigResult(config)) return false;
    return (
      packages === undefined ||
      (Array.isArray(packages) &&
        packages.every(
          (p) =>
            typeof p === 'object' &&
            p !== null &&
            typeof p.name === 'string' &&
            typeof p.version === 'string' &&
            typeof p.ecosystem === 'string' &&
            isStrings(p.paths),
        ))
    );
  });
}

function isConfigResult(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const { kind, findings, errors } = v as Record<string, unknown>;
  return (
    typeof kind === 'string' &&
    Array.isArray(findings) &&
    findings.every(
      (f) => typeof f?.ruleId === 'string' && typeof f.location === 'object' && f.location !== null,
    ) &&
    Array.isArray(errors) &&
    errors.every((e) => typeof e?.path === 'string' && typeof e.message === 'string')
  );
}

/**
 * A scratch directory for one scan (spooled files, unpacked archives), removed by `remove()`.
 * Under the cache root when it is writable, else in the system temp dir (a read-only home).
 */
export async function createWorkDir(root = cacheDir()): Promise<{ path: string; remove(): Promise<void> }> {
  let path: string;
  try {
    await ensureCacheRoot(root);
    path = join(root, 'tmp', `scan-${process.pid}-${randomBytes(4).toString('hex')}`);
    await mkdir(path, { recursive: true, mode: 0o700 });
  } catch (err) {
    log.warn(
      `cache directory ${root}: not writable (${(err as NodeJS.ErrnoException).code ?? err}); working in ${tmpdir()}`,
    );
    path = await mkdtemp(join(tmpdir(), 'ringfence-scan-'));
  }
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** What a scan leaves in the cache: per-layer results and scratch space. */
const SCAN_CACHE = ['layers', 'tmp'];

/**
 * Removes the scan cache (layer results, leftover scratch files), or with `all` everything in
 * the cache directory (the vulnerability database too). Refuses to touch a directory that
 * does not carry a CACHEDIR.TAG, so a mistaken `--cache-dir ~` deletes nothing.
 */
export async function cleanCache(
  root = cacheDir(),
  options: { all?: boolean } = {},
): Promise<{ entries: number; bytes: number }> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: 0, bytes: 0 };
    throw new UserError(
      `${root}: cannot read the cache directory (${(err as NodeJS.ErrnoException).code ?? err})`,
    );
  }
  const doomed = names.filter((n) => n !== TAG_NAME && (options.all || SCAN_CACHE.includes(n)));
  if (doomed.length === 0) return { entries: 0, bytes: 0 };
  const tag = names.includes(TAG_NAME) ? await readFile(join(root, TAG_NAME), 'utf8').catch(() => '') : '';
  if (!tag.startsWith(SIGNATURE))
    throw new UserError(`${root}: not a cache directory (it has no CACHEDIR.TAG); not touching it`);
  let entries = 0;
  let bytes = 0;
  for (const name of doomed) {
    const counted = await usage(join(root, name));
    entries += counted.entries;
    bytes += counted.bytes;
    await rm(join(root, name), { recursive: true, force: true });
  }
  return { entries, bytes };
}

async function usage(path: string): Promise<{ entries: number; bytes: number }> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return { entries: 0, bytes: 0 };
  if (!st.isDirectory()) return { entries: 1, bytes: st.size };
  const total = { entries: 0, bytes: 0 };
  for (const name of await readdir(path)) {
    const sub = await usage(join(path, name));
    total.entries += sub.entries;
    total.bytes += sub.bytes;
  }
  return total;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
