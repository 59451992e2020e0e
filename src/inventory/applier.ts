import { normalizeEntryPath, parentPath } from '../image/path.js';
import type { ConfigError, Finding, LayerRef, OsInfo, Package } from '../types.js';
import type { ConfigFileResult } from './analyzer.js';
import type { FileAnalysis, LayerResult } from './layer-result.js';
import { purlFor } from './purl.js';

/**
 * Squashes per-layer results into what the final image holds. A file's analysis survives
 * until an upper layer rewrites, deletes (whiteout) or hides (opaque directory) the file, so a
 * package DB replaced upstairs replaces its packages and a removed package is gone. A package's
 * layer is the lowest layer from which it has been present, at the same version, ever since.
 * A configuration file's misconfigurations are those of its last surviving version, with the
 * diffID of the layer that wrote it.
 */

export interface ApplierLayer {
  /** Absent for directory scans, which have no layers. */
  ref?: LayerRef;
  result: LayerResult;
}

interface Applied {
  os?: OsInfo;
  packages: Package[];
  warnings: string[];
  config: AppliedConfig;
}

export interface AppliedConfig {
  files: { path: string; kind: string; layer?: string }[];
  findings: Finding[];
  errors: ConfigError[];
}

const OS_ECOSYSTEMS = new Set(['deb', 'rpm', 'apk']);

interface Visible {
  layer: number;
  analyses: FileAnalysis[];
}

/** `analyzerOrder` (analyzer names, registry order) breaks ties between OS detections in one layer. */
export function applyLayers(layers: ApplierLayer[], analyzerOrder: readonly string[]): Applied {
  const visible = new Map<string, Visible>();
  let since = new Map<string, { version: string; layer: number }>();
  const warnings: string[] = [];

  layers.forEach(({ ref, result }, j) => {
    const where = ref ? `layer ${ref.index + 1} (${ref.diffId.slice(0, 19)})` : '';
    for (const w of result.warnings) warnings.push(where ? `${where}: ${w}` : w);
    const hid = hideLower(visible, result);
    for (const a of result.analyses) {
      const v = visible.get(a.path);
      if (v && v.layer === j) v.analyses.push(a);
      else visible.set(a.path, { layer: j, analyses: [a] });
    }
    if (hid || result.analyses.length > 0) since = attribute(visible, since, j);
  });

  const ordered = [...visible.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const packages = new Map<string, Package>();
  const packageFiles = new Map<string, string[]>();
  const config: AppliedConfig = { files: [], findings: [], errors: [] };
  for (const [, v] of ordered) {
    const diffId = layers[v.layer]?.ref?.diffId;
    for (const a of v.analyses) {
      // Analyzers that pass on a parser's error already name the file.
      for (const w of a.output.warnings ?? [])
        warnings.push(w.startsWith(`${a.path}:`) ? w : `${a.path}: ${w}`);
      if (a.output.config) collectConfig(config, a.path, a.output.config, diffId);
      for (const pf of a.output.packageFiles ?? [])
        packageFiles.set(pf.package, [...(packageFiles.get(pf.package) ?? []), ...pf.files]);
      for (const p of a.output.packages ?? []) {
        const key = packageKey(p);
        if (packages.has(`${key}\0${p.version}`)) continue;
        const first = since.get(key);
        const ref = first ? layers[first.layer]?.ref : undefined;
        packages.set(`${key}\0${p.version}`, {
          ...p,
          ...(ref ? { layer: { index: ref.index, diffId: ref.diffId } } : {}),
        });
      }
    }
  }

  const os = pickOs(ordered, analyzerOrder);
  const list = [...packages.values()];
  for (const p of list) p.purl ||= purlFor(p, os);
  markOwnership(list, packageFiles);
  list.sort(comparePackages);
  return { os, packages: list, warnings, config };
}

function collectConfig(into: AppliedConfig, path: string, result: ConfigFileResult, layer?: string): void {
  into.files.push({ path, kind: result.kind, ...(layer ? { layer } : {}) });
  for (const f of result.findings)
    into.findings.push(layer ? { ...f, location: { ...f.location, layer } } : f);
  for (const e of result.errors) into.errors.push(layer ? { ...e, layer } : e);
}

/** Drops lower-layer analyses that `upper` rewrites, deletes or hides. True when any went. */
function hideLower(visible: Map<string, Visible>, upper: LayerResult): boolean {
  if (visible.size === 0) return false;
  const written = new Set(upper.paths);
  const whiteouts = new Set(upper.whiteouts);
  const opaque = new Set(upper.opaqueDirs);
  const dirs = directoriesOf(upper);
  let hid = false;
  for (const path of visible.keys()) {
    if (isHidden(path, written, dirs, whiteouts, opaque)) {
      visible.delete(path);
      hid = true;
    }
  }
  return hid;
}

/**
 * Every path the layer has as a directory: the ones it writes, and those implied by any entry
 * below them (an opaque marker or a whiteout inside D makes D a directory too).
 */
function directoriesOf(layer: LayerResult): Set<string> {
  const dirs = new Set<string>();
  const addAncestors = (path: string) => {
    for (let a = parentPath(path); a !== '' && !dirs.has(a); a = parentPath(a)) dirs.add(a);
  };
  for (const d of layer.dirs) {
    dirs.add(d);
    addAncestors(d);
  }
  for (const d of layer.opaqueDirs) {
    if (d !== '') dirs.add(d);
    addAncestors(d);
  }
  for (const p of layer.paths) addAncestors(p);
  for (const w of layer.whiteouts) addAncestors(w);
  return dirs;
}

function isHidden(
  path: string,
  written: Set<string>,
  dirs: Set<string>,
  whiteouts: Set<string>,
  opaque: Set<string>,
): boolean {
  if (written.has(path) || dirs.has(path) || whiteouts.has(path)) return true;
  let ancestor = path;
  while (ancestor !== '') {
    ancestor = parentPath(ancestor);
    if (opaque.has(ancestor) || whiteouts.has(ancestor)) return true;
    if (ancestor !== '' && written.has(ancestor)) return true; // a directory replaced by a non-directory
  }
  return false;
}

/** Package identity across layers: same ecosystem, name, arch and place it was found. */
function packageKey(p: Package): string {
  return `${p.ecosystem}\0${p.name}\0${p.arch ?? ''}\0${p.paths[0] ?? ''}`;
}

function attribute(
  visible: Map<string, Visible>,
  previous: Map<string, { version: string; layer: number }>,
  layer: number,
): Map<string, { version: string; layer: number }> {
  const next = new Map<string, { version: string; layer: number }>();
  for (const v of visible.values())
    for (const a of v.analyses)
      for (const p of a.output.packages ?? []) {
        const key = packageKey(p);
        if (next.has(key)) continue;
        const prev = previous.get(key);
        next.set(key, prev && prev.version === p.version ? prev : { version: p.version, layer });
      }
  return next;
}

/** Fills OS packages' files from their databases and marks language packages they own. */
function markOwnership(packages: Package[], packageFiles: Map<string, string[]>): void {
  const owned = new Set<string>();
  for (const p of packages) {
    if (!OS_ECOSYSTEMS.has(p.ecosystem)) continue;
    const listed = packageFiles.get(p.name) ?? (p.arch ? packageFiles.get(`${p.name}:${p.arch}`) : undefined);
    if (listed) p.files = normalizeAll(listed);
    else if (p.files) p.files = normalizeAll(p.files);
    for (const f of p.files ?? []) owned.add(f);
  }
  if (owned.size === 0) return;
  for (const p of packages)
    if (!OS_ECOSYSTEMS.has(p.ecosystem) && p.paths.some((path) => owned.has(path))) p.osOwned = true;
}

function normalizeAll(files: string[]): string[] {
  const out = new Set<string>();
  for (const f of files) {
    const n = normalizeEntryPath(f);
    if (n) out.add(n);
  }
  return [...out];
}

function pickOs(ordered: [string, Visible][], analyzerOrder: readonly string[]): OsInfo | undefined {
  let best: { os: OsInfo; layer: number; rank: number } | undefined;
  for (const [, v] of ordered)
    for (const a of v.analyses) {
      if (!a.output.os) continue;
      const rank = analyzerOrder.indexOf(a.analyzer);
      if (!best || v.layer > best.layer || (v.layer === best.layer && rank < best.rank))
        best = { os: a.output.os, layer: v.layer, rank };
    }
  return best?.os;
}

function comparePackages(a: Package, b: Package): number {
  return (
    cmp(a.ecosystem, b.ecosystem) ||
    cmp(a.name, b.name) ||
    cmp(a.version, b.version) ||
    cmp(a.arch ?? '', b.arch ?? '') ||
    cmp(a.paths[0] ?? '', b.paths[0] ?? '')
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
