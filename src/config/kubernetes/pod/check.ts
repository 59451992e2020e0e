import type { Check, CheckMeta, Hit } from '../../engine/check.js';
import type { Fields } from '../values.js';
import type { PodTemplate } from './model.js';

/** What a pod check may need beyond the pod itself. */
export interface PodCheckContext {
  /** N of the Kubernetes version 1.N whose Pod Security admission is reproduced (`--k8s-version`). */
  k8sMinor: number;
  /** The ServiceAccount object a pod runs as, when the scanned file defines it. */
  serviceAccount?(namespace: string | undefined, name: string): Fields | undefined;
}

/** A check over one pod: metadata plus a small function, independent of the file kind that holds the pod. */
export interface PodCheck extends CheckMeta {
  run(pod: PodTemplate, context: PodCheckContext): Iterable<Hit>;
}

/**
 * A file kind's check from a pod check: it runs on every pod `podsOf` finds in the model. This is
 * how Kubernetes manifests get the pod checks, and how another kind (Terraform's Kubernetes
 * provider resources) gets the same ones, with its own line locations.
 */
export function checkOnPods<M>(
  check: PodCheck,
  podsOf: (model: M) => Iterable<PodTemplate>,
  contextOf: (model: M) => PodCheckContext,
): Check<M> {
  const { run: _, ...meta } = check;
  return {
    ...meta,
    *run(model) {
      const context = contextOf(model);
      for (const pod of podsOf(model)) yield* check.run(pod, context);
    },
  };
}
