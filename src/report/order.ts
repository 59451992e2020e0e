import type { Finding } from '../types.js';
import { severityRank } from './severity.js';

function priority(f: Finding): number {
  const p = f.details?.priority;
  return typeof p === 'number' ? p : 0;
}

function pkgName(f: Finding): string {
  const pkg = f.details?.package as { name?: string } | undefined;
  return pkg?.name ?? '';
}

/** Compliance results: failures before warnings before passes. */
const STATUS_RANK: Record<string, number> = { FAIL: 3, WARN: 2, INFO: 1, PASS: 0 };
const statusRank = (f: Finding) => (f.kind === 'compliance' ? (STATUS_RANK[f.status] ?? 0) : 0);

/** Most urgent first: failing status, priority (when the kind has one), severity, then stable keys. */
export function byUrgency(a: Finding, b: Finding): number {
  return (
    statusRank(b) - statusRank(a) ||
    priority(b) - priority(a) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    a.target.localeCompare(b.target) ||
    pkgName(a).localeCompare(pkgName(b)) ||
    (a.location.path ?? '').localeCompare(b.location.path ?? '') ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    a.ruleId.localeCompare(b.ruleId, 'en', { numeric: true })
  );
}

/** Groups by target, keeping targets in first-seen order of the sorted findings. */
export function groupByTarget(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of [...findings].sort(byUrgency)) {
    const g = groups.get(f.target);
    if (g) g.push(f);
    else groups.set(f.target, [f]);
  }
  return groups;
}
