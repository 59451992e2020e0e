/**
 * Java .properties as java.util.Properties.load(InputStream) reads them: ISO-8859-1, `#`/`!`
 * comments, keys ended by an unescaped `=`, `:` or whitespace, backslash line continuations,
 * and `\t \n \r \f \uXXXX` escapes (any other escaped character stands for itself).
 */
export function parseProperties(bytes: Buffer): Map<string, string> {
  const text = bytes.toString('latin1');
  const out = new Map<string, string>();
  for (const line of logicalLines(text)) {
    let i = 0;
    let key = '';
    while (i < line.length) {
      const c = line[i] as string;
      if (c === '\\') {
        const [ch, next] = unescapeAt(line, i);
        key += ch;
        i = next;
      } else if (c === '=' || c === ':' || isWhite(c)) {
        break;
      } else {
        key += c;
        i++;
      }
    }
    while (i < line.length && isWhite(line[i] as string)) i++;
    if (line[i] === '=' || line[i] === ':') i++;
    while (i < line.length && isWhite(line[i] as string)) i++;
    let value = '';
    while (i < line.length) {
      if (line[i] === '\\') {
        const [ch, next] = unescapeAt(line, i);
        value += ch;
        i = next;
      } else {
        value += line[i];
        i++;
      }
    }
    out.set(key, value);
  }
  return out;
}

function isWhite(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

/** Joins continued lines (an odd number of trailing backslashes) and drops comments and blanks. */
function* logicalLines(text: string): Generator<string> {
  const natural = text.split(/\r\n|\r|\n/);
  for (let n = 0; n < natural.length; n++) {
    let line = trimStart(natural[n] as string);
    if (line === '' || line[0] === '#' || line[0] === '!') continue;
    let continuedToEnd = false;
    while (endsWithOddBackslashes(line)) {
      line = line.slice(0, -1);
      // A continuation that meets the end of the input still makes a line, even an empty one.
      if (n + 1 >= natural.length || (n + 2 === natural.length && natural[n + 1] === '')) {
        continuedToEnd = true;
        break;
      }
      const next = trimStart(natural[n + 1] as string);
      // With nothing read yet, the continued line is a fresh one: it may be a comment.
      if (line === '' && (next[0] === '#' || next[0] === '!')) break;
      line += next;
      n++;
    }
    if (line !== '' || continuedToEnd) yield line;
  }
}

function trimStart(s: string): string {
  let i = 0;
  while (i < s.length && isWhite(s[i] as string)) i++;
  return s.slice(i);
}

function endsWithOddBackslashes(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

/** The character a backslash escape at `i` stands for, and where reading continues. */
function unescapeAt(s: string, i: number): [string, number] {
  const e = s[i + 1];
  if (e === undefined) return ['', i + 1];
  if (e === 'u') {
    const hex = s.slice(i + 2, i + 6);
    // Properties.load rejects a malformed \u escape; one bad line should not lose the file.
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) return ['u', i + 2];
    return [String.fromCharCode(Number.parseInt(hex, 16)), i + 6];
  }
  return [ESCAPES[e] ?? e, i + 2];
}
