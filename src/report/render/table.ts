import type { Finding, Severity } from '../../types.js';
import type { Report } from '../model.js';
import { groupByTarget } from '../order.js';

interface TableOptions {
  color: boolean;
  /** Terminal width; long last columns are cut to fit. Undefined: never cut. */
  width?: number;
}

type Column = { head: string; cell: (f: Finding) => string };

const ANSI: Record<Severity, string> = {
  CRITICAL: '\x1b[1;31m',
  HIGH: '\x1b[31m',
  MEDIUM: '\x1b[33m',
  LOW: '\x1b[34m',
  UNKNOWN: '\x1b[90m',
};
const RESET = '\x1b[0m';
const SEVERITY_ORDER: Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

const pkg = (f: Finding) => (f.details?.package ?? {}) as { name?: string; version?: string };
const where = (f: Finding) => {
  const p = f.location.path ?? '';
  if (f.location.line === undefined) return p;
  const end = f.location.endLine && f.location.endLine !== f.location.line ? `-${f.location.endLine}` : '';
  return `${p}:${f.location.line}${end}`;
};

const severity: Column = { head: 'Severity', cell: (f) => f.severity };
/** The rule's title, and what exactly it found here when the check says (which service, which command). */
const title: Column = {
  head: 'Title',
  cell: (f) => {
    const detail = f.details?.message;
    return typeof detail === 'string' && detail && detail !== f.title ? `${f.title}: ${detail}` : f.title;
  },
};

const COLUMNS: Record<Finding['kind'], Column[]> = {
  vulnerability: [
    { head: 'Package', cell: (f) => pkg(f).name ?? '' },
    { head: 'Advisory', cell: (f) => f.ruleId },
    severity,
    { head: 'Installed', cell: (f) => pkg(f).version ?? '' },
    { head: 'Fixed', cell: (f) => f.fix ?? '' },
    title,
  ],
  misconfiguration: [
    { head: 'Rule', cell: (f) => f.ruleId },
    severity,
    { head: 'Location', cell: where },
    title,
  ],
  secret: [{ head: 'Rule', cell: (f) => f.ruleId }, severity, { head: 'Location', cell: where }, title],
  malware: [{ head: 'Rule', cell: (f) => f.ruleId }, severity, { head: 'Location', cell: where }, title],
  compliance: [
    { head: 'Check', cell: (f) => f.ruleId },
    { head: 'Result', cell: (f) => f.status },
    severity,
    title,
    { head: 'Evidence', cell: (f) => String(f.details?.evidence ?? '') },
  ],
  runtime: [{ head: 'Rule', cell: (f) => f.ruleId }, severity, title],
};

export function renderTable(report: Report, opts: TableOptions): string {
  const out: string[] = [];
  const paint = (s: Severity, text: string) => (opts.color ? `${ANSI[s]}${text}${RESET}` : text);
  for (const [target, findings] of groupByTarget(report.findings)) {
    out.push('', `${target} (${countLine(findings)})`);
    for (const kind of new Set(findings.map((f) => f.kind))) {
      out.push(
        ...grid(
          COLUMNS[kind],
          findings.filter((f) => f.kind === kind),
          opts.width,
          paint,
        ),
      );
    }
  }
  if (report.findings.length === 0) out.push(`${report.artifact.name}: no findings`);
  for (const e of report.errors) out.push(`error: ${e.target}: ${e.message}`);
  for (const w of report.warnings) out.push(`warning: ${w}`);
  for (const x of report.expiredIgnores)
    out.push(
      `expired ignore: ${x.id} (${x.file}:${x.line}) expired on ${x.expires}; ${x.matched} finding(s) reported again`,
    );
  if (report.suppressed.length)
    out.push(`${report.suppressed.length} finding(s) suppressed by ignore rules or VEX`);
  return `${out.join('\n').replace(/^\n/, '')}\n`;
}

const STATUS_ORDER = ['FAIL', 'WARN', 'PASS', 'INFO'];

function countLine(findings: Finding[]): string {
  if (findings.every((f) => f.kind === 'compliance')) {
    const parts = STATUS_ORDER.map((st) => [st, findings.filter((f) => f.status === st).length] as const)
      .filter(([, n]) => n > 0)
      .map(([st, n]) => `${st}: ${n}`);
    return `${findings.length} check${findings.length === 1 ? '' : 's'} — ${parts.join(', ')}`;
  }
  const counts = SEVERITY_ORDER.map((s) => [s, findings.filter((f) => f.severity === s).length] as const);
  const parts = counts.filter(([, n]) => n > 0).map(([s, n]) => `${s}: ${n}`);
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}${parts.length ? ` — ${parts.join(', ')}` : ''}`;
}

function grid(
  columns: Column[],
  findings: Finding[],
  maxWidth: number | undefined,
  paint: (s: Severity, t: string) => string,
): string[] {
  const rows = findings.map((f) => columns.map((c) => oneLine(c.cell(f))));
  const widths = columns.map((c, i) => Math.max(c.head.length, ...rows.map((r) => r[i]!.length)));
  if (maxWidth) {
    const fixed = widths.slice(0, -1).reduce((a, w) => a + w + 3, 4);
    widths[widths.length - 1] = Math.max(10, Math.min(widths.at(-1)!, maxWidth - fixed));
  }
  const sevIdx = columns.findIndex((c) => c.head === 'Severity');
  const line = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const row = (cells: string[], sev?: Severity) =>
    `│ ${cells
      .map((c, i) => {
        const text = padOrCut(c, widths[i]!);
        return sev && i === sevIdx ? paint(sev, text) : text;
      })
      .join(' │ ')} │`;
  return [
    line('┌', '┬', '┐'),
    row(columns.map((c) => c.head)),
    line('├', '┼', '┤'),
    ...rows.map((r, i) => row(r, findings[i]!.severity)),
    line('└', '┴', '┘'),
  ];
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function padOrCut(s: string, width: number): string {
  return s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width);
}
