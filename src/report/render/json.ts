import { randomBytes } from 'node:crypto';
import { packageVersion } from '../../util/version.js';
import type { Report } from '../model.js';
import { byUrgency } from '../order.js';

/**
 * The JSON report, in pieces: the findings one at a time, so a report of hundreds of
 * thousands of findings is never one string in memory. Joined, the pieces are
 * `JSON.stringify(doc, null, 2)` of the whole document.
 */
export function* renderJson(report: Report): Generator<string> {
  const doc = {
    schemaVersion: 1,
    tool: { name: 'ringfence', version: packageVersion() },
    createdAt: new Date().toISOString(),
    artifact: report.artifact,
    summary: summarize(report),
    findings: FINDINGS,
    suppressed: report.suppressed,
    expiredIgnores: report.expiredIgnores,
    errors: report.errors,
    warnings: report.warnings,
  };
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  const at = text.indexOf(`"${FINDINGS}"`);
  yield text.slice(0, at);
  const findings = [...report.findings].sort(byUrgency);
  if (findings.length === 0) yield '[]';
  else {
    yield '[\n';
    for (let i = 0; i < findings.length; i++)
      yield `    ${JSON.stringify(findings[i], null, 2).replace(/\n/g, '\n    ')}${i + 1 < findings.length ? ',\n' : '\n'}`;
    yield '  ]';
  }
  yield text.slice(at + FINDINGS.length + 2);
}

/** Stands in for the findings while the rest of the document is written (nothing JSON escapes). */
const FINDINGS = `ringfence-findings-${randomBytes(8).toString('hex')}`;

function summarize(report: Report): Record<string, number> {
  const counts: Record<string, number> = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
  for (const f of report.findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return {
    total: report.findings.length,
    ...counts,
    suppressed: report.suppressed.length,
    errors: report.errors.length,
  };
}
