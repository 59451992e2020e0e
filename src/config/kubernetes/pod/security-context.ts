import type { FieldPath } from '../locate.js';
import { type Fields, field, isSet, recordAt, stringOf } from '../values.js';
import { containerLabel, type PodContainer, type PodTemplate, podContainers } from './model.js';

/** Security-context reads of a pod and its containers, with the meaning the admission gives each field. */

export function containerContext(c: PodContainer): Fields | undefined {
  return recordAt(c.fields, 'securityContext');
}

export function podContext(pod: PodTemplate): Fields | undefined {
  return recordAt(pod.spec, 'securityContext');
}

/** `[...container, 'securityContext', ...keys]` */
export function containerContextPath(c: PodContainer, ...keys: (string | number)[]): FieldPath {
  return [...c.path, 'securityContext', ...keys];
}

export function podContextPath(...keys: (string | number)[]): FieldPath {
  return ['spec', 'securityContext', ...keys];
}

/** spec.os.name is windows: from 1.25 some restricted controls leave such pods alone. */
export function isWindowsPod(pod: PodTemplate): boolean {
  return stringOf(field(recordAt(pod.spec, 'os'), 'name')) === 'windows';
}

/** hostUsers: false, a pod in its own user namespace: from 1.35 some controls relax for it. */
export function inUserNamespace(pod: PodTemplate): boolean {
  return field(pod.spec, 'hostUsers') === false;
}

/**
 * A security-context setting that may be given on the pod and on each container: `check` is
 * called for every one that is set, with where it is and who set it.
 */
export function eachSetting<T>(
  pod: PodTemplate,
  key: string,
  check: (value: unknown, path: FieldPath, who: string, container?: PodContainer) => T[],
): T[] {
  const found: T[] = [];
  const podValue = field(podContext(pod), key);
  if (isSet(podValue)) found.push(...check(podValue, podContextPath(key), 'the pod'));
  for (const c of podContainers(pod)) {
    const value = field(containerContext(c), key);
    if (isSet(value)) found.push(...check(value, containerContextPath(c, key), containerLabel(c), c));
  }
  return found;
}
