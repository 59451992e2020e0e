import type { Severity } from '../../types.js';

/** 1-based, inclusive line range in the scanned file. */
export interface LineRange {
  line: number;
  endLine: number;
}

/** One thing a check found: where it is and what exactly is wrong there. */
export interface Hit {
  line: number;
  /** Defaults to `line`. */
  endLine?: number;
  /** The specific problem, naming the offending value ("image node:latest uses the latest tag"). */
  message: string;
  /**
   * The enclosing construct (the whole instruction, the service): a suppression comment on the
   * line before it also covers this hit.
   */
  scope?: LineRange;
  /** Extra machine-readable context (service name, stage, package...). */
  details?: Record<string, unknown>;
}

/** Everything a report shows about a rule, independent of where it fired. */
export interface CheckMeta {
  /** Stable id: RF-<KIND>-<NNN>, e.g. RF-DF-001. */
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  references: readonly string[];
  /** Framework controls this check implements, e.g. { 'cis-docker': '4.1' } (CIS Docker Benchmark v1.6.0). */
  frameworks?: Readonly<Record<string, string>>;
}

/** A check is its metadata plus a small function over the parsed model of one file kind. */
export interface Check<M> extends CheckMeta {
  run(model: M): Iterable<Hit>;
}

/** What a file kind's parser receives. */
export interface SourceFile {
  /** Path as reported in findings (relative to the scan root, '/'-separated). */
  path: string;
  text: string;
  /** Contents of the companion files the kind asked for that exist beside this file. */
  companions: ReadonlyMap<string, string>;
  /** Settings the user gave for file kinds, by flag name (`{ 'k8s-version': '1.30' }`); absent means defaults. */
  settings?: Readonly<Record<string, string>>;
}

/** One hit of a tree check: in which of the scanned files, and where in it. */
export interface TreeHit extends Hit {
  path: string;
}

/**
 * A check over every file of one kind that a scan parsed, for what no single file can show
 * (a namespace with no NetworkPolicy anywhere in the tree). It sees a small summary per file,
 * never the models, which are dropped after each file as before.
 */
export interface TreeCheck<S> extends CheckMeta {
  run(files: readonly { path: string; summary: S }[]): Iterable<TreeHit>;
}

/** A file kind: how to recognise it, how to parse it once, and the checks that run on the model. */
export interface FileKind<M, S = never> {
  /** Stable id used in findings' details and in logs: 'dockerfile', 'compose'. */
  id: string;
  /** Human name: 'Dockerfile', 'Docker Compose'. */
  title: string;
  /** Claims a file by its path alone, without reading it. */
  matchesName?(path: string): boolean;
  /** Files worth reading so that matchesContent can decide (a cheap test on the path). */
  contentCandidate?(path: string): boolean;
  /** Claims a file by its text (called for content candidates, and for a file named explicitly). */
  matchesContent?(text: string, path: string): boolean;
  /** File names beside the scanned file that the parser wants too (e.g. '.env'); read when present. */
  companions?: readonly string[];
  /** Throws ConfigParseError when the file is malformed. */
  parse(source: SourceFile): M;
  checks: readonly Check<M>[];
  /** What the tree checks need to know of one file (kept for the whole scan, so keep it small). */
  summarize?(model: M): S;
  treeChecks?: readonly TreeCheck<S>[];
}

/** A malformed file; `line` is where the problem was seen when known. */
export class ConfigParseError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'ConfigParseError';
  }
}
