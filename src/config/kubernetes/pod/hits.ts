import type { Hit } from '../../engine/check.js';
import { type FieldPath, locateNearest } from '../locate.js';
import { ownerLabel, type PodContainer, type PodTemplate } from './model.js';

/**
 * Hits on a pod; every message starts with the object that defines the pod (`Deployment "web":`)
 * and the details name it, its namespace and the container.
 */

/** A hit on the field at `path` of the pod (or the nearest enclosing field that has lines). */
export function hitAt(pod: PodTemplate, path: FieldPath, message: string, container?: PodContainer): Hit {
  const at = locateNearest(pod.locate, path, pod.anchor);
  return podHit(pod, at.line, at.endLine, message, container);
}

/** A hit for something a container lacks: on the line where the container starts. */
export function hitOnContainer(pod: PodTemplate, container: PodContainer, message: string): Hit {
  const { line } = locateNearest(pod.locate, container.path, pod.anchor);
  return podHit(pod, line, line, message, container);
}

/** A hit for something the pod spec lacks: on the line that opens it. */
export function hitOnPod(pod: PodTemplate, message: string): Hit {
  return podHit(pod, pod.anchor.line, pod.anchor.line, message);
}

function podHit(
  pod: PodTemplate,
  line: number,
  endLine: number,
  message: string,
  container?: PodContainer,
): Hit {
  const { kind, name, namespace } = pod.owner;
  return {
    line,
    endLine,
    message: `${ownerLabel(pod.owner)}: ${message}`,
    scope: pod.scope,
    details: {
      resource: `${kind}/${name}`,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(container ? { container: container.name } : {}),
    },
  };
}
