import { inputError } from '../../util/errors.js';
import { JsonLinesReplay, type ReplayStats } from '../sources/replay.js';
import { loadRuleFiles } from './engine.js';
import type { Priority } from './priority.js';
import type { Problem } from './problems.js';

/** One alert of `rules test`: which rule fired on which line's event. */
export interface ReplayAlert {
  line: number;
  time: string;
  rule: string;
  priority: Priority;
  output: string;
  process: string;
  container: string;
}

export interface ReplayCheckReport {
  rules: string[];
  events: string;
  replay: ReplayStats;
  alerts: number;
  /** Alerts per rule, in the order rules first fired. */
  byRule: Record<string, number>;
  /** The first `limit` alerts (every alert is counted in `alerts` and `byRule`). */
  listed: ReplayAlert[];
  warnings: Problem[];
}

/**
 * Runs rule files over a JSON-lines replay: which rules fire on which events. Rules that do not
 * compile make it a usage error (as Falco refuses to start), pointing at `rules validate`.
 */
export async function checkRulesOnReplay(
  rulePaths: string[],
  eventsPath: string,
  limit: number,
): Promise<ReplayCheckReport> {
  const loaded = await loadRuleFiles(rulePaths);
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0]!;
    throw inputError(
      first.file,
      `${errors.length} problem(s) stop the rules loading, first at line ${first.line}: ${first.message} (see ringfence rules validate)`,
    );
  }
  const replay = new JsonLinesReplay(eventsPath);
  const report: ReplayCheckReport = {
    rules: rulePaths,
    events: eventsPath,
    replay: replay.stats,
    alerts: 0,
    byRule: {},
    listed: [],
    warnings: loaded.problems,
  };
  for await (const batch of replay.batches()) {
    for (let i = 0; i < batch.events.length; i++) {
      const e = batch.events[i]!;
      for (const a of loaded.ruleset.evaluate(e)) {
        report.alerts++;
        report.byRule[a.rule] = (report.byRule[a.rule] ?? 0) + 1;
        if (report.listed.length >= limit) continue;
        report.listed.push({
          line: batch.lines[i]!,
          time: a.time,
          rule: a.rule,
          priority: a.priority,
          output: a.output,
          process: e.proc.name,
          container: e.container?.name ?? e.container?.id ?? 'host',
        });
      }
    }
  }
  if (replay.stats.lines > 0 && replay.stats.events === 0 && replay.stats.badLines > 0) {
    throw inputError(
      eventsPath,
      `no line is an event (first: line ${replay.stats.firstBad[0]?.line}: ${replay.stats.firstBad[0]?.reason})`,
    );
  }
  return report;
}

/** A table of alerts (line, priority, rule, process, container, output), then counts. */
export function formatReplayCheck(r: ReplayCheckReport): string {
  const rows = r.listed.map((a) => [String(a.line), a.priority, a.rule, a.process, a.container, a.output]);
  const header = ['LINE', 'PRIORITY', 'RULE', 'PROCESS', 'CONTAINER', 'OUTPUT'];
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]!) : c)).join('  ');
  const out: string[] = [];
  if (rows.length > 0) out.push(line(header), ...rows.map(line));
  if (r.alerts > r.listed.length) out.push(`… ${r.alerts - r.listed.length} more alert(s) not listed`);
  if (out.length > 0) out.push('');
  const s = r.replay;
  out.push(`${s.events} event(s) from ${s.lines} line(s), ${s.badLines} bad line(s); ${r.alerts} alert(s)`);
  for (const bad of s.firstBad) out.push(`  bad line ${bad.line}: ${bad.reason}`);
  for (const [rule, count] of Object.entries(r.byRule)) out.push(`  ${String(count).padStart(7)}  ${rule}`);
  return `${out.join('\n')}\n`;
}
