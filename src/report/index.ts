import type { Finding } from '../types.js';
import { UserError } from '../util/errors.js';
import { log } from '../util/log.js';
import { writeResult } from '../util/output.js';
import { applyIgnores, loadIgnoreFile } from './ignorefile.js';
import type { Report } from './model.js';
import { renderJson } from './render/json.js';
import { renderJunit } from './render/junit.js';
import { renderSarif } from './render/sarif.js';
import { renderTable } from './render/table.js';
import { parseSeverityList } from './severity.js';

export type { Report } from './model.js';
export { emptyReport } from './model.js';

/** A document, whole or in pieces (written as they come, never joined). */
type Renderer = (report: Report, opts: { color: boolean; width?: number }) => string | Iterable<string>;

const BUILTIN: Record<string, Renderer> = {
  table: renderTable,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
};

/** The flags every scan command shares (--format, --output, --severity, --exit-code, --ignorefile). */
export interface ReportFlags {
  format?: string;
  output?: string;
  severity?: string;
  exitCode?: string;
  ignorefile?: string;
}

/** What trips --exit-code: any open finding, but of compliance results only a FAIL. */
function isFailing(f: Finding): boolean {
  return f.kind === 'compliance' ? f.status === 'FAIL' : true;
}

function parseExitCode(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 255)
    throw new UserError(`--exit-code: expected a number from 0 to 255, got '${value}'`);
  return n;
}

interface EmitOptions {
  /** Formats this command offers (default: every built-in one plus `renderers`). */
  formats?: readonly string[];
  /** Extra formats, e.g. CycloneDX for vulnerability scans. */
  renderers?: Record<string, Renderer>;
}

/** Checks every report flag; call it before the scan so bad flags fail fast. */
export function validateReportFlags(flags: ReportFlags, opts: EmitOptions = {}): Renderer {
  const renderers = { ...BUILTIN, ...opts.renderers };
  const formats = opts.formats ?? Object.keys(renderers);
  const format = flags.format ?? 'table';
  const render = renderers[format];
  if (!render || !formats.includes(format))
    throw new UserError(`--format: unknown format '${format}' (expected ${formats.join(', ')})`);
  parseExitCode(flags.exitCode);
  if (flags.severity) parseSeverityList(flags.severity);
  loadIgnoreFile(flags.ignorefile);
  return render;
}

/**
 * Applies the ignore file and --severity, renders in --format, writes stdout or --output
 * atomically, and returns the process exit code (the --exit-code value when failing
 * findings remain).
 */
export async function emitReport(
  report: Report,
  flags: ReportFlags,
  opts: EmitOptions = {},
): Promise<number> {
  const render = validateReportFlags(flags, opts);
  const exitCode = parseExitCode(flags.exitCode);
  const severities = flags.severity ? new Set(parseSeverityList(flags.severity)) : undefined;
  const { open, suppressed, expired } = applyIgnores(report.findings, loadIgnoreFile(flags.ignorefile));
  for (const x of expired)
    log.warn(
      `ignore entry ${x.id} (${x.file}:${x.line}) expired on ${x.expires}; ${x.matched} finding(s) reported again`,
    );
  const shown = severities ? open.filter((f) => severities.has(f.severity)) : open;
  const final: Report = {
    ...report,
    findings: shown,
    suppressed: [...report.suppressed, ...suppressed],
    expiredIgnores: [...report.expiredIgnores, ...expired],
  };
  const tty = !flags.output && process.stdout.isTTY === true;
  const color = tty && !process.env.NO_COLOR;
  await writeResult(render(final, { color, width: tty ? process.stdout.columns : undefined }), flags.output);
  return exitCode && shown.some(isFailing) ? exitCode : 0;
}
