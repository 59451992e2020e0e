import { pino } from 'pino';

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};

/** One readable line per record (`ringfence: warning: ...`); RINGFENCE_LOG_FORMAT=json keeps pino's JSON. */
const humanLines = {
  write(line: string): void {
    try {
      const rec = JSON.parse(line) as { level: number; msg?: string } & Record<string, unknown>;
      const { level, msg, ...rest } = rec;
      const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
      process.stderr.write(`ringfence: ${LEVEL_NAMES[level] ?? level}: ${msg ?? ''}${extra}\n`);
    } catch {
      process.stderr.write(line);
    }
  },
};

/** Logs go to stderr only; stdout belongs to results. */
export const log = pino(
  { level: process.env.RINGFENCE_LOG_LEVEL ?? 'warn', base: undefined, timestamp: false },
  process.env.RINGFENCE_LOG_FORMAT === 'json' ? pino.destination({ fd: 2, sync: true }) : humanLines,
);

export function setLogLevel(opts: { debug?: boolean; quiet?: boolean }): void {
  if (opts.debug) log.level = 'debug';
  else if (opts.quiet) log.level = 'error';
}
