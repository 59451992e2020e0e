import type { Hit } from '../engine/check.js';
import type { ComposeService } from './model.js';
import type { Path } from './service-fields.js';

/** A hit on the setting at `path` of a service (falls back to the service's name line). */
export function hitAtSetting(service: ComposeService, path: Path, message: string): Hit {
  const at = service.locate(path);
  const scope = { line: service.line, endLine: service.endLine };
  if (!at) return hitOnService(service, message);
  return {
    line: at.key.line,
    endLine: Math.max(at.key.line, at.value.endLine),
    message,
    scope,
    details: { service: service.name },
  };
}

/** A hit for something the service lacks: on the line naming the service. */
export function hitOnService(service: ComposeService, message: string): Hit {
  return {
    line: service.line,
    endLine: service.line,
    message,
    scope: { line: service.line, endLine: service.endLine },
    details: { service: service.name },
  };
}
