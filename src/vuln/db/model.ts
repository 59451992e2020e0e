import type { Severity } from '../../types.js';
import type { CvssScore } from '../cvss/index.js';

/** Plain types shared by the importers, the writer and the query API. */

/**
 * fixed: a fixed version exists; affected: no fix yet; wont_fix: the vendor will not fix it
 * (Debian <ignored>); not_affected: the vendor says this release is not affected;
 * end_of_life: the package is no longer supported in this release.
 */
export type FixState = 'fixed' | 'affected' | 'wont_fix' | 'not_affected' | 'end_of_life';

/** GIT ranges are kept for reference; only ECOSYSTEM and SEMVER ranges compare versions. */
export type RangeType = 'ECOSYSTEM' | 'SEMVER' | 'GIT';
export type RangeEventKind = 'introduced' | 'fixed' | 'last_affected' | 'limit';

export interface RangeEvent {
  kind: RangeEventKind;
  version: string;
}

export interface AffectedRange {
  type: RangeType;
  events: RangeEvent[];
}

/** A vendor's own rating (GHSA severity, Debian urgency, Ubuntu priority), kept apart from CVSS. */
export interface VendorSeverity {
  /** Who said it: "GHSA", "Debian", "Ubuntu", ... */
  source: string;
  /** As the vendor wrote it: "MODERATE", "unimportant", "medium". */
  value: string;
  level: Severity;
}

export interface Reference {
  type: string;
  url: string;
}

export interface AffectedInput {
  ecosystem: string;
  /** Normalised with normalisePackageName; the source package for Debian and Ubuntu. */
  name: string;
  ranges: AffectedRange[];
  versions: string[];
  fixState: FixState;
  /** A per-package severity that differs from the advisory's (Debian urgency per release). */
  vendorSeverity?: VendorSeverity;
  cvss?: CvssScore[];
}

export interface AdvisoryInput {
  id: string;
  aliases: string[];
  summary?: string;
  details?: string;
  published?: string;
  modified?: string;
  references: Reference[];
  vendorSeverity?: VendorSeverity;
  cvss: CvssScore[];
  affected: AffectedInput[];
}

export interface KevEntry {
  cve: string;
  dateAdded: string;
  dueDate?: string;
  knownRansomware: boolean;
  name?: string;
}

export interface EpssEntry {
  cve: string;
  score: number;
  percentile: number;
}

/** Maps vendors' words to the shared scale. */
export function severityLevel(value: string): Severity {
  switch (value.trim().toLowerCase()) {
    case 'critical':
      return 'CRITICAL';
    case 'high':
    case 'important':
      return 'HIGH';
    case 'moderate':
    case 'medium':
      return 'MEDIUM';
    case 'low':
    case 'negligible':
    case 'unimportant':
    case 'minor':
      return 'LOW';
    default:
      return 'UNKNOWN';
  }
}
