import type { PodCheck } from '../pod/check.js';
import { hitOnContainer } from '../pod/hits.js';
import { appContainers, containerLabel, type PodTemplate } from '../pod/model.js';
import { isBatch } from '../resources.js';
import { field, isSet } from '../values.js';

const PROBES_REF =
  'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/';

/** Pods meant to keep running: not Jobs, CronJobs or Pods that run to completion. */
function isLongRunning(pod: PodTemplate): boolean {
  const restart = field(pod.spec, 'restartPolicy');
  return !isBatch(pod.owner.kind) && (restart === undefined || restart === 'Always');
}

function probeCheck(
  probe: 'livenessProbe' | 'readinessProbe',
  meta: { id: string; title: string; description: string; remediation: string },
): PodCheck {
  return {
    ...meta,
    severity: 'LOW',
    references: [PROBES_REF],
    *run(pod) {
      if (!isLongRunning(pod)) return;
      for (const c of appContainers(pod)) {
        if (!isSet(field(c.fields, probe)))
          yield hitOnContainer(pod, c, `${containerLabel(c)} has no ${probe}`);
      }
    },
  };
}

export const livenessProbeMissing = probeCheck('livenessProbe', {
  id: 'RF-K8S-040',
  title: 'Liveness probe missing',
  description:
    'Without a liveness probe a container that hangs (deadlock, exhausted pool) keeps running and keeps failing requests until someone notices; the kubelet only restarts containers that exit.',
  remediation:
    'Add a livenessProbe (httpGet, tcpSocket, grpc or exec) that fails when the process can no longer make progress.',
});

export const readinessProbeMissing = probeCheck('readinessProbe', {
  id: 'RF-K8S-041',
  title: 'Readiness probe missing',
  description:
    'Without a readiness probe a container receives Service traffic as soon as it starts, before it can serve, and keeps receiving it while it cannot; rollouts cannot tell a broken version from a working one.',
  remediation: 'Add a readinessProbe that succeeds only when the container can serve requests.',
});
