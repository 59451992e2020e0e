import type { PodCheck } from '../pod/check.js';
import { hitAt } from '../pod/hits.js';
import { formatK8sVersion } from '../version.js';
import type { PssControl } from './control.js';
import { pssControls } from './controls/index.js';
import { controlAt, refusingLevels } from './evaluate.js';

/**
 * A control as a rule: one finding per offending field, naming the control, its level, the
 * Kubernetes version evaluated and the levels whose admission would refuse the pod for it
 * (`details.pss.refusedAt`). A control that does not exist yet at that version finds nothing.
 */
function pssCheck(control: PssControl): PodCheck {
  const { control: id, level, versions: _, overrides: __, ...meta } = control;
  return {
    ...meta,
    *run(pod, { k8sMinor }) {
      const behaviour = controlAt(control, k8sMinor);
      if (!behaviour) return;
      const pss = {
        control: id,
        level,
        version: formatK8sVersion(k8sMinor),
        refusedAt: refusingLevels(control, k8sMinor),
      };
      for (const v of behaviour.evaluate(pod)) {
        const hit = hitAt(pod, v.path, v.message, v.container);
        yield { ...hit, ...(v.missing ? { endLine: hit.line } : {}), details: { ...hit.details, pss } };
      }
    },
  };
}

/** The Pod Security Standards as pod checks, for any file kind that holds pods. */
export const pssChecks: readonly PodCheck[] = pssControls.map(pssCheck);
