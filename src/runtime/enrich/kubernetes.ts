import type { Event } from '../../types.js';

const POD_NAME = 'io.kubernetes.pod.name';
const POD_NAMESPACE = 'io.kubernetes.pod.namespace';
const POD_UID = 'io.kubernetes.pod.uid';

/**
 * A pod's identity from the labels the kubelet puts on its containers; undefined for a
 * container no kubelet started.
 */
export function kubernetesFromLabels(labels: Record<string, string> | undefined): Event['k8s'] {
  if (!labels) return undefined;
  const pod = labels[POD_NAME];
  const ns = labels[POD_NAMESPACE];
  const podUid = labels[POD_UID];
  if (pod === undefined && ns === undefined && podUid === undefined) return undefined;
  return {
    ...(ns !== undefined ? { ns } : {}),
    ...(pod !== undefined ? { pod } : {}),
    ...(podUid !== undefined ? { podUid } : {}),
  };
}
