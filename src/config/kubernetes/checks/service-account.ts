import type { PodCheck } from '../pod/check.js';
import { hitAt, hitOnPod } from '../pod/hits.js';
import { field, isSet, stringOf } from '../values.js';

/**
 * The pod's own automountServiceAccountToken wins; when it says nothing, the ServiceAccount's
 * decides (when this file defines it), and otherwise the token is mounted.
 */
export const serviceAccountTokenMounted: PodCheck = {
  id: 'RF-K8S-025',
  title: 'Service account token mounted',
  severity: 'MEDIUM',
  description:
    'Unless automountServiceAccountToken is false, every container gets a token for the Kubernetes API at /var/run/secrets/kubernetes.io/serviceaccount; whoever compromises the application can use it with all the permissions RBAC grants its service account.',
  remediation:
    'Set automountServiceAccountToken: false in the pod spec (or on its ServiceAccount) unless the application talks to the Kubernetes API; if it does, give it its own service account with only what it needs.',
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/'],
  frameworks: { 'cis-kubernetes': '5.1.6', 'mitre-attack': 'T1528' },
  *run(pod, context) {
    const own = field(pod.spec, 'automountServiceAccountToken');
    if (own === false) return;
    if (isSet(own)) {
      yield hitAt(
        pod,
        ['spec', 'automountServiceAccountToken'],
        `the pod sets automountServiceAccountToken: ${String(own)}`,
      );
      return;
    }
    const name =
      stringOf(field(pod.spec, 'serviceAccountName')) ??
      stringOf(field(pod.spec, 'serviceAccount')) ??
      'default';
    const account = context.serviceAccount?.(pod.owner.namespace, name);
    const fromAccount = field(account, 'automountServiceAccountToken');
    if (fromAccount === false) return;
    yield hitOnPod(
      pod,
      account
        ? `neither the pod nor its ServiceAccount "${name}" sets automountServiceAccountToken: false`
        : `the pod (service account "${name}") does not set automountServiceAccountToken: false`,
    );
  },
};
