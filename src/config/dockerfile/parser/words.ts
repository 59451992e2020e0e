import { type Expanded, evaluateReference, readVariableReference } from '../../engine/variables.js';

/**
 * Dockerfile word processing, as BuildKit does it for FROM, COPY, ENV, ARG, LABEL, USER,
 * WORKDIR, EXPOSE...: whitespace-separated words, single and double quotes, the escape
 * character of the file (`\` or `` ` ``), and `$VAR` / `${VAR:-default}` expansion.
 */

export type Escape = '\\' | '`';

/** A variable's value, or undefined when it is not known here (unset, or from the base image). */
export type Lookup = (name: string) => string | undefined;

interface RawWord {
  text: string;
  start: number;
  end: number;
}

/** Splits on unquoted whitespace; words keep their quotes and escapes. */
export function splitWords(text: string, esc: Escape): RawWord[] {
  const words: RawWord[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpace(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let quote: string | undefined;
    while (i < text.length) {
      const c = text[i]!;
      if (c === esc && quote !== "'") i += 2;
      else if (quote) {
        if (c === quote) quote = undefined;
        i++;
      } else if (c === '"' || c === "'") {
        quote = c;
        i++;
      } else if (isSpace(c)) break;
      else i++;
    }
    i = Math.min(i, text.length);
    words.push({ text: text.slice(start, i), start, end: i });
  }
  return words;
}

/** Removes quotes, applies escapes and expands variables (when `lookup` is given). */
export function processWord(raw: string, esc: Escape, lookup?: Lookup): Expanded {
  let value = '';
  let unresolved = false;
  let i = 0;
  const dollar = (): void => {
    const ref = lookup ? readVariableReference(raw, i) : undefined;
    if (!ref || !lookup) {
      value += '$';
      i++;
      return;
    }
    const v = evaluateReference(ref, lookup(ref.name), (word) => processWord(word, esc, lookup));
    value += v.value;
    unresolved ||= v.unresolved;
    i = ref.end;
  };
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === esc) {
      if (i + 1 < raw.length) value += raw[i + 1];
      else value += c;
      i += 2;
    } else if (c === "'") {
      const close = raw.indexOf("'", i + 1);
      const end = close === -1 ? raw.length : close;
      value += raw.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < raw.length && raw[i] !== '"') {
        const d = raw[i]!;
        if (d === esc && i + 1 < raw.length) {
          const next = raw[i + 1]!;
          value += next === '"' || next === '$' || next === esc ? next : d + next;
          i += 2;
        } else if (d === '$') dollar();
        else {
          value += d;
          i++;
        }
      }
      i++;
    } else if (c === '$') dollar();
    else {
      value += c;
      i++;
    }
  }
  return { value, unresolved };
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}
