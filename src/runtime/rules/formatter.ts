import type { Event } from '../../types.js';
import { transform } from './compile/transform.js';
import { TRANSFORMERS, type Transformer } from './condition/ast.js';
import type { FieldRegistry } from './fields/registry.js';
import type { Extractor, FieldValue, Memo } from './fields/types.js';

/** What Falco prints for a field without a value. */
export const NA = '<NA>';

const NAME = /[a-zA-Z0-9_.]+/y;
const ARG = /\[([^\]]*)\]/y;
const TRANSFORMER = new RegExp(`(${TRANSFORMERS.join('|')})\\(`, 'y');

type Part = string | { token: string; extractor: Extractor | undefined };

/** A compiled output template: `%proc.name read %fd.name` (and `%proc.aname[2]`, `%tolower(proc.name)`). */
export interface OutputFormat {
  /** The fields the template names, as written. */
  readonly fields: readonly string[];
  /** Fields the engine does not know (rendered as `<NA>`). */
  readonly unknown: readonly string[];
  render(e: Event, m: Memo): string;
  /** The value of each named field, null for `<NA>` (Falco's output_fields). */
  values(e: Event, m: Memo): Record<string, FieldValue | null>;
}

export function compileOutput(template: string, registry: FieldRegistry): OutputFormat {
  const parts: Part[] = [];
  const unknown: string[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const pct = template.indexOf('%', i);
    if (pct < 0) {
      literal += template.slice(i);
      break;
    }
    literal += template.slice(i, pct);
    const field = readField(template, pct + 1, registry);
    if (!field) {
      literal += '%';
      i = pct + 1;
      continue;
    }
    if (literal) parts.push(literal);
    literal = '';
    if (!field.extractor) unknown.push(field.token);
    parts.push({ token: field.token, extractor: field.extractor });
    i = field.end;
  }
  if (literal) parts.push(literal);
  const fieldParts = parts.filter((p): p is Exclude<Part, string> => typeof p !== 'string');
  return {
    fields: [...new Set(fieldParts.map((p) => p.token))],
    unknown,
    render(e, m) {
      m.use(e);
      let out = '';
      for (const p of parts) {
        if (typeof p === 'string') out += p;
        else {
          const v = p.extractor?.get(e, m);
          out += v === undefined ? NA : String(v);
        }
      }
      return out;
    },
    values(e, m) {
      m.use(e);
      const out: Record<string, FieldValue | null> = {};
      for (const p of fieldParts) out[p.token] = p.extractor?.get(e, m) ?? null;
      return out;
    },
  };
}

/** Reads the field after a `%`: the longest known name (so `%fd.name.` ends at `fd.name`). */
function readField(
  template: string,
  at: number,
  registry: FieldRegistry,
): { token: string; extractor: Extractor | undefined; end: number } | undefined {
  TRANSFORMER.lastIndex = at;
  const t = TRANSFORMER.exec(template);
  if (t) {
    const close = template.indexOf(')', at);
    const inner = close < 0 ? undefined : readField(template, at + t[0].length, registry);
    if (!inner || inner.end !== close) return undefined;
    const x = inner.extractor && transform(t[1] as Transformer, inner.extractor);
    return {
      token: template.slice(at, close + 1),
      extractor: typeof x === 'string' ? undefined : x,
      end: close + 1,
    };
  }
  NAME.lastIndex = at;
  const m = NAME.exec(template);
  if (!m) return undefined;
  let name = m[0];
  while (name.includes('.') && !registry.knows(name))
    name = name.slice(0, Math.max(name.lastIndexOf('.'), 0));
  if (!registry.knows(name)) name = m[0].replace(/\.+$/, '');
  if (!name.includes('.')) return undefined;
  let end = at + name.length;
  let arg: string | undefined;
  ARG.lastIndex = end;
  const a = ARG.exec(template);
  if (a) {
    arg = a[1];
    end += a[0].length;
  }
  const x = registry.resolve(name, arg);
  return { token: template.slice(at, end), extractor: 'error' in x ? undefined : x, end };
}
