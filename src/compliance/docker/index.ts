import { DockerClient } from '../../docker/client.js';
import type { Finding } from '../../types.js';
import { UserError } from '../../util/errors.js';
import type { CisCheck } from './check.js';
import { containerChecks } from './checks/containers.js';
import { daemonChecks } from './checks/daemon.js';
import { fileChecks } from './checks/files.js';
import { imageChecks } from './checks/images.js';
import { type DockerHostContext, gatherContext } from './context.js';

const cisDockerChecks: readonly CisCheck[] = [
  ...daemonChecks,
  ...fileChecks,
  ...imageChecks,
  ...containerChecks,
];

const BENCHMARK = 'CIS Docker Benchmark v1.6.0';

/** Runs `checks` over a gathered context; one Finding per result (PASS results included). */
export function evaluateChecks(
  ctx: DockerHostContext,
  checks: readonly CisCheck[] = cisDockerChecks,
): Finding[] {
  return checks.flatMap((check) =>
    check.evaluate(ctx).map(
      (r): Finding => ({
        kind: 'compliance',
        ruleId: `CIS-DOCKER-${check.id}`,
        severity: check.severity,
        title: check.title,
        target: r.subject,
        location: {},
        fix: check.remediation,
        references: check.references ?? [],
        status: r.status,
        description: check.description,
        details: {
          evidence: r.evidence,
          benchmark: BENCHMARK,
          cis: check.id,
          scored: check.scored,
          level: check.level,
        },
      }),
    ),
  );
}

export function selectChecks(ids: string[] | undefined): readonly CisCheck[] {
  if (!ids?.length) return cisDockerChecks;
  const unknown = ids.filter((id) => !cisDockerChecks.some((c) => c.id === id || c.id.startsWith(`${id}.`)));
  if (unknown.length) throw new UserError(`--checks: unknown CIS Docker check(s) ${unknown.join(', ')}`);
  return cisDockerChecks.filter((c) => ids.some((id) => c.id === id || c.id.startsWith(`${id}.`)));
}

interface BenchDockerOptions {
  socketPath?: string;
  hostRoot?: string;
  checks?: string[];
  allContainers?: boolean;
}

export async function benchDocker(
  opts: BenchDockerOptions = {},
): Promise<{ findings: Finding[]; warnings: string[] }> {
  const checks = selectChecks(opts.checks);
  const client = new DockerClient({ socketPath: opts.socketPath });
  const ctx = await gatherContext(client, {
    hostRoot: opts.hostRoot ?? '/',
    env: process.env,
    allContainers: opts.allContainers,
  });
  const warnings = [...ctx.warnings];
  if (ctx.containers.length === 0)
    warnings.push('no running containers: container runtime checks (section 5) had nothing to judge');
  if (ctx.selfContainerId)
    warnings.push(`skipped the container Ringfence runs in (${ctx.selfContainerId.slice(0, 12)})`);
  return { findings: evaluateChecks(ctx, checks), warnings };
}
