import type { Transformer } from '../condition/ast.js';
import type { Extractor, FieldValue } from '../fields/types.js';

const APPLY: Record<Exclude<Transformer, 'len'>, (s: string) => string> = {
  tolower: (s) => s.toLowerCase(),
  toupper: (s) => s.toUpperCase(),
  b64: (s) => Buffer.from(s, 'base64').toString('utf8'),
  // Falco's basename(): "" when the path ends with a slash.
  basename: (s) => s.slice(s.lastIndexOf('/') + 1),
};

/** Applies a field transformer (`tolower(proc.name)`); a string is an error message. */
export function transform(fn: Transformer, inner: Extractor): Extractor | string {
  if (inner.many) return `${fn}() needs a single-valued field`;
  const get = inner.get;
  if (fn === 'len') {
    return {
      many: false,
      type: 'number',
      get: (e, m) => {
        const v = get(e, m);
        return typeof v === 'string' ? v.length : undefined;
      },
    };
  }
  if (inner.type !== 'string' && inner.type !== 'bytes') return `${fn}() needs a string field`;
  const apply = APPLY[fn];
  return {
    many: false,
    type: 'string',
    get: (e, m): FieldValue | undefined => {
      const v = get(e, m);
      return typeof v === 'string' ? apply(v) : undefined;
    },
  };
}
