import type { Severity } from '../../types.js';
import type { ContainerFacts, DockerHostContext, ImageFacts } from './context.js';

/**
 * A CIS Docker Benchmark check is data plus one pure function over the gathered host context.
 * Adding a check means adding an object to one of the lists in checks/; nothing else changes.
 */
export type CheckStatus = 'PASS' | 'FAIL' | 'WARN' | 'INFO';

export interface CheckResult {
  status: CheckStatus;
  /** What was judged: `docker daemon`, a host file, `image NAME` or `container NAME`. */
  subject: string;
  evidence: string;
}

export interface CisCheck {
  /** The CIS Docker Benchmark number, e.g. "5.4". */
  id: string;
  title: string;
  severity: Severity;
  /** Whether the benchmark scores it; unscored checks are advice. */
  scored: boolean;
  level: 1 | 2;
  description: string;
  remediation: string;
  references?: string[];
  evaluate(ctx: DockerHostContext): CheckResult[];
}

export const DAEMON = 'docker daemon';

export function result(status: CheckStatus, subject: string, evidence: string): CheckResult {
  return { status, subject, evidence };
}

function containerSubject(c: ContainerFacts): string {
  return `container ${c.name} (${c.inspect.Id.slice(0, 12)})`;
}

/** One result per running container (none when no container runs; the run says so once). */
export function eachContainer(
  ctx: DockerHostContext,
  judge: (c: ContainerFacts) => [CheckStatus, string],
): CheckResult[] {
  return ctx.containers.map((c) => {
    const [status, evidence] = judge(c);
    return result(status, containerSubject(c), evidence);
  });
}

export function eachImage(
  ctx: DockerHostContext,
  judge: (i: ImageFacts) => [CheckStatus, string],
): CheckResult[] {
  return ctx.images.map((i) => {
    const [status, evidence] = judge(i);
    return result(status, `image ${i.name}`, evidence);
  });
}
