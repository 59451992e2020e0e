import type { Finding } from '../types.js';
import type { ExpiredIgnore } from './ignorefile.js';

/** Everything a renderer needs; commands build it, renderers only format it. */
export interface Report {
  /** What was scanned: an image reference, a directory, a host. */
  artifact: { name: string; type: string } & Record<string, unknown>;
  /** Open findings, already filtered by severity. */
  findings: Finding[];
  /** Findings an ignore file or VEX statement suppressed (kept for JSON/SARIF audit trails). */
  suppressed: Finding[];
  expiredIgnores: ExpiredIgnore[];
  /** Inputs that could not be read (one entry per file), the scan went on without them. */
  errors: { target: string; message: string }[];
  warnings: string[];
}

export function emptyReport(artifact: Report['artifact']): Report {
  return { artifact, findings: [], suppressed: [], expiredIgnores: [], errors: [], warnings: [] };
}
