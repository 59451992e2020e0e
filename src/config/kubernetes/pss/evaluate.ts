import type { PodTemplate } from '../pod/model.js';
import type { ControlVersion, PssControl, PssLevel, Violation } from './control.js';
import { NEWEST_POLICY_MINOR, pssControls } from './controls/index.js';

/**
 * The composition of the upstream admission: at a level and a Kubernetes version it runs the
 * version of each control that applies then; the restricted level runs its own controls plus
 * every baseline control that no applicable restricted control overrides.
 */

/** The control's behaviour at Kubernetes 1.`minor`, if it exists yet. */
export function controlAt(control: PssControl, minor: number): ControlVersion | undefined {
  const effective = Math.min(minor, NEWEST_POLICY_MINOR);
  return control.versions.findLast((v) => v.since <= effective);
}

function overriddenAt(minor: number): Set<string> {
  return new Set(
    pssControls
      .filter((c) => c.level === 'restricted' && controlAt(c, minor))
      .flatMap((c) => c.overrides ?? []),
  );
}

const composed = new Map<string, readonly PssControl[]>();

/** The controls the admission runs for `level` at 1.`minor` (composed once per level and version). */
export function controlsFor(level: PssLevel, minor: number): readonly PssControl[] {
  const key = `${level}/${Math.min(minor, NEWEST_POLICY_MINOR)}`;
  let controls = composed.get(key);
  if (!controls) {
    const overridden = level === 'restricted' ? overriddenAt(minor) : new Set<string>();
    controls = pssControls.filter(
      (c) =>
        controlAt(c, minor) && (level === 'restricted' ? !overridden.has(c.control) : c.level === 'baseline'),
    );
    composed.set(key, controls);
  }
  return controls;
}

/** The levels at which a violation of `control` makes the admission refuse the pod at 1.`minor`. */
export function refusingLevels(control: PssControl, minor: number): PssLevel[] {
  return (['baseline', 'restricted'] as const).filter((level) => controlsFor(level, minor).includes(control));
}

interface ControlResult {
  control: PssControl;
  violations: Violation[];
}

/** What the admission refuses the pod for at `level` and 1.`minor`: each failing control with its violations. */
export function evaluatePod(pod: PodTemplate, level: PssLevel, minor: number): ControlResult[] {
  const results: ControlResult[] = [];
  for (const control of controlsFor(level, minor)) {
    const violations = controlAt(control, minor)!.evaluate(pod);
    if (violations.length > 0) results.push({ control, violations });
  }
  return results;
}
