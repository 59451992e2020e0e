/**
 * A reader for the YAML that pnpm and Yarn 2+ write: block mappings and sequences by
 * indentation, plain, quoted and block scalars, one-line flow collections, `---` documents.
 * Every scalar stays a string (YAML's failsafe schema: "1.10" is a version, not 1.1) and
 * objects have no prototype, so a key like "__proto__" is just a key. It reads a line at a
 * time, an order of magnitude faster and leaner than a general YAML parser on multi-megabyte
 * lockfiles; anything outside that subset (anchors, tags, multi-line plain or quoted scalars)
 * throws UnsupportedYaml, for the caller to hand the file to a general parser.
 */

export class UnsupportedYaml extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

type Mapping = Record<string, unknown>;
type Container = Mapping | unknown[];

interface Frame {
  /** Column of this container's keys or "- " items. */
  indent: number;
  container: Container;
}

/** A `key:` (or `-`) whose value starts on a following line. */
interface Pending {
  indent: number;
  /** A block sequence may sit at the same column as its key ("key:\n- a"). */
  sequenceAtSameIndent: boolean;
  set: (value: unknown) => void;
}

const MAX_FLOW_DEPTH = 32;

export function readLockfileYaml(source: string): unknown[] {
  const lines = source.split(/\r?\n/);
  // The newline that ends the last line starts no line (it matters to block scalars' chomping).
  if (lines.at(-1) === '') lines.pop();
  return new Reader(lines).documents();
}

function newMapping(): Mapping {
  return Object.create(null) as Mapping;
}

/** Anchors, aliases, tags, directives, reserved characters, complex keys, sequence dashes. */
function startsWithIndicator(text: string): boolean {
  return '&*!%@`'.includes(text[0]!) || /^[?:-](?: |$)/.test(text);
}

function isItem(content: string): boolean {
  return content === '-' || content.startsWith('- ');
}

class Reader {
  private index = 0;
  private stack: Frame[] = [];
  private pending: Pending | undefined;
  private readonly docs: unknown[] = [];

  constructor(private readonly lines: string[]) {}

  documents(): unknown[] {
    for (; this.index < this.lines.length; this.index++) this.line(this.lines[this.index]!);
    this.settlePending();
    return this.docs;
  }

  private get lineNo(): number {
    return this.index + 1;
  }

  private unsupported(reason: string): UnsupportedYaml {
    return new UnsupportedYaml(this.lineNo, reason);
  }

  private line(line: string): void {
    if (line === '---' || line.startsWith('--- ') || line === '...') {
      if (line.slice(3).trim() !== '') throw this.unsupported('content after a document marker');
      this.settlePending();
      this.stack = [];
      return;
    }
    const indent = /^ */.exec(line)![0].length;
    const content = line.slice(indent);
    if (content === '' || content.startsWith('#')) return;
    if (content.startsWith('\t')) throw this.unsupported('tab indentation');
    if (content.startsWith('%')) throw this.unsupported('directive');
    const item = isItem(content);
    if (this.pending) this.openPending(indent, item);
    if (this.stack.length === 0) {
      if (content[0] === '{' || content[0] === '[') {
        this.docs.push(this.value(content, indent));
        // A flow root is the whole document: any further line meets an impossible frame.
        this.stack.push({ indent: -1, container: [] });
        return;
      }
      const root = item ? [] : newMapping();
      this.docs.push(root);
      this.stack.push({ indent, container: root });
    }
    while (this.stack.length > 1 && this.stack.at(-1)!.indent > indent) this.stack.pop();
    // "key:\n- a\nnext: b": the sequence at the key's column ends at the next key.
    if (!item && Array.isArray(this.stack.at(-1)!.container) && this.stack.at(-2)?.indent === indent)
      this.stack.pop();
    const frame = this.stack.at(-1)!;
    if (frame.indent !== indent) throw this.unsupported('unexpected indentation');
    if (Array.isArray(frame.container)) {
      if (!item) throw this.unsupported('a mapping entry among sequence items');
      this.item(frame.container, content, indent);
    } else {
      if (item) throw this.unsupported('a sequence item among mapping entries');
      this.entry(frame.container, content, indent);
    }
  }

  private openPending(indent: number, item: boolean): void {
    const pending = this.pending!;
    this.pending = undefined;
    if (indent > pending.indent || (item && indent === pending.indent && pending.sequenceAtSameIndent)) {
      const container = item ? [] : newMapping();
      pending.set(container);
      this.stack.push({ indent, container });
    } else pending.set('');
  }

  private settlePending(): void {
    this.pending?.set('');
    this.pending = undefined;
  }

  private entry(mapping: Mapping, content: string, indent: number): void {
    const split = this.splitKey(content);
    if (!split) throw this.unsupported('expected "key: value"');
    const { key, rest } = split;
    if (rest === '') this.pending = { indent, sequenceAtSameIndent: true, set: (v) => (mapping[key] = v) };
    else mapping[key] = this.value(rest, indent);
  }

  private item(sequence: unknown[], content: string, indent: number): void {
    const body = content.slice(1).trimStart();
    const bodyIndent = indent + (content.length - body.length);
    if (body === '') {
      const at = sequence.push('') - 1;
      this.pending = { indent, sequenceAtSameIndent: false, set: (v) => (sequence[at] = v) };
    } else if (isItem(body)) {
      const inner: unknown[] = [];
      sequence.push(inner);
      this.stack.push({ indent: bodyIndent, container: inner });
      this.item(inner, body, bodyIndent);
    } else if (this.splitKey(body)) {
      const mapping = newMapping();
      sequence.push(mapping);
      this.stack.push({ indent: bodyIndent, container: mapping });
      this.entry(mapping, body, bodyIndent);
    } else sequence.push(this.value(body, indent));
  }

  /** "key: rest" with a plain or quoted key; undefined when the text is not a mapping entry. */
  private splitKey(content: string): { key: string; rest: string } | undefined {
    let key: string;
    let after: number;
    const quote = content[0];
    if (quote === '"' || quote === "'") {
      const end = closingQuote(content, 0);
      if (end < 0 || content[end + 1] !== ':') return undefined;
      key = this.quoted(content.slice(0, end + 1));
      after = end + 2;
    } else {
      const colon = /:(?: |$)/.exec(content);
      if (!colon) return undefined;
      key = content.slice(0, colon.index).trimEnd();
      if (key === '' || startsWithIndicator(key) || '|>{[]},'.includes(key[0]!))
        throw this.unsupported('complex, anchored or reserved key');
      after = colon.index + 1;
    }
    if (after < content.length && content[after] !== ' ') return undefined;
    return { key, rest: content.slice(after).trim() };
  }

  private value(text: string, indent: number): unknown {
    const c = text[0]!;
    if (c === '|' || c === '>') return this.blockScalar(text, indent);
    if (c === '{' || c === '[') {
      const flow = new Flow(text, this.lineNo);
      const value = flow.value(0);
      flow.end();
      return value;
    }
    if (c === '"' || c === "'") {
      const end = closingQuote(text, 0);
      if (end < 0) throw this.unsupported('quoted scalar over several lines');
      if (!/^\s*(?:#.*)?$/.test(text.slice(end + 1))) throw this.unsupported('text after a quoted scalar');
      return this.quoted(text.slice(0, end + 1));
    }
    if (startsWithIndicator(text))
      throw this.unsupported(`anchors, aliases, tags and reserved indicators ("${c}")`);
    const comment = text.indexOf(' #');
    // A more indented line after it (a multi-line plain scalar) fails as unexpected indentation.
    return (comment < 0 ? text : text.slice(0, comment)).trimEnd();
  }

  private quoted(token: string): string {
    if (token[0] === "'") return token.slice(1, -1).replace(/''/g, "'");
    try {
      return JSON.parse(token) as string;
    } catch {
      throw this.unsupported('escape sequence outside JSON');
    }
  }

  private blockScalar(header: string, indent: number): string {
    const m = /^([|>])([-+]?)\s*$/.exec(header);
    if (!m) throw this.unsupported('block scalar header');
    const lines: string[] = [];
    let contentIndent = -1;
    while (this.index + 1 < this.lines.length) {
      const next = this.lines[this.index + 1]!;
      const spaces = /^ */.exec(next)![0].length;
      if (next.trim() === '') {
        lines.push(contentIndent < 0 ? '' : next.slice(contentIndent));
      } else {
        if (contentIndent < 0) contentIndent = spaces;
        if (spaces <= indent || spaces < contentIndent) break;
        if (m[1] === '>' && spaces > contentIndent)
          throw new UnsupportedYaml(this.index + 2, 'more-indented folded line');
        lines.push(next.slice(contentIndent));
      }
      this.index++;
    }
    let trailing = 0;
    while (trailing < lines.length && lines[lines.length - 1 - trailing] === '') trailing++;
    const body = lines.slice(0, lines.length - trailing);
    if (body.length === 0) return m[2] === '+' ? '\n'.repeat(trailing) : '';
    const text = m[1] === '|' ? body.join('\n') : fold(body);
    if (m[2] === '-') return text;
    if (m[2] === '+') return `${text}\n${'\n'.repeat(trailing)}`;
    return `${text}\n`;
  }
}

/** Folded scalar lines: single line breaks become spaces, each empty line a line break. */
function fold(lines: string[]): string {
  let out = '';
  let breaks = 0;
  for (const [i, line] of lines.entries()) {
    if (line === '') breaks++;
    else {
      if (i > 0) out += breaks > 0 ? '\n'.repeat(breaks) : ' ';
      out += line;
      breaks = 0;
    }
  }
  return '\n'.repeat(lines.findIndex((l) => l !== '')) + out.replace(/^\n+/, '');
}

/** Index of the quote closing the one at `start`, or -1 ('' escapes in single, \ in double quotes). */
function closingQuote(s: string, start: number): number {
  const quote = s[start];
  for (let i = start + 1; i < s.length; i++) {
    if (quote === '"' && s[i] === '\\') i++;
    else if (s[i] === quote) {
      if (quote === "'" && s[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/** A one-line flow collection: {a: b, c: [d, 'e']}. */
class Flow {
  private i = 0;

  constructor(
    private readonly s: string,
    private readonly line: number,
  ) {}

  value(depth: number): unknown {
    if (depth > MAX_FLOW_DEPTH) throw new UnsupportedYaml(this.line, 'flow collection nested too deeply');
    this.space();
    const c = this.s[this.i];
    if (c === '{') return this.mapping(depth);
    if (c === '[') return this.sequence(depth);
    return this.scalar(false);
  }

  end(): void {
    this.space();
    if (this.i < this.s.length && this.s[this.i] !== '#')
      throw new UnsupportedYaml(this.line, 'text after a flow collection');
  }

  private mapping(depth: number): Mapping {
    const out = newMapping();
    this.i++;
    for (;;) {
      this.space();
      if (this.s[this.i] === '}') break;
      const key = this.scalar(true);
      this.space();
      let value: unknown = '';
      if (this.s[this.i] === ':') {
        this.i++;
        this.space();
        if (this.s[this.i] !== ',' && this.s[this.i] !== '}') value = this.value(depth + 1);
      }
      out[key] = value;
      if (!this.separator('}')) break;
    }
    this.i++;
    return out;
  }

  private sequence(depth: number): unknown[] {
    const out: unknown[] = [];
    this.i++;
    for (;;) {
      this.space();
      if (this.s[this.i] === ']') break;
      out.push(this.value(depth + 1));
      if (!this.separator(']')) break;
    }
    this.i++;
    return out;
  }

  /** After an element: true at ",", false at the closing bracket. */
  private separator(close: string): boolean {
    this.space();
    const c = this.s[this.i];
    if (c === ',') {
      this.i++;
      return true;
    }
    if (c === close) return false;
    throw new UnsupportedYaml(this.line, 'flow collection not closed on its line');
  }

  private scalar(isKey: boolean): string {
    const c = this.s[this.i];
    if (c === '"' || c === "'") {
      const end = closingQuote(this.s, this.i);
      if (end < 0) throw new UnsupportedYaml(this.line, 'unterminated quoted scalar');
      const token = this.s.slice(this.i, end + 1);
      this.i = end + 1;
      if (c === "'") return token.slice(1, -1).replace(/''/g, "'");
      try {
        return JSON.parse(token) as string;
      } catch {
        throw new UnsupportedYaml(this.line, 'escape sequence outside JSON');
      }
    }
    if (c === undefined || '&*!%@`|>?#{['.includes(c)) throw new UnsupportedYaml(this.line, 'flow scalar');
    const start = this.i;
    while (this.i < this.s.length) {
      const ch = this.s[this.i]!;
      if (ch === ',' || ch === '}' || ch === ']') break;
      if (ch === ':' && (isKey || /[\s,}\]]/.test(this.s[this.i + 1] ?? ' '))) break;
      this.i++;
    }
    return this.s.slice(start, this.i).trim();
  }

  private space(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
}
