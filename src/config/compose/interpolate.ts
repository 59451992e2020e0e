import { type Expanded, evaluateReference, readVariableReference } from '../engine/variables.js';

/** Compose interpolation of one string: `$VAR`, `${VAR}`, `${VAR:-default}` (nestable), `$$` for a literal `$`. */
export function interpolate(text: string, vars: ReadonlyMap<string, string>): Expanded {
  let value = '';
  let unresolved = false;
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) {
      value += text.slice(i);
      break;
    }
    value += text.slice(i, dollar);
    if (text[dollar + 1] === '$') {
      value += '$';
      i = dollar + 2;
      continue;
    }
    const ref = readVariableReference(text, dollar);
    if (!ref) {
      value += '$';
      i = dollar + 1;
      continue;
    }
    const v = evaluateReference(ref, vars.get(ref.name), (word) => interpolate(word, vars));
    value += v.value;
    unresolved ||= v.unresolved;
    i = ref.end;
  }
  return { value, unresolved };
}

/** What interpolation changed, so checks can tell typed-in values from substituted ones. */
export interface InterpolationRecord {
  /** The string as written, for values that contained a variable reference. */
  rawOf(container: object, key: string | number): string | undefined;
  /** The value used a variable that neither .env nor a default set. */
  isUnresolved(container: object, key: string | number): boolean;
}

/** Interpolates every string value (not keys) of a parsed document, in place, each shared object once. */
export function interpolateTree(root: unknown, vars: ReadonlyMap<string, string>): InterpolationRecord {
  const raw = new WeakMap<object, Map<string | number, string>>();
  const unresolved = new WeakMap<object, Set<string | number>>();
  const seen = new WeakSet<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    const container = node as Record<string | number, unknown>;
    for (const key of Array.isArray(node) ? node.keys() : Object.keys(node)) {
      const value = container[key];
      if (typeof value === 'string') {
        if (!value.includes('$')) continue;
        const result = interpolate(value, vars);
        container[key] = result.value;
        if (readsVariable(value)) getOrCreate(raw, node, () => new Map()).set(key, value);
        if (result.unresolved) getOrCreate(unresolved, node, () => new Set()).add(key);
      } else if (value !== null && typeof value === 'object') {
        stack.push(value);
      }
    }
  }
  return {
    rawOf: (container, key) => raw.get(container)?.get(key),
    isUnresolved: (container, key) => unresolved.get(container)?.has(key) ?? false,
  };
}

function readsVariable(text: string): boolean {
  return /\$[{A-Za-z_]/.test(text.replace(/\$\$/g, ''));
}

function getOrCreate<K extends object, V>(map: WeakMap<K, V>, key: K, create: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = create();
    map.set(key, v);
  }
  return v;
}
