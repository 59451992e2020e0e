import type { LineRange } from '../../engine/check.js';
import type { FieldPath, Locate } from '../locate.js';
import { type Fields, field, isRecord, listOf, stringOf } from '../values.js';

/**
 * One pod as a workload defines it (a Pod, or the template of a Deployment, CronJob...), in the
 * Kubernetes API's own shape (camelCase fields, as `kubectl get -o yaml` prints them), with
 * where each field is written. The pod checks run on this alone, so any file kind that can
 * describe a pod in this shape gets them: Kubernetes manifests, and Terraform's
 * kubernetes_deployment or kubernetes_pod once mapped to it.
 */
export interface PodTemplate {
  /** The object that defines the pod, as Kubernetes names it: `{ kind: 'Deployment', name: 'web', namespace: 'prod' }`. */
  owner: PodOwner;
  /** The pod's metadata (labels, annotations): a Pod's own, or the template's. */
  metadata: Fields;
  /** The pod spec: containers, volumes, securityContext... */
  spec: Fields;
  /** Lines of a field, by its path from the template: `['spec', 'containers', 0, 'image']`, `['metadata', 'annotations', key]`. */
  locate: Locate;
  /** Where to report something the pod spec lacks: the line that opens it. */
  anchor: LineRange;
  /** The whole defining object: a suppression comment above it covers every finding on the pod. */
  scope: LineRange;
}

export interface PodOwner {
  kind: string;
  name: string;
  namespace?: string;
}

export type ContainerGroup = 'initContainers' | 'containers' | 'ephemeralContainers';

/** One container of a pod and where it is. */
export interface PodContainer {
  /** The container's fields; `{}` for a list item that is not a mapping. */
  fields: Fields;
  name: string;
  group: ContainerGroup;
  /** `['spec', 'containers', 0]` */
  path: FieldPath;
}

/** Every container in the order the admission visits them: init containers, containers, ephemeral containers. */
export function podContainers(pod: PodTemplate): PodContainer[] {
  const out: PodContainer[] = [];
  for (const group of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    listOf(field(pod.spec, group)).forEach((item, i) => {
      const fields = isRecord(item) ? item : {};
      out.push({ fields, name: stringOf(fields.name) ?? '', group, path: ['spec', group, i] });
    });
  }
  return out;
}

/** The containers that run the application: not init or ephemeral ones. */
export function appContainers(pod: PodTemplate): PodContainer[] {
  return podContainers(pod).filter((c) => c.group === 'containers');
}

/** `Deployment "web"`, for messages. */
export function ownerLabel(owner: PodOwner): string {
  return `${owner.kind} "${owner.name}"`;
}

/** `container "app"`, `init container "setup"` */
export function containerLabel(c: PodContainer): string {
  const kind =
    c.group === 'initContainers'
      ? 'init container'
      : c.group === 'ephemeralContainers'
        ? 'ephemeral container'
        : 'container';
  return `${kind} "${c.name}"`;
}
