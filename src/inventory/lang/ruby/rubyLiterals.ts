/**
 * The string literals of a Ruby right-hand side as RubyGems writes gemspecs: "x", 'x',
 * %q{x} / %Q(x) / %(x) with any bracket pair or delimiter, %w[a b] word lists, inside
 * optional [ ] with commas, each optionally `.freeze`, then an optional comment. Anything
 * else (a constant, a method call) means the value is computed, never evaluated here:
 * the result is undefined.
 */
export function rubyLiterals(value: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    const c = value[i]!;
    if (/[\s,[\]]/.test(c)) i++;
    else if (value.startsWith('.freeze', i)) i += '.freeze'.length;
    else if (c === '#') break;
    else if (c === '"' || c === "'") {
      const end = closing(value, i + 1, c);
      if (end < 0) return undefined;
      out.push(unescapeRuby(value.slice(i + 1, end)));
      i = end + 1;
    } else if (c === '%') {
      const m = /^%([qQw]?)(.)/.exec(value.slice(i, i + 3));
      if (!m || /[\w\s]/.test(m[2]!)) return undefined;
      const open = m[2]!;
      const start = i + m[0].length;
      const end = closing(value, start, PAIRS[open] ?? open);
      if (end < 0) return undefined;
      const body = unescapeRuby(value.slice(start, end));
      if (m[1] !== 'w') out.push(body);
      else for (const word of body.split(/\s+/)) if (word) out.push(word);
      i = end + 1;
    } else return undefined;
  }
  return out;
}

const PAIRS: Record<string, string> = { '{': '}', '(': ')', '[': ']', '<': '>' };

/** Index of the unescaped `close` from `from`, or -1. */
function closing(s: string, from: number, close: string): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === close) return i;
  }
  return -1;
}

function unescapeRuby(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}
