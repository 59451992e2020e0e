import type { Severity } from '../../../types.js';
import type { PodCheck } from '../pod/check.js';
import { hitAt, hitOnContainer } from '../pod/hits.js';
import { containerLabel, podContainers } from '../pod/model.js';
import { field, isSet, recordAt } from '../values.js';

const RESOURCES_REF = 'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/';

/** Ephemeral containers cannot have resources; every other container should say what it may use. */
function resourceCheck(
  setting: 'limits' | 'requests',
  meta: { id: string; title: string; severity: Severity; description: string; remediation: string },
): PodCheck {
  return {
    ...meta,
    references: [RESOURCES_REF],
    frameworks: { 'mitre-attack': 'T1499' },
    *run(pod) {
      for (const c of podContainers(pod)) {
        if (c.group === 'ephemeralContainers') continue;
        const resources = recordAt(c.fields, 'resources');
        const values = recordAt(resources, setting);
        const missing = ['cpu', 'memory'].filter((r) => !isSet(field(values, r)));
        if (missing.length === 0) continue;
        const message = `${containerLabel(c)} sets no ${missing.join(' or ')} ${setting === 'limits' ? 'limit' : 'request'}`;
        if (values) yield hitAt(pod, [...c.path, 'resources', setting], message, c);
        else if (resources) yield hitAt(pod, [...c.path, 'resources'], message, c);
        else yield hitOnContainer(pod, c, message);
      }
    },
  };
}

export const limitsMissing = resourceCheck('limits', {
  id: 'RF-K8S-020',
  title: 'CPU or memory limit not set',
  severity: 'MEDIUM',
  description:
    'A container without a memory limit can take all the memory of its node, getting other pods evicted or OOM-killed; without a CPU limit it can starve them. A compromised container (a cryptominer) uses exactly that.',
  remediation:
    'Set resources.limits.memory and resources.limits.cpu on every container, or give the namespace a LimitRange with defaults.',
});

export const requestsMissing = resourceCheck('requests', {
  id: 'RF-K8S-021',
  title: 'CPU or memory request not set',
  severity: 'LOW',
  description:
    'Without requests the scheduler places the pod as if it needed nothing, overcommitting nodes, and the pod is the first to be evicted under pressure (BestEffort class).',
  remediation:
    'Set resources.requests.cpu and resources.requests.memory to what the container normally uses.',
});
