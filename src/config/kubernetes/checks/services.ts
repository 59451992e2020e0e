import type { Check } from '../../engine/check.js';
import type { KubernetesFile, ManifestObject } from '../model.js';
import { isKind } from '../resources.js';
import { type Fields, field, listOf, recordAt, stringOf } from '../values.js';
import { hitOnObject } from './object-hits.js';

const SERVICE_REF = 'https://kubernetes.io/docs/concepts/services-networking/service/';

function* servicesOfType(
  file: KubernetesFile,
  types: string[],
): Generator<{ service: ManifestObject; type: string }> {
  for (const service of file.objects) {
    const type = stringOf(field(recordAt(service.fields, 'spec'), 'type'));
    if (type !== undefined && types.includes(type) && isKind(service, 'Service')) yield { service, type };
  }
}

export const exposedService: Check<KubernetesFile> = {
  id: 'RF-K8S-037',
  title: 'Service exposed outside the cluster',
  severity: 'LOW',
  description:
    'A NodePort Service opens its port on every node, a LoadBalancer Service asks the cloud for an address reachable from outside: either way the workload is reachable past the cluster network and its NetworkPolicies, usually from the internet.',
  remediation:
    'Use a ClusterIP Service behind an Ingress or Gateway that terminates TLS and authenticates; if the Service must be exposed, restrict who can reach it (loadBalancerSourceRanges, firewall rules).',
  references: [`${SERVICE_REF}#publishing-services-service-types`],
  frameworks: { 'mitre-attack': 'T1133' },
  *run(file) {
    for (const { service, type } of servicesOfType(file, ['NodePort', 'LoadBalancer'])) {
      yield hitOnObject(service, ['spec', 'type'], `is of type ${type}`);
    }
  },
};

/** Annotations that make the cloud's load balancer internal (reachable only inside the network). */
const INTERNAL_LOAD_BALANCER: Readonly<Record<string, RegExp>> = {
  'networking.gke.io/load-balancer-type': /^internal$/i,
  'cloud.google.com/load-balancer-type': /^internal$/i,
  'service.beta.kubernetes.io/aws-load-balancer-internal': /^(true|0\.0\.0\.0\/0)$/i,
  'service.beta.kubernetes.io/aws-load-balancer-scheme': /^internal$/i,
  'service.beta.kubernetes.io/azure-load-balancer-internal': /^true$/i,
  'service.beta.kubernetes.io/oci-load-balancer-internal': /^true$/i,
  'service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type': /^private$/i,
};
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';
const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);

function annotation(annotations: Fields | undefined, key: string): string | undefined {
  return stringOf(field(annotations, key));
}

export const openLoadBalancer: Check<KubernetesFile> = {
  id: 'RF-K8S-038',
  title: 'LoadBalancer open to any address',
  severity: 'MEDIUM',
  description:
    'A LoadBalancer Service without loadBalancerSourceRanges (or with 0.0.0.0/0 in them) accepts connections from any address the cloud load balancer is reachable from, usually the whole internet.',
  remediation:
    'Set spec.loadBalancerSourceRanges to the networks that need access, or make the load balancer internal with your cloud provider annotation.',
  references: [
    `${SERVICE_REF}#loadbalancer`,
    'https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/',
  ],
  frameworks: { 'mitre-attack': 'T1133' },
  *run(file) {
    for (const { service } of servicesOfType(file, ['LoadBalancer'])) {
      const annotations = recordAt(service.fields, 'metadata', 'annotations');
      const internal = Object.entries(INTERNAL_LOAD_BALANCER).some(([key, value]) =>
        value.test(annotation(annotations, key) ?? ''),
      );
      if (internal) continue;
      const ranges = listOf(field(recordAt(service.fields, 'spec'), 'loadBalancerSourceRanges'));
      const annotated =
        annotation(annotations, SOURCE_RANGES_ANNOTATION)
          ?.split(',')
          .map((r) => r.trim()) ?? [];
      const open = ranges.findIndex((r) => typeof r === 'string' && ANYWHERE.has(r.trim()));
      if (open !== -1) {
        yield hitOnObject(
          service,
          ['spec', 'loadBalancerSourceRanges', open],
          `allows ${String(ranges[open])}`,
        );
      } else if (ranges.length === 0 && annotated.some((r) => ANYWHERE.has(r))) {
        yield hitOnObject(
          service,
          ['metadata', 'annotations', SOURCE_RANGES_ANNOTATION],
          'allows any address',
        );
      } else if (ranges.length === 0 && annotated.length === 0) {
        yield hitOnObject(service, ['spec', 'type'], 'is a LoadBalancer with no loadBalancerSourceRanges');
      }
    }
  },
};
