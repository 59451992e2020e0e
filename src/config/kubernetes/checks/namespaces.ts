import type { Check, LineRange, TreeCheck, TreeHit } from '../../engine/check.js';
import type { KubernetesFile, ManifestObject } from '../model.js';
import { isKind, podTemplatePath } from '../resources.js';
import { hitOnObject } from './object-hits.js';

export const defaultNamespace: Check<KubernetesFile> = {
  id: 'RF-K8S-027',
  title: 'Object in the default namespace',
  severity: 'LOW',
  description:
    'The default namespace is where everything lands that nobody placed: workloads there share it with whatever else was put there by mistake, and RBAC, quotas, NetworkPolicies and Pod Security labels end up written for all of it or none.',
  remediation:
    'Put the application in its own namespace (metadata.namespace, or the namespace your deployment tool sets).',
  references: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'],
  frameworks: { 'cis-kubernetes': '5.7.4' },
  *run(file) {
    for (const obj of file.objects) {
      if (obj.namespace === 'default')
        yield hitOnObject(obj, ['metadata', 'namespace'], 'is in the default namespace');
    }
  },
};

/** Where a namespace shows up in a file: a Namespace object, or the first workload placed in it. */
interface NamespaceUse {
  /** null: no namespace written, so the one chosen when the manifests are applied. */
  namespace: string | null;
  origin: 'Namespace' | 'workload';
  resource: string;
  at: LineRange;
  scope: LineRange;
}

/** What the NetworkPolicy check needs of one file. */
export interface NamespaceSummary {
  uses: NamespaceUse[];
  /** Namespaces with a NetworkPolicy in this file. */
  covered: (string | null)[];
  /** Workloads per namespace in this file. */
  workloads: [string | null, number][];
}

function use(obj: ManifestObject, namespace: string | null, origin: NamespaceUse['origin']): NamespaceUse {
  const field = origin === 'Namespace' || obj.namespace === undefined ? 'name' : 'namespace';
  const at = obj.locate(['metadata', field]) ?? obj.range;
  return { namespace, origin, resource: `${obj.kind}/${obj.name}`, at, scope: obj.range };
}

export function summarizeNamespaces(file: KubernetesFile): NamespaceSummary {
  const uses = new Map<string, NamespaceUse>();
  const covered = new Set<string | null>();
  const workloads = new Map<string | null, number>();
  for (const obj of file.objects) {
    if (isKind(obj, 'Namespace')) {
      const key = `Namespace\0${obj.name}`;
      if (!uses.has(key)) uses.set(key, use(obj, obj.name, 'Namespace'));
    } else if (isKind(obj, 'NetworkPolicy')) {
      covered.add(obj.namespace ?? null);
    } else if (podTemplatePath(obj)) {
      const namespace = obj.namespace ?? null;
      const key = `workload\0${namespace ?? ''}\0${namespace === null}`;
      if (!uses.has(key)) uses.set(key, use(obj, namespace, 'workload'));
      workloads.set(namespace, (workloads.get(namespace) ?? 0) + 1);
    }
  }
  return { uses: [...uses.values()], covered: [...covered], workloads: [...workloads] };
}

export const namespaceWithoutNetworkPolicy: TreeCheck<NamespaceSummary> = {
  id: 'RF-K8S-039',
  title: 'Namespace without a NetworkPolicy',
  severity: 'MEDIUM',
  description:
    'Without a NetworkPolicy in its namespace a pod accepts connections from every pod in the cluster and can connect anywhere: one compromised workload can reach all the others, and the cloud metadata service. Checked across every scanned file: a Namespace, or a namespace workloads are placed in, with no NetworkPolicy in it anywhere in the scan.',
  remediation:
    'Add a default-deny NetworkPolicy to the namespace (podSelector: {}, policyTypes: [Ingress, Egress]) and allow the traffic each workload needs.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/network-policies/',
    'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies',
  ],
  frameworks: { 'cis-kubernetes': '5.3.2', 'mitre-attack': 'T1210' },
  *run(files) {
    const covered = new Set(files.flatMap((f) => f.summary.covered));
    const first = new Map<string | null, { path: string; use: NamespaceUse }>();
    const workloads = new Map<string | null, { count: number; files: number }>();
    for (const { path, summary } of files) {
      for (const u of summary.uses) {
        const known = first.get(u.namespace);
        if (!known || (known.use.origin === 'workload' && u.origin === 'Namespace'))
          first.set(u.namespace, { path, use: u });
      }
      for (const [namespace, count] of summary.workloads) {
        const total = workloads.get(namespace) ?? { count: 0, files: 0 };
        workloads.set(namespace, { count: total.count + count, files: total.files + 1 });
      }
    }
    for (const [namespace, { path, use: u }] of first) {
      if (covered.has(namespace)) continue;
      const n = workloads.get(namespace);
      const placed = n
        ? ` (${n.count} workload${n.count === 1 ? '' : 's'} in ${n.files} file${n.files === 1 ? '' : 's'})`
        : '';
      const name =
        namespace === null
          ? 'the namespace the manifests are applied to (none is written)'
          : `namespace "${namespace}"`;
      const hit: TreeHit = {
        path,
        line: u.at.line,
        endLine: u.at.line,
        message: `${name} has no NetworkPolicy in the scanned files${placed}`,
        scope: u.scope,
        details: { resource: u.resource, ...(namespace !== null ? { namespace } : {}) },
      };
      yield hit;
    }
  },
};
