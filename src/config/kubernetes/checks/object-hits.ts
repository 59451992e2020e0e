import type { Hit } from '../../engine/check.js';
import { type FieldPath, locateNearest } from '../locate.js';
import type { ManifestObject } from '../model.js';

/** A hit on the field at `path` of an object (or the nearest enclosing field that has lines). */
export function hitOnObject(obj: ManifestObject, path: FieldPath, message: string): Hit {
  const at = locateNearest(obj.locate, path, obj.range);
  return {
    line: at.line,
    endLine: at.endLine,
    message: `${objectLabel(obj)}: ${message}`,
    scope: obj.range,
    details: {
      resource: `${obj.kind}/${obj.name}`,
      ...(obj.namespace !== undefined ? { namespace: obj.namespace } : {}),
    },
  };
}

/** `ClusterRole "admin"`, for messages. */
function objectLabel(obj: ManifestObject): string {
  return `${obj.kind} "${obj.name}"`;
}
