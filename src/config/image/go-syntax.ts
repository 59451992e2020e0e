/**
 * Docker's builders write some history entries with Go's fmt: `%q` of a []string gives
 * `["sh" "-c" "echo \"hi\""]` (CMD, ENTRYPOINT, a health check's test).
 */

const GO_STRING = /"((?:[^"\\]|\\.)*)"/sy;
const ESCAPE = /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/gs;
const SIMPLE: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** The first `%q`-formatted string list in `text`, or undefined when there is none. */
export function goQuotedList(text: string): string[] | undefined {
  const start = text.indexOf('[');
  if (start === -1) return undefined;
  const out: string[] = [];
  let i = start + 1;
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === ']') return out;
    GO_STRING.lastIndex = i;
    const m = GO_STRING.exec(text);
    if (!m) return undefined;
    out.push(goUnquote(m[1]!));
    i = GO_STRING.lastIndex;
  }
}

/** The body of a Go string literal; an escape Go would not write stands for its character. */
function goUnquote(body: string): string {
  return body.replace(ESCAPE, (_, e: string) => {
    if (e.length === 1) return SIMPLE[e] ?? e;
    const code =
      e[0] === 'x' || e[0] === 'u' || e[0] === 'U' ? Number.parseInt(e.slice(1), 16) : Number.parseInt(e, 8);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  });
}
