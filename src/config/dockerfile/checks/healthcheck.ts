import type { Check } from '../../engine/check.js';
import type { Dockerfile, HealthcheckInstruction } from '../model.js';
import { effectiveInstructions, finalStage, hitAt } from '../queries.js';

export const noHealthcheck: Check<Dockerfile> = {
  id: 'RF-DF-002',
  title: 'No HEALTHCHECK in the final stage',
  severity: 'LOW',
  description:
    'Without a HEALTHCHECK, Docker and Swarm only know whether the main process is alive, not whether the service answers; a hung container keeps receiving traffic and is never restarted. HEALTHCHECK NONE switches off a check inherited from the base image.',
  remediation:
    'Add a HEALTHCHECK that exercises the service, e.g. `HEALTHCHECK --interval=30s --timeout=3s CMD ["/app/healthcheck"]`. (Kubernetes ignores it and uses probes instead.)',
  references: [
    'https://docs.docker.com/reference/dockerfile/#healthcheck',
    'https://www.cisecurity.org/benchmark/docker',
  ],
  frameworks: { 'cis-docker': '4.6' },
  *run(df) {
    const stage = finalStage(df);
    const last = effectiveInstructions(df, stage)
      .filter((i): i is HealthcheckInstruction => i.keyword === 'HEALTHCHECK')
      .at(-1);
    if (!last) yield hitAt(stage.from, 'the final stage has no HEALTHCHECK');
    else if (last.none) yield hitAt(last, 'HEALTHCHECK NONE disables the health check');
  },
};
