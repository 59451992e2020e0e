import type { Command } from 'commander';
import { runAgent } from '../runtime/agent/agent.js';
import { PRIORITIES, parsePriority } from '../runtime/rules/priority.js';
import { ruleFilePaths } from '../runtime/rules/validate.js';
import { UserError } from '../util/errors.js';

interface AgentFlags {
  rules: string[];
  host?: boolean;
  output?: string;
  webhook?: string;
  server?: string;
  token?: string;
  rateLimit: string;
  dedupWindow: string;
  metricsPort?: string;
  minPriority?: string;
  dockerSocket?: string;
  containerdSocket?: string;
}

/** `30`, `30s`, `500ms`, `2m` → milliseconds (a bare number is seconds). */
function duration(flag: string, value: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)?$/.exec(value);
  if (!m) throw new UserError(`${flag}: '${value}' is not a duration such as 10, 10s, 500ms or 1m`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm'];
}

function number(flag: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || Number(value) > max)
    throw new UserError(`${flag}: '${value}' is not a number from 0 to ${max}`);
  return Number(value);
}

export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description(
      'watch what containers do through eBPF (bpftrace) and alert on rule matches; needs root. ' +
        "Prints a line with 'ready' once its probes are attached; stops on SIGINT or SIGTERM",
    )
    .option(
      '-r, --rules <files...>',
      "rule files in load order, later ones appending and overriding ('default': Ringfence's rules)",
      ['default'],
    )
    .option('--host', 'watch host processes too, not only containers')
    .option('-o, --output <file>', 'append alerts as JSON lines to this file (default: stdout)')
    .option('--webhook <url>', 'also POST alerts in batches to this URL')
    .option('--server <url>', "also send alerts to a Ringfence server's ingest API (needs --token)")
    .option('--token <token>', 'bearer token for --server (or RINGFENCE_TOKEN)')
    .option('--rate-limit <n>', 'alerts per rule per minute; 0 is no limit', '100')
    .option(
      '--dedup-window <seconds>',
      'the same alert again within this window is counted, not sent; 0 is off',
      '10',
    )
    .option('--metrics-port <port>', 'serve Prometheus metrics on 127.0.0.1:PORT/metrics')
    .option('--min-priority <priority>', `rules below this priority stay off (${PRIORITIES.join(', ')})`)
    .option('--docker-socket <path>', 'Docker Engine socket for container names and images')
    .option(
      '--containerd-socket <path>',
      'containerd socket for containers Docker does not run (default /run/containerd/containerd.sock when present; needs ctr)',
    )
    .action(async (flags: AgentFlags) => {
      const token = flags.token ?? process.env.RINGFENCE_TOKEN;
      if (flags.server !== undefined && !token)
        throw new UserError('--server needs --token (or RINGFENCE_TOKEN)');
      const minPriority = flags.minPriority === undefined ? undefined : parsePriority(flags.minPriority);
      if (flags.minPriority !== undefined && !minPriority)
        throw new UserError(`--min-priority: '${flags.minPriority}' is not one of ${PRIORITIES.join(', ')}`);
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await runAgent(
        {
          ruleFiles: ruleFilePaths(flags.rules),
          host: !!flags.host,
          sinks: {
            ...(flags.output !== undefined ? { output: flags.output } : {}),
            ...(flags.webhook !== undefined ? { webhook: flags.webhook } : {}),
            ...(flags.server !== undefined ? { server: { url: flags.server, token: token! } } : {}),
            rateLimitPerRule: number('--rate-limit', flags.rateLimit),
            dedupWindowMs: duration('--dedup-window', flags.dedupWindow),
          },
          ...(flags.metricsPort !== undefined
            ? { metricsPort: number('--metrics-port', flags.metricsPort, 65535) }
            : {}),
          ...(minPriority ? { minPriority } : {}),
          ...(flags.dockerSocket !== undefined ? { dockerSocket: flags.dockerSocket } : {}),
          ...(flags.containerdSocket !== undefined ? { containerdSocket: flags.containerdSocket } : {}),
        },
        controller.signal,
      );
    });
}
