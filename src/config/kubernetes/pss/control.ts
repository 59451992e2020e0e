import type { CheckMeta } from '../../engine/check.js';
import type { FieldPath } from '../locate.js';
import type { PodContainer, PodTemplate } from '../pod/model.js';

export type PssLevel = 'baseline' | 'restricted';

/** One offending field (or a field that should be there and is not). */
export interface Violation {
  /** The offending field; for a missing one, the thing that lacks it (a container). */
  path: FieldPath;
  message: string;
  /** Something is missing at `path` rather than wrongly set there: report the line it starts on. */
  missing?: boolean;
  container?: PodContainer;
}

/** One behaviour of a control, from Kubernetes 1.`since` until the next entry. */
export interface ControlVersion {
  since: number;
  evaluate(pod: PodTemplate): Violation[];
}

/**
 * A Pod Security Standards control as the upstream admission (k8s.io/pod-security-admission)
 * defines it: its check id and level there, its behaviour per Kubernetes version, and the
 * baseline controls it replaces at the restricted level. The metadata makes it a Ringfence rule.
 */
export interface PssControl extends CheckMeta {
  /** The admission's check id: `privileged`, `capabilities_restricted`... */
  control: string;
  level: PssLevel;
  /** Ordered by `since`, strictly increasing. */
  versions: readonly ControlVersion[];
  /** Baseline controls this one takes the place of at the restricted level, while it applies. */
  overrides?: readonly string[];
}
