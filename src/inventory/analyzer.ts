import type { ConfigError, Finding, OsInfo, Package } from '../types.js';

/**
 * An analyzer is a path predicate plus a pure function over one file's content.
 * The layer walker streams each layer once and hands every file only to the analyzers
 * that want it; results are cached per layer (diffID + every analyzer's name@version).
 */

/** Where the walk is running: an image layer, a root filesystem dir, or a source tree. */
export type ScanMode = 'image' | 'rootfs' | 'fs';

export interface FileInfo {
  /** Image-root relative, normalised, no leading slash: "var/lib/dpkg/status". */
  path: string;
  size: number;
  /** Permission bits (and setuid/setgid/sticky). */
  mode: number;
}

export interface FileContent {
  readonly size: number;
  /** The whole file. Analyzers that want big files should prefer readAt. */
  read(): Promise<Buffer>;
  /** Up to `length` bytes from `offset` (fewer at end of file). */
  readAt(offset: number, length: number): Promise<Buffer>;
}

export interface AnalyzerInput extends FileInfo {
  content: FileContent;
  scanMode: ScanMode;
}

/** Files an OS package database says a package installed (dpkg .list/.md5sums, rpm, apk). */
export interface PackageFiles {
  /** Package name as in the package DB. */
  package: string;
  files: string[];
}

export interface AnalyzerOutput {
  os?: OsInfo;
  /** Packages found in this file; `layer` and `purl` are filled later by the applier. */
  packages?: Package[];
  packageFiles?: PackageFiles[];
  /** Non-fatal problems with this file ("corrupt rpmdb: ..."), shown as warnings. */
  warnings?: string[];
  /** A configuration file's misconfiguration scan; `location.layer` is filled by the applier. */
  config?: ConfigFileResult;
}

export interface ConfigFileResult {
  /** The config file kind that claimed it: 'dockerfile', 'compose'... */
  kind: string;
  findings: Finding[];
  /** A malformed file is one entry here (and no findings); a failed check is one entry too. */
  errors: ConfigError[];
}

export interface Analyzer {
  /** Stable name, used in Package.analyzer and in the cache key. */
  readonly name: string;
  /** Bump whenever output for the same input changes; part of the layer cache key. */
  readonly version: number;
  /** Modes it runs in (lockfile analyzers run only in 'fs' mode, for example). */
  readonly modes: readonly ScanMode[];
  /** Cheap predicate on path and metadata only; content is never read for unwanted files. */
  wants(file: FileInfo, scanMode: ScanMode): boolean;
  analyze(input: AnalyzerInput): Promise<AnalyzerOutput | undefined>;
}
