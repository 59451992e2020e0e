import { pino } from 'pino';

/** Logs go to stderr only; stdout belongs to results. */
export const log = pino(
  { level: process.env.RINGFENCE_LOG_LEVEL ?? 'warn', base: undefined, timestamp: false },
  pino.destination({ fd: 2, sync: true }),
);

export function setLogLevel(opts: { debug?: boolean; quiet?: boolean }): void {
  if (opts.debug) log.level = 'debug';
  else if (opts.quiet) log.level = 'error';
}
