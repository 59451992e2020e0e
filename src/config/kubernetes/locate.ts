import type { LineRange } from '../engine/check.js';
import type { YamlLocations } from '../engine/yaml.js';
import { field } from './values.js';

/** Keys and list indexes from an object's root to one of its fields: `['spec', 'containers', 0, 'image']`. */
export type FieldPath = readonly (string | number)[];

/** Where something written at `path` is: from its key's line to the end of its value. */
export type Locate = (path: FieldPath) => LineRange | undefined;

/** Line ranges of the fields of `root`, a value parsed by engine/yaml. */
export function yamlLocator(locations: YamlLocations, root: object): Locate {
  return (path) => {
    if (path.length === 0) return locations.of(root);
    let holder: unknown = root;
    for (const key of path.slice(0, -1)) holder = step(holder, key);
    if (holder === null || typeof holder !== 'object') return undefined;
    const at = locations.entry(holder, path.at(-1)!);
    return at && { line: at.key.line, endLine: Math.max(at.key.line, at.value.endLine) };
  };
}

function step(holder: unknown, key: string | number): unknown {
  if (typeof key === 'number') return Array.isArray(holder) ? holder[key] : undefined;
  return field(holder, key);
}

/** The lines of `path`, or of the nearest enclosing field that has lines, or `fallback`. */
export function locateNearest(locate: Locate, path: FieldPath, fallback: LineRange): LineRange {
  for (let n = path.length; n > 0; n--) {
    const at = locate(path.slice(0, n));
    if (at) return at;
  }
  return fallback;
}
