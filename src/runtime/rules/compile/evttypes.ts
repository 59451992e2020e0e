/**
 * The event types a condition can match: a finite set (`only`) or everything but a set
 * (`except`). It over-approximates: a condition is never true for a type outside its set.
 */
export type TypeSet = { kind: 'only' | 'except'; types: ReadonlySet<string> };

export const ANY_TYPE: TypeSet = { kind: 'except', types: new Set() };

export function only(types: Iterable<string>): TypeSet {
  return { kind: 'only', types: new Set(types) };
}

export function except(types: Iterable<string>): TypeSet {
  return { kind: 'except', types: new Set(types) };
}

export function complement(s: TypeSet): TypeSet {
  return { kind: s.kind === 'only' ? 'except' : 'only', types: s.types };
}

export function intersect(a: TypeSet, b: TypeSet): TypeSet {
  if (a.kind === 'only' && b.kind === 'only') return only([...a.types].filter((t) => b.types.has(t)));
  if (a.kind === 'only') return only([...a.types].filter((t) => !b.types.has(t)));
  if (b.kind === 'only') return only([...b.types].filter((t) => !a.types.has(t)));
  return except([...a.types, ...b.types]);
}

export function union(a: TypeSet, b: TypeSet): TypeSet {
  if (a.kind === 'only' && b.kind === 'only') return only([...a.types, ...b.types]);
  if (a.kind === 'except' && b.kind === 'except') return except([...a.types].filter((t) => b.types.has(t)));
  const [fin, cof] = a.kind === 'only' ? [a, b] : [b, a];
  return except([...cof.types].filter((t) => !fin.types.has(t)));
}

export function includesType(s: TypeSet, type: string): boolean {
  return s.kind === 'only' ? s.types.has(type) : !s.types.has(type);
}
