import type { HeredocBody, Operator, RedirectOperator, RedirectToken, Token, WordToken } from './tokens.js';

/**
 * Splits POSIX shell text into words, operators and redirections. Never throws: an unterminated
 * quote or substitution runs to the end of the text, as far as a checker needs. Heredoc bodies
 * that follow a newline are attached to their `<<` redirection.
 */

interface HeredocMarker {
  redirect: RedirectToken;
  /** Delimiter with quotes removed. */
  delimiter: string;
  /** The delimiter was quoted: the body is not expanded. */
  quoted: boolean;
  /** `<<-`: leading tabs are stripped from body lines and the delimiter line. */
  stripTabs: boolean;
}

interface Lexed {
  tokens: Token[];
  heredocs: HeredocMarker[];
}

const REDIRECTS: readonly RedirectOperator[] = [
  '<<<',
  '<<-',
  '&>>',
  '<<',
  '>>',
  '>&',
  '<&',
  '>|',
  '<>',
  '&>',
  '>',
  '<',
];
const OPERATORS: readonly Operator[] = ['&&', '||', ';;', '|&', ';', '|', '&', '(', ')'];
const WORD_END = new Set([' ', '\t', '\r', '\n', ';', '&', '|', '(', ')', '<', '>']);

export function tokenize(text: string): Lexed {
  return new Lexer(text).run();
}

class Lexer {
  private i = 0;
  private readonly tokens: Token[] = [];
  private readonly heredocs: HeredocMarker[] = [];
  private pending: HeredocMarker[] = [];
  private awaitingDelimiter: RedirectToken | undefined;
  private spaceBefore = true;

  constructor(private readonly text: string) {}

  run(): Lexed {
    const t = this.text;
    while (this.i < t.length) {
      const c = t[this.i]!;
      if (c === '\\' && t[this.i + 1] === '\n') {
        this.i += 2;
      } else if (c === '\\' && t[this.i + 1] === '\r' && t[this.i + 2] === '\n') {
        this.i += 3;
      } else if (c === ' ' || c === '\t' || c === '\r') {
        this.i++;
        this.spaceBefore = true;
      } else if (c === '\n') {
        this.tokens.push({ type: 'op', op: '\n', start: this.i, end: this.i + 1 });
        this.i++;
        this.spaceBefore = true;
        this.readHeredocBodies();
      } else if (c === '#' && this.spaceBefore) {
        while (this.i < t.length && t[this.i] !== '\n') this.i++;
      } else if (!this.readRedirect() && !this.readOperator()) {
        this.readWord();
      }
    }
    return { tokens: this.tokens, heredocs: this.heredocs };
  }

  private readRedirect(): boolean {
    const t = this.text;
    let j = this.i;
    while (j < t.length && t[j]! >= '0' && t[j]! <= '9') j++;
    const op = REDIRECTS.find((r) => t.startsWith(r, j));
    if (!op) return false;
    if ((op === '<' || op === '>') && t[j + 1] === '(') return false;
    if (op.startsWith('&') && j !== this.i) return false;
    const token: RedirectToken = {
      type: 'redirect',
      op,
      ...(j > this.i ? { fd: t.slice(this.i, j) } : {}),
      start: this.i,
      end: j + op.length,
      spaceBefore: this.spaceBefore,
    };
    this.tokens.push(token);
    this.i = token.end;
    this.spaceBefore = false;
    if (op === '<<' || op === '<<-') this.awaitingDelimiter = token;
    return true;
  }

  private readOperator(): boolean {
    const op = OPERATORS.find((o) => this.text.startsWith(o, this.i));
    if (!op) return false;
    this.tokens.push({ type: 'op', op, start: this.i, end: this.i + op.length });
    this.i += op.length;
    this.spaceBefore = true;
    return true;
  }

  private readWord(): void {
    const t = this.text;
    const word: WordToken = {
      type: 'word',
      start: this.i,
      end: this.i,
      value: '',
      offsets: [],
      quoted: false,
      expands: false,
      substitutions: [],
      spaceBefore: this.spaceBefore,
    };
    const emit = (s: string, at: number): void => {
      word.value += s;
      for (let k = 0; k < s.length; k++) word.offsets.push(at + k);
    };
    const emitRaw = (from: number, to: number): void => emit(t.slice(from, to), from);
    while (this.i < t.length) {
      const c = t[this.i]!;
      if (WORD_END.has(c)) {
        if ((c === '<' || c === '>') && t[this.i + 1] === '(' && this.i === word.start) {
          const end = this.skipBalanced(this.i + 2, '(', ')');
          word.substitutions.push({ start: this.i + 2, end: Math.min(end, t.length) });
          word.expands = true;
          emitRaw(this.i, Math.min(end + 1, t.length));
          this.i = end + 1;
          continue;
        }
        break;
      }
      if (c === '\\') {
        if (t[this.i + 1] === '\n') this.i += 2;
        else if (this.i + 1 < t.length) {
          emit(t[this.i + 1]!, this.i + 1);
          this.i += 2;
        } else {
          emit('\\', this.i);
          this.i++;
        }
      } else if (c === "'") {
        word.quoted = true;
        const close = t.indexOf("'", this.i + 1);
        const end = close === -1 ? t.length : close;
        emitRaw(this.i + 1, end);
        this.i = end + 1;
      } else if (c === '$' && t[this.i + 1] === "'") {
        word.quoted = true;
        this.readAnsiC(emit);
      } else if (c === '"') {
        word.quoted = true;
        this.readDoubleQuoted(word, emit, emitRaw);
      } else if (c === '$' || c === '`') {
        this.readExpansion(word, emitRaw);
      } else {
        emit(c, this.i);
        this.i++;
      }
    }
    word.end = this.i;
    this.tokens.push(word);
    this.spaceBefore = false;
    if (this.awaitingDelimiter) {
      const redirect = this.awaitingDelimiter;
      this.awaitingDelimiter = undefined;
      const marker: HeredocMarker = {
        redirect,
        delimiter: word.value,
        quoted: word.quoted,
        stripTabs: redirect.op === '<<-',
      };
      this.heredocs.push(marker);
      this.pending.push(marker);
    }
  }

  private readAnsiC(emit: (s: string, at: number) => void): void {
    const t = this.text;
    const escapes: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '\\': '\\',
      "'": "'",
      '"': '"',
      e: '\x1b',
    };
    this.i += 2;
    while (this.i < t.length && t[this.i] !== "'") {
      if (t[this.i] === '\\' && this.i + 1 < t.length) {
        emit(escapes[t[this.i + 1]!] ?? t.slice(this.i, this.i + 2), this.i);
        this.i += 2;
      } else {
        emit(t[this.i]!, this.i);
        this.i++;
      }
    }
    this.i++;
  }

  private readDoubleQuoted(
    word: WordToken,
    emit: (s: string, at: number) => void,
    emitRaw: (from: number, to: number) => void,
  ): void {
    const t = this.text;
    this.i++;
    while (this.i < t.length && t[this.i] !== '"') {
      const c = t[this.i]!;
      if (c === '\\') {
        const next = t[this.i + 1];
        if (next === '\n') this.i += 2;
        else if (next === '$' || next === '`' || next === '"' || next === '\\') {
          emit(next, this.i + 1);
          this.i += 2;
        } else {
          emit('\\', this.i);
          this.i++;
        }
      } else if (c === '$' || c === '`') {
        this.readExpansion(word, emitRaw);
      } else {
        emit(c, this.i);
        this.i++;
      }
    }
    this.i++;
  }

  /** `$name`, `${...}`, `$(...)`, `$((...))`, backquotes: kept as written, bodies of substitutions recorded. */
  private readExpansion(word: WordToken, emitRaw: (from: number, to: number) => void): void {
    const t = this.text;
    const start = this.i;
    if (t[start] === '`') {
      let j = start + 1;
      while (j < t.length && t[j] !== '`') j += t[j] === '\\' ? 2 : 1;
      word.substitutions.push({ start: start + 1, end: Math.min(j, t.length) });
      this.i = Math.min(j + 1, t.length);
    } else if (t.startsWith('$((', start)) {
      this.i = Math.min(this.skipBalanced(start + 2, '(', ')') + 1, t.length);
    } else if (t[start + 1] === '(') {
      const end = this.skipBalanced(start + 2, '(', ')');
      word.substitutions.push({ start: start + 2, end: Math.min(end, t.length) });
      this.i = Math.min(end + 1, t.length);
    } else if (t[start + 1] === '{') {
      this.i = Math.min(this.skipBalanced(start + 2, '{', '}') + 1, t.length);
    } else {
      const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(t.slice(start + 1, start + 64));
      if (!m) {
        emitRaw(start, start + 1);
        this.i = start + 1;
        return;
      }
      this.i = start + 1 + m[0].length;
    }
    word.expands = true;
    emitRaw(start, this.i);
  }

  /** Index of the `close` matching an already-open bracket, skipping quoted text; text.length if none. */
  private skipBalanced(from: number, open: string, close: string): number {
    const t = this.text;
    let depth = 1;
    for (let j = from; j < t.length; j++) {
      const c = t[j];
      if (c === '\\') j++;
      else if (c === "'") {
        const q = t.indexOf("'", j + 1);
        if (q === -1) return t.length;
        j = q;
      } else if (c === '"') {
        j++;
        while (j < t.length && t[j] !== '"') j += t[j] === '\\' ? 2 : 1;
      } else if (c === open) depth++;
      else if (c === close && --depth === 0) return j;
    }
    return t.length;
  }

  private readHeredocBodies(): void {
    const t = this.text;
    for (const marker of this.pending) {
      const bodyStart = this.i;
      let bodyEnd = t.length;
      let next = t.length;
      while (this.i < t.length) {
        const nl = t.indexOf('\n', this.i);
        const lineEnd = nl === -1 ? t.length : nl;
        let line = t.slice(this.i, lineEnd).replace(/\r$/, '');
        if (marker.stripTabs) line = line.replace(/^\t+/, '');
        if (line === marker.delimiter) {
          bodyEnd = this.i;
          next = nl === -1 ? t.length : nl + 1;
          break;
        }
        this.i = nl === -1 ? t.length : nl + 1;
      }
      const body: HeredocBody = { text: t.slice(bodyStart, bodyEnd), start: bodyStart };
      marker.redirect.heredoc = body;
      this.i = next;
    }
    this.pending = [];
  }
}
