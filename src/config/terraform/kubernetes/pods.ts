import type { PodCheckContext } from '../../kubernetes/pod/check.js';
import type { PodTemplate } from '../../kubernetes/pod/model.js';
import type { Fields } from '../../kubernetes/values.js';
import type { Resource } from '../body.js';
import type { Evaluator } from '../eval/evaluator.js';
import type { Body } from '../hcl/ast.js';
import { ApiShape } from './api-shape.js';

/**
 * Pods defined by the Kubernetes provider's resources (`kubernetes_deployment`, its `_v1`
 * twin...), for the same pod checks manifests get. The path to the pod template follows the
 * API: `spec { template { metadata, spec } }`, CronJobs one level deeper.
 */

const WORKLOADS: Readonly<Record<string, { kind: string; template: readonly string[] }>> = {
  kubernetes_pod: { kind: 'Pod', template: [] },
  kubernetes_deployment: { kind: 'Deployment', template: ['spec', 'template'] },
  kubernetes_daemonset: { kind: 'DaemonSet', template: ['spec', 'template'] },
  kubernetes_daemon_set: { kind: 'DaemonSet', template: ['spec', 'template'] },
  kubernetes_stateful_set: { kind: 'StatefulSet', template: ['spec', 'template'] },
  kubernetes_replication_controller: { kind: 'ReplicationController', template: ['spec', 'template'] },
  kubernetes_job: { kind: 'Job', template: ['spec', 'template'] },
  kubernetes_cron_job: { kind: 'CronJob', template: ['spec', 'job_template', 'spec', 'template'] },
};

function workload(type: string) {
  return WORKLOADS[type.replace(/_v\d+$/, '')];
}

export function kubernetesPods(resources: readonly Resource[], evaluator: Evaluator): PodTemplate[] {
  const shape = new ApiShape(evaluator);
  return resources.flatMap((r) => {
    const w = r.mode === 'managed' ? workload(r.type) : undefined;
    if (!w) return [];
    let body: Body | undefined = r.block.body;
    for (const type of w.template) body = body?.blocks.find((b) => b.type === type)?.body;
    const metadata = body && shape.child(body, 'metadata');
    const spec = body && shape.child(body, 'spec');
    if (!spec) return [];
    const own = shape.child(r.block.body, 'metadata')?.value ?? {};
    const name = typeof own.name === 'string' ? own.name : r.name;
    const root = { metadata: metadata?.value ?? {}, spec: spec.value };
    const pod: PodTemplate = {
      owner: {
        kind: w.kind,
        name,
        ...(typeof own.namespace === 'string' ? { namespace: own.namespace } : {}),
      },
      metadata: root.metadata,
      spec: root.spec,
      locate: shape.locator(root),
      anchor: { line: spec.range.line, endLine: spec.range.line },
      scope: r.block.range,
    };
    return [pod];
  });
}

/** The ServiceAccounts the file defines (`kubernetes_service_account`), for pods that run as them. */
export function kubernetesPodContext(
  resources: readonly Resource[],
  evaluator: Evaluator,
  k8sMinor: number,
): PodCheckContext {
  const shape = new ApiShape(evaluator);
  const accounts = new Map<string, Fields>();
  for (const r of resources) {
    if (r.mode !== 'managed' || r.type.replace(/_v\d+$/, '') !== 'kubernetes_service_account') continue;
    const account = shape.object(r.block.body);
    const metadata = (account.metadata ?? {}) as Record<string, unknown>;
    if (typeof metadata.name === 'string')
      accounts.set(
        `${typeof metadata.namespace === 'string' ? metadata.namespace : ''}/${metadata.name}`,
        account,
      );
  }
  return { k8sMinor, serviceAccount: (namespace, name) => accounts.get(`${namespace ?? ''}/${name}`) };
}
