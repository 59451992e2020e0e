import type { AffectedRange, RangeEvent } from '../db/model.js';
import type { VersionScheme } from '../versions/index.js';

/**
 * Whether one installed version lies in an OSV affected entry, by the schema's evaluation
 * algorithm (https://ossf.github.io/osv-schema/#evaluation): listed `versions`, or any range
 * whose events, sorted by version, leave it vulnerable (`introduced` opens, `fixed` closes at
 * that version, `last_affected` closes after it) and that is below one of its `limit`s.
 * GIT ranges need the repository's history and are skipped.
 */

export interface RangeSchemes {
  /** The ecosystem's own ordering, for ECOSYSTEM ranges. */
  ecosystem: VersionScheme;
  /** SemVer 2.0 precedence, for SEMVER ranges. */
  semver: VersionScheme;
}

type RangeVerdict =
  | { affected: false }
  /** `fixed`: the smallest fixed version above the installed one in the range that matched. */
  | { affected: true; fixed?: string };

const NOT_AFFECTED: RangeVerdict = { affected: false };

/** Sorted events per range: the same record is evaluated for every package of that name. */
const sortedCache = new WeakMap<AffectedRange, RangeEvent[]>();

function isZero(e: RangeEvent): boolean {
  return e.kind === 'introduced' && e.version === '0';
}

function isInfinity(e: RangeEvent): boolean {
  return e.kind === 'limit' && e.version.includes('*');
}

/** Events in version order: introduced "0" first, limit "*" last, ties in the order given. */
function sortEvents(range: AffectedRange, scheme: VersionScheme): RangeEvent[] {
  const cached = sortedCache.get(range);
  if (cached) return cached;
  const order = (a: RangeEvent, b: RangeEvent) =>
    rank(a) - rank(b) || (rank(a) === 0 ? scheme.compare(a.version, b.version) : 0);
  const { events } = range;
  let inOrder = true;
  for (let i = 1; i < events.length && inOrder; i++) inOrder = order(events[i - 1]!, events[i]!) <= 0;
  // Array.prototype.sort is stable, so equal versions keep the order given.
  const sorted = inOrder ? events : [...events].sort(order);
  sortedCache.set(range, sorted);
  return sorted;
}

function rank(e: RangeEvent): number {
  return isZero(e) ? -1 : isInfinity(e) ? 1 : 0;
}

/** The verdict of one range for `version`, which must be valid in `scheme`. */
export function evaluateRange(version: string, range: AffectedRange, scheme: VersionScheme): RangeVerdict {
  const events = sortEvents(range, scheme);
  if (!beforeLimits(version, events, scheme)) return NOT_AFFECTED;
  let vulnerable = false;
  let i = 0;
  for (; i < events.length; i++) {
    const e = events[i] as RangeEvent;
    if (e.kind === 'limit') continue;
    if (isZero(e)) {
      vulnerable = true;
      continue;
    }
    const c = scheme.compare(version, e.version);
    // Sorted: no later event can change the verdict once one lies above the installed version.
    if (c < 0) break;
    if (e.kind === 'introduced') vulnerable = true;
    else if (e.kind === 'fixed') vulnerable = false;
    else if (c > 0) vulnerable = false; // last_affected
  }
  if (!vulnerable) return NOT_AFFECTED;
  for (; i < events.length; i++) {
    const e = events[i] as RangeEvent;
    if (e.kind === 'fixed') return { affected: true, fixed: e.version };
    if (e.kind === 'last_affected') break;
  }
  return { affected: true };
}

function beforeLimits(version: string, events: RangeEvent[], scheme: VersionScheme): boolean {
  let limited = false;
  for (const e of events) {
    if (e.kind !== 'limit') continue;
    if (isInfinity(e) || scheme.compare(version, e.version) < 0) return true;
    limited = true;
  }
  return !limited;
}

interface AffectedEntry {
  ranges: AffectedRange[];
  /** Whether the entry's `versions` list names this exact version string. */
  listsVersion(version: string): boolean;
}

/**
 * Evaluates every range of an entry; among the ranges that match, the smallest fix wins.
 * `valid(scheme)` says whether the installed version can be compared in that scheme; ranges
 * whose scheme cannot read it are skipped (the caller warns), explicit versions still count.
 * `listedAs` is the installed version as the ecosystem's OSV records spell it (Go drops the "v").
 */
export function evaluateEntry(
  version: string,
  entry: AffectedEntry,
  schemes: RangeSchemes,
  valid: (scheme: VersionScheme) => boolean,
  listedAs: string = version,
): RangeVerdict {
  let hit: RangeVerdict = NOT_AFFECTED;
  for (const range of entry.ranges) {
    if (range.type === 'GIT') continue;
    const scheme = range.type === 'SEMVER' ? schemes.semver : schemes.ecosystem;
    if (!valid(scheme)) continue;
    const verdict = evaluateRange(version, range, scheme);
    if (!verdict.affected) continue;
    if (!hit.affected || (verdict.fixed !== undefined && smallerFix(verdict.fixed, hit.fixed, scheme)))
      hit = verdict;
  }
  if (hit.affected) return hit;
  if (entry.listsVersion(listedAs)) return { affected: true };
  return NOT_AFFECTED;
}

function smallerFix(candidate: string, current: string | undefined, scheme: VersionScheme): boolean {
  return current === undefined || scheme.compare(candidate, current) < 0;
}
