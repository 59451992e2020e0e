import type { AnalyzerOutput } from './analyzer.js';

/**
 * What one pass over a layer (or a directory) yields: the analyzers' outputs per file, plus the
 * paths the layer writes and deletes, so that the applier can squash layers without reading
 * them again. Plain JSON: it is what the layer cache stores.
 */

export interface FileAnalysis {
  /** The file the analyzer read, image-root relative. */
  path: string;
  analyzer: string;
  output: AnalyzerOutput;
}

export interface LayerResult {
  /** Every non-directory entry the layer writes (files, links, devices): each hides what lay below. */
  paths: string[];
  /** Directories the layer writes: they hide a lower non-directory of the same name only. */
  dirs: string[];
  /** Deleted paths (`.wh.NAME`), with everything below them. */
  whiteouts: string[];
  /** Directories whose lower contents are hidden (`.wh..wh..opq`). */
  opaqueDirs: string[];
  analyses: FileAnalysis[];
  warnings: string[];
}

export function emptyLayerResult(): LayerResult {
  return { paths: [], dirs: [], whiteouts: [], opaqueDirs: [], analyses: [], warnings: [] };
}

/** Per-layer warnings beyond this are counted, not kept (a hostile layer can have millions). */
export const MAX_WARNINGS = 100;
