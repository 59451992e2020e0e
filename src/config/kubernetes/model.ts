import type { LineRange } from '../engine/check.js';
import type { Locate } from './locate.js';
import type { PodCheckContext } from './pod/check.js';
import type { PodTemplate } from './pod/model.js';
import type { Fields } from './values.js';

/** A parsed manifest file: every object of every document (List items included) and every pod they define. */
export interface KubernetesFile {
  objects: ManifestObject[];
  pods: PodTemplate[];
  /** What pod checks need of the rest of the file, and the Kubernetes version the scan asked for. */
  podContext: PodCheckContext;
}

/** One Kubernetes object as written in the file. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  /** The API group: '' for the core group (`apiVersion: v1`), `apps`, `rbac.authorization.k8s.io`... */
  group: string;
  /** metadata.name (or generateName); `(unnamed)` when there is neither. */
  name: string;
  /** metadata.namespace as written; absent means the namespace chosen when it is applied. */
  namespace?: string;
  fields: Fields;
  /** Lines of a field by its path from the object: `['spec', 'type']`. */
  locate: Locate;
  /** Lines of the whole object. */
  range: LineRange;
}
