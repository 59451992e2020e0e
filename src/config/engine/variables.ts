/**
 * `$NAME` and `${NAME<op>word}` references, the part that Dockerfile expansion and Compose
 * interpolation share. Each caller handles its own quoting and escapes, and expands `word`
 * recursively in its own way.
 */

type VariableOperator = ':-' | '-' | ':+' | '+' | ':?' | '?';

interface VariableReference {
  name: string;
  operator?: VariableOperator;
  /** The raw text after the operator, not yet expanded. */
  word?: string;
  /** Index just past the reference. */
  end: number;
  /** A `${...}` form we do not evaluate (`${#x}`, `${x%pat}`, `${x/a/b}`): its value is unknown. */
  unsupported?: boolean;
}

/** A value after expansion; `unresolved` when it depends on a variable whose value is not known here. */
export interface Expanded {
  value: string;
  unresolved: boolean;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const OPERATORS: readonly VariableOperator[] = [':-', ':+', ':?', '-', '+', '?'];

/** Reads a reference at `text[start] === '$'`; undefined when the `$` starts none (a literal `$`). */
export function readVariableReference(text: string, start: number): VariableReference | undefined {
  if (text[start + 1] !== '{') {
    NAME.lastIndex = start + 1;
    const m = NAME.exec(text);
    return m ? { name: m[0], end: NAME.lastIndex } : undefined;
  }
  const close = matchingBrace(text, start + 2);
  if (close === -1) return undefined;
  const inner = text.slice(start + 2, close);
  NAME.lastIndex = 0;
  const m = NAME.exec(inner);
  if (!m) return { name: '', end: close + 1, unsupported: true };
  const rest = inner.slice(m[0].length);
  if (rest === '') return { name: m[0], end: close + 1 };
  const operator = OPERATORS.find((op) => rest.startsWith(op));
  if (!operator) return { name: m[0], end: close + 1, unsupported: true };
  return { name: m[0], operator, word: rest.slice(operator.length), end: close + 1 };
}

/** Index of the `}` closing a `${` whose content starts at `from`, counting nested `${`; -1 if none. */
function matchingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * The value of a reference, given the variable's value (undefined: not known here) and a way to
 * expand the operator's word. Follows the POSIX shell rules that Dockerfile and Compose share.
 */
export function evaluateReference(
  ref: VariableReference,
  value: string | undefined,
  expandWord: (word: string) => Expanded,
): Expanded {
  if (ref.unsupported) return { value: '', unresolved: true };
  const known = value !== undefined;
  const nonEmpty = known && value !== '';
  switch (ref.operator) {
    case undefined:
      return known ? { value, unresolved: false } : { value: '', unresolved: true };
    case ':-':
      return nonEmpty ? { value, unresolved: false } : expandWord(ref.word ?? '');
    case '-':
      return known ? { value, unresolved: false } : expandWord(ref.word ?? '');
    case ':+':
      return nonEmpty ? expandWord(ref.word ?? '') : { value: '', unresolved: !known };
    case '+':
      return known ? expandWord(ref.word ?? '') : { value: '', unresolved: true };
    case ':?':
      return nonEmpty ? { value, unresolved: false } : { value: '', unresolved: true };
    case '?':
      return known ? { value, unresolved: false } : { value: '', unresolved: true };
  }
}
