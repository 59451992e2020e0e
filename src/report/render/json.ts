import { packageVersion } from '../../util/version.js';
import type { Report } from '../model.js';
import { byUrgency } from '../order.js';

export function renderJson(report: Report): string {
  const doc = {
    schemaVersion: 1,
    tool: { name: 'ringfence', version: packageVersion() },
    createdAt: new Date().toISOString(),
    artifact: report.artifact,
    summary: summarize(report),
    findings: [...report.findings].sort(byUrgency),
    suppressed: report.suppressed,
    expiredIgnores: report.expiredIgnores,
    errors: report.errors,
    warnings: report.warnings,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

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
