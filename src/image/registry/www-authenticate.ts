import { FormatError } from '../format-error.js';

/**
 * WWW-Authenticate challenges (RFC 7235 §4.1): a comma-separated list of
 * `scheme [token68 | name=value, ...]`, values being tokens or quoted strings. A registry sends
 * `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`.
 */

export interface Challenge {
  /** Lower-cased: "bearer", "basic". */
  scheme: string;
  /** Parameter names lower-cased; the first occurrence of a name wins. */
  params: Record<string, string>;
  token68?: string;
}

const MAX_HEADER = 16 << 10;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*/;

export function parseWwwAuthenticate(header: string): Challenge[] {
  if (header.length > MAX_HEADER) throw malformed(`longer than ${MAX_HEADER} characters`);
  const p = new Cursor(header);
  const challenges: Challenge[] = [];
  p.skipListSeparators();
  while (!p.done()) {
    const scheme = p.take(TOKEN);
    if (scheme === undefined) throw malformed(`expected an auth scheme at "${p.rest()}"`);
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: Object.create(null) };
    challenges.push(challenge);
    if (p.skipSpaces() && !p.done() && !p.at(',')) readParameters(p, challenge);
    p.skipListSeparators();
  }
  if (challenges.length === 0) throw malformed('no challenge');
  return challenges;
}

/** After a scheme and a space: either a token68 or auth-params, until the next challenge. */
function readParameters(p: Cursor, challenge: Challenge): void {
  const mark = p.position;
  const token68 = p.take(TOKEN68);
  p.skipSpaces();
  if (token68 !== undefined && (p.done() || p.at(','))) {
    challenge.token68 = token68;
    return;
  }
  p.position = mark;
  for (;;) {
    const start = p.position;
    const param = p.take(TOKEN);
    p.skipSpaces();
    if (param === undefined || !p.at('=')) {
      // Not a parameter: the next challenge starts here.
      p.position = start;
      return;
    }
    p.position++;
    p.skipSpaces();
    const value = p.at('"') ? p.quoted() : p.take(TOKEN);
    if (value === undefined) throw malformed(`parameter ${param} has no value`);
    const key = param.toLowerCase();
    if (!(key in challenge.params)) challenge.params[key] = value;
    p.skipSpaces();
    if (p.done()) return;
    if (!p.at(',')) throw malformed(`expected "," at "${p.rest()}"`);
    p.skipListSeparators();
    if (p.done()) return;
  }
}

class Cursor {
  position = 0;

  constructor(private readonly text: string) {}

  done(): boolean {
    return this.position >= this.text.length;
  }

  at(s: string): boolean {
    return this.text.startsWith(s, this.position);
  }

  rest(): string {
    const r = this.text.slice(this.position);
    return r.length > 40 ? `${r.slice(0, 37)}...` : r;
  }

  take(re: RegExp): string | undefined {
    const m = re.exec(this.text.slice(this.position));
    if (!m) return undefined;
    this.position += m[0].length;
    return m[0];
  }

  /** Skips spaces and tabs; true when there were some. */
  skipSpaces(): boolean {
    const start = this.position;
    while (this.at(' ') || this.at('\t')) this.position++;
    return this.position > start;
  }

  skipListSeparators(): void {
    while (this.skipSpaces() || this.at(',')) if (this.at(',')) this.position++;
  }

  /** A quoted-string starting at the cursor, with backslash escapes undone. */
  quoted(): string {
    let out = '';
    for (let i = this.position + 1; i < this.text.length; i++) {
      const c = this.text[i]!;
      if (c === '"') {
        this.position = i + 1;
        return out;
      }
      if (c === '\\') {
        i++;
        if (i >= this.text.length) break;
        out += this.text[i];
      } else out += c;
    }
    throw malformed('unterminated quoted string');
  }
}

function malformed(problem: string): FormatError {
  return new FormatError(`malformed WWW-Authenticate header: ${problem}`);
}
