import type { FieldPath } from './locate.js';
import type { ManifestObject } from './model.js';

/** The API groups each kind we check belongs to, so a custom resource that reuses a name (Knative's Service) is not taken for it. */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  Pod: [''],
  PodTemplate: [''],
  ReplicationController: [''],
  Service: [''],
  Secret: [''],
  Namespace: [''],
  ServiceAccount: [''],
  Deployment: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  DaemonSet: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  Job: ['batch'],
  CronJob: ['batch'],
  Role: ['rbac.authorization.k8s.io'],
  ClusterRole: ['rbac.authorization.k8s.io'],
  RoleBinding: ['rbac.authorization.k8s.io'],
  ClusterRoleBinding: ['rbac.authorization.k8s.io'],
  NetworkPolicy: ['networking.k8s.io', 'extensions'],
};

export function isKind(obj: ManifestObject, ...kinds: string[]): boolean {
  return kinds.includes(obj.kind) && (GROUPS[obj.kind]?.includes(obj.group) ?? false);
}

/** Where each workload kind keeps its pod template (metadata + spec); a Pod is its own. */
const POD_TEMPLATE_PATHS: Readonly<Record<string, FieldPath>> = {
  Pod: [],
  PodTemplate: ['template'],
  ReplicationController: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export function podTemplatePath(obj: ManifestObject): FieldPath | undefined {
  return Object.hasOwn(POD_TEMPLATE_PATHS, obj.kind) && isKind(obj, obj.kind)
    ? POD_TEMPLATE_PATHS[obj.kind]
    : undefined;
}

/** Kinds whose pods run to completion: probes mean nothing there. */
export function isBatch(kind: string): boolean {
  return kind === 'Job' || kind === 'CronJob';
}
