import type { Finding, Severity } from '../../types.js';
import { packageVersion } from '../../util/version.js';
import type { Report } from '../model.js';
import { byUrgency } from '../order.js';

/** SARIF 2.1.0 as GitHub code scanning reads it (security-severity drives its severity badge). */

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'note',
};
const SCORE: Record<Severity, string> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '2.0',
  UNKNOWN: '0.0',
};

function securitySeverity(f: Finding): string {
  const score = f.details?.cvssScore;
  return typeof score === 'number' && score > 0 ? score.toFixed(1) : SCORE[f.severity];
}

function uri(path: string): string {
  return path.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/');
}

function message(f: Finding): string {
  const pkg = f.details?.package as { name?: string; version?: string } | undefined;
  const lines = [f.title];
  if (typeof f.details?.message === 'string' && f.details.message !== f.title) lines.push(f.details.message);
  if (f.kind === 'vulnerability' && pkg)
    lines.push(`Package: ${pkg.name} ${pkg.version}`, `Fixed version: ${f.fix ?? 'none yet'}`);
  else if (f.fix) lines.push(`Remediation: ${f.fix}`);
  if (f.location.layer) lines.push(`Layer: ${f.location.layer}`);
  return lines.join('\n');
}

export function renderSarif(report: Report): string {
  const all = [...report.findings].sort(byUrgency).concat(report.suppressed);
  const ruleIndex = new Map<string, number>();
  const rules: object[] = [];
  for (const f of all) {
    if (ruleIndex.has(f.ruleId)) continue;
    ruleIndex.set(f.ruleId, rules.length);
    const description = f.description ?? f.title;
    rules.push({
      id: f.ruleId,
      name: f.ruleId.replace(/[^A-Za-z0-9]/g, ''),
      shortDescription: { text: f.title },
      fullDescription: { text: description },
      help: {
        text: [description, f.fix ? `Remediation: ${f.fix}` : '', ...f.references].filter(Boolean).join('\n'),
      },
      ...(f.references[0] ? { helpUri: f.references[0] } : {}),
      defaultConfiguration: { level: LEVEL[f.severity] },
      properties: {
        tags: ['security', f.kind, f.severity],
        precision: 'very-high',
        'security-severity': securitySeverity(f),
      },
    });
  }
  const results = all.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId)!,
    level: LEVEL[f.severity],
    message: { text: message(f) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uri(f.location.path ?? f.target) },
          region: {
            startLine: Math.max(1, f.location.line ?? 1),
            endLine: Math.max(1, f.location.endLine ?? f.location.line ?? 1),
          },
        },
        message: { text: f.target },
      },
    ],
    ...(f.status === 'open' || f.status === 'FAIL'
      ? {}
      : { suppressions: [{ kind: 'external', status: 'accepted', justification: justification(f) }] }),
  }));
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Ringfence',
            version: packageVersion(),
            informationUri: 'https://github.com/ringfence/ringfence',
            rules,
          },
        },
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...report.errors.map((e) => ({
                level: 'error',
                message: { text: `${e.target}: ${e.message}` },
              })),
              ...report.warnings.map((w) => ({ level: 'warning', message: { text: w } })),
            ],
          },
        ],
        properties: { artifact: report.artifact },
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function justification(f: Finding): string {
  const by = f.details?.ignoredBy as { file?: string; line?: number; reason?: string } | undefined;
  if (by) return `${f.status} by ${by.file}:${by.line}${by.reason ? ` (${by.reason})` : ''}`;
  const vex = f.details?.vexJustification;
  return typeof vex === 'string' ? `${f.status}: ${vex}` : f.status;
}
