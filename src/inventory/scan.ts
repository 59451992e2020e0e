import { type ImageConfigScan, scanImageConfig } from '../config/image/scan-image-config.js';
import { isDataError } from '../image/format-error.js';
import type { PullOptions } from '../image/named-image.js';
import { resolveSource, type ScanTarget } from '../image/resolve.js';
import type { ImageConfig, ImageSource } from '../image/source.js';
import type { Inventory, LayerInfo } from '../types.js';
import { inputError } from '../util/errors.js';
import type { Analyzer, ScanMode } from './analyzer.js';
import { analyzers as registry } from './analyzers.js';
import { type AppliedConfig, type ApplierLayer, applyLayers } from './applier.js';
import { createWorkDir, LayerCache, layerCacheKey } from './cache.js';
import type { LayerResult } from './layer-result.js';
import { readSbomFile } from './sbom/read.js';
import { DEFAULT_LIMITS, type WalkLimits, type WalkOptions, walkDirectoryTree, walkLayer } from './walker.js';

/**
 * Source → Inventory: the entry point every scanning command uses. Resolves the argument to a
 * source, reads each layer once (or takes it from the layer cache), squashes the layers and
 * returns the image's inventory.
 */

export interface ScanOptions {
  /** 'image' for image commands, 'rootfs'/'fs' for directory walks; unset decides from the argument. */
  mode?: ScanMode;
  /** `--platform os/arch[/variant]`, for multi-platform OCI layouts. */
  platform?: string;
  /** `--input FILE`: an image archive given instead of the argument. */
  input?: string;
  /** Image references: which sources to try (daemon, registry), registry TLS and credentials. */
  pull?: PullOptions;
  /** Defaults to every registered analyzer (src/inventory/analyzers.ts). */
  analyzers?: readonly Analyzer[];
  /** Use the per-layer cache (default true). */
  cache?: boolean;
  /** Cache root; defaults to cacheDir(). */
  cacheRoot?: string;
  limits?: Partial<WalkLimits>;
  onProgress?: (event: ScanProgress) => void;
}

export type ScanProgress =
  | { type: 'layer'; index: number; total: number; diffId: string; size?: number; cached: boolean }
  | { type: 'bytes'; bytes: number };

export async function scanSource(arg: string | undefined, options: ScanOptions = {}): Promise<Inventory> {
  const work = await createWorkDir(options.cacheRoot);
  try {
    const target = await resolveSource(arg, {
      mode: options.mode,
      platform: options.platform,
      input: options.input,
      pull: options.pull,
      workDir: work.path,
    });
    return await scanTarget(target, options, work.path);
  } finally {
    await work.remove();
  }
}

async function scanTarget(target: ScanTarget, options: ScanOptions, workDir: string): Promise<Inventory> {
  const all = options.analyzers ?? registry;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (target.kind === 'sbom') return readSbomFile(target.path, target.ref, target.sbom);
  if (target.kind === 'directory') {
    const analyzers = all.filter((a) => a.modes.includes(target.mode));
    const result = await walkDirectoryTree(
      target.root,
      target.mode,
      { analyzers, mode: target.mode, workDir, limits },
      target.only,
    );
    const applied = applyLayers(
      [{ result }],
      analyzers.map((a) => a.name),
    );
    return {
      source: { type: target.mode, ref: target.ref },
      os: applied.os,
      layers: [],
      packages: applied.packages,
      warnings: applied.warnings,
      ...configResults(applied.config),
    };
  }
  const image = target.image;
  try {
    const analyzers = all.filter((a) => a.modes.includes('image'));
    const walk: WalkOptions = {
      analyzers,
      mode: 'image',
      workDir,
      limits,
      onBytes: options.onProgress && ((bytes) => options.onProgress!({ type: 'bytes', bytes })),
    };
    const results = await readLayers(image, walk, options);
    const applied = applyLayers(
      results,
      analyzers.map((a) => a.name),
    );
    return {
      source: image.info,
      os: applied.os,
      layers: layerInfo(image),
      packages: applied.packages,
      warnings: applied.warnings,
      ...configResults(applied.config, scanImageConfig(image.config, `${image.info.ref} (image config)`)),
    };
  } finally {
    await image.close();
  }
}

async function readLayers(
  image: ImageSource,
  walk: WalkOptions,
  options: ScanOptions,
): Promise<ApplierLayer[]> {
  const cache = options.cache === false ? undefined : new LayerCache(options.cacheRoot);
  const out: ApplierLayer[] = [];
  for (const [index, layer] of image.layers.entries()) {
    const key = layerCacheKey(layer.diffId, 'image', walk.analyzers);
    let result: LayerResult | undefined = await cache?.get(key);
    const progress = { index, total: image.layers.length, diffId: layer.diffId, size: layer.size };
    options.onProgress?.({ type: 'layer', ...progress, cached: !!result });
    if (!result) {
      try {
        result = await walkLayer(layer, walk);
      } catch (err) {
        if (!isDataError(err)) throw err;
        throw inputError(
          `${image.info.ref}: layer ${index + 1}/${image.layers.length} (${layer.diffId.slice(0, 19)})`,
          err.message,
          err,
        );
      }
      await cache?.put(key, result);
    }
    out.push({ ref: { index, diffId: layer.diffId }, result });
  }
  return out;
}

/** Configuration files' results, after the image config's when there is one. */
function configResults(
  files: AppliedConfig,
  image?: ImageConfigScan,
): Pick<Inventory, 'configFiles' | 'misconfigurations' | 'configErrors'> {
  return {
    configFiles: files.files,
    misconfigurations: [...(image?.findings ?? []), ...files.findings],
    configErrors: [...(image?.errors ?? []), ...files.errors],
  };
}

/** Layers with the history entry that made each (entries marked empty_layer made none). */
function layerInfo(image: ImageSource): LayerInfo[] {
  const made = layerHistory(image.config);
  return image.layers.map((l, index) => ({
    index,
    diffId: l.diffId,
    digest: l.digest,
    size: l.size,
    mediaType: l.mediaType,
    createdBy: made?.[index],
  }));
}

function layerHistory(config: ImageConfig): (string | undefined)[] | undefined {
  const made = (config.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by);
  return made.length === config.rootfs.diff_ids.length ? made : undefined;
}
