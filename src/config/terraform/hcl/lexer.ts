import { ConfigParseError } from '../../engine/check.js';

/**
 * HCL2 tokens. Templates switch the lexer's mode: a quoted string or heredoc yields `text`
 * tokens (escapes decoded, `$${` and `%%{` unescaped) around `${`/`%{` sequences, whose
 * contents are ordinary tokens up to the `}` that closes them. Strip markers (`${~`, `~}`) are
 * applied to the neighbouring text here, so the parser never sees them.
 */

export type TokenType =
  | 'ident'
  | 'number'
  | 'punct'
  | 'newline'
  | 'eof'
  | 'quote-open'
  | 'quote-close'
  | 'heredoc-open'
  | 'heredoc-close'
  | 'text'
  | 'interp-open'
  | 'directive-open'
  | 'seq-close';

export interface Token {
  type: TokenType;
  /** The identifier, punctuation or number as written; the decoded value of a text token. */
  text: string;
  line: number;
  /** Heredoc text that starts a line (candidates for `<<-` indentation removal). */
  lineStart?: boolean;
  /** heredoc-open: `<<-`, whose common indentation is removed. */
  indent?: boolean;
}

interface LexOptions {
  /** Line number of the first character (for text embedded in another file). */
  startLine?: number;
  /** Lex the input as a bare template (a string value of Terraform's JSON syntax). */
  template?: boolean;
  /** Report every token on `startLine` (a JSON string is one line however many `\n` it holds). */
  singleLine?: boolean;
}

type Frame =
  | { kind: 'code'; braces: number; inTemplate: boolean }
  | { kind: 'quoted'; line: number }
  | { kind: 'heredoc'; close: RegExp; marker: string; atLineStart: boolean; line: number }
  | { kind: 'bare' };

const IDENT = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEREDOC_START = /<<(-?)([\p{ID_Start}_][\p{ID_Continue}-]*)[ \t]*\r?\n/uy;
const TWO_CHAR = new Set(['==', '!=', '<=', '>=', '&&', '||', '=>']);
const ONE_CHAR = new Set([
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '!',
  '?',
  ':',
  '=',
  '.',
  ',',
  '(',
  ')',
  '[',
  ']',
]);
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

export function lex(source: string, options: LexOptions = {}): Token[] {
  return new Lexer(source, options).run();
}

class Lexer {
  private pos = 0;
  private line: number;
  private readonly tokens: Token[] = [];
  private readonly stack: Frame[];
  /** A `~}` was just emitted: trim the whitespace that starts the following text. */
  private stripNext = false;

  constructor(
    private readonly src: string,
    private readonly options: LexOptions,
  ) {
    this.line = options.startLine ?? 1;
    this.stack = [options.template ? { kind: 'bare' } : { kind: 'code', braces: 0, inTemplate: false }];
  }

  run(): Token[] {
    while (this.pos < this.src.length) {
      const frame = this.stack[this.stack.length - 1]!;
      if (frame.kind === 'code') this.code(frame);
      else if (frame.kind === 'quoted') this.quoted(frame);
      else if (frame.kind === 'heredoc') this.heredoc(frame);
      else this.bare();
    }
    const open = this.stack[this.stack.length - 1]!;
    if (open.kind === 'quoted') this.fail('unterminated string', open.line);
    if (open.kind === 'heredoc') this.fail(`unterminated heredoc: no closing ${open.marker}`, open.line);
    if (open.kind === 'code' && open.inTemplate) this.fail('unterminated template sequence: missing }');
    this.emit('eof', '');
    return this.tokens;
  }

  private fail(message: string, line = this.line): never {
    throw new ConfigParseError(`invalid HCL: ${message}`, line);
  }

  private emit(type: TokenType, text: string, extra?: Partial<Token>): void {
    let value = text;
    if (this.stripNext && type === 'text') {
      value = value.trimStart();
      if (value !== '') this.stripNext = false;
    } else if (type !== 'seq-close') {
      this.stripNext = false;
    }
    this.tokens.push({ type, text: value, line: this.line, ...extra });
  }

  private newline(): void {
    if (!this.options.singleLine) this.line++;
  }

  private code(frame: Frame & { kind: 'code' }): void {
    const s = this.src;
    const c = s[this.pos]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      this.pos++;
      return;
    }
    if (c === '\n') {
      this.emit('newline', '\n');
      this.pos++;
      this.newline();
      return;
    }
    if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
      const end = s.indexOf('\n', this.pos);
      this.pos = end === -1 ? s.length : end;
      return;
    }
    if (c === '/' && s[this.pos + 1] === '*') {
      this.blockComment();
      return;
    }
    if (c === '"') {
      this.emit('quote-open', '"');
      this.pos++;
      this.stack.push({ kind: 'quoted', line: this.line });
      return;
    }
    if (c === '{') {
      frame.braces++;
      this.emit('punct', '{');
      this.pos++;
      return;
    }
    if (c === '}' || (c === '~' && s[this.pos + 1] === '}')) {
      this.closeBrace(frame, c === '~');
      return;
    }
    if (c === '<' && s[this.pos + 1] === '<') {
      this.heredocStart();
      return;
    }
    if (c === '.' && s.startsWith('...', this.pos)) {
      this.emit('punct', '...');
      this.pos += 3;
      return;
    }
    const two = s.slice(this.pos, this.pos + 2);
    if (TWO_CHAR.has(two)) {
      this.emit('punct', two);
      this.pos += 2;
      return;
    }
    if (ONE_CHAR.has(c)) {
      this.emit('punct', c);
      this.pos++;
      return;
    }
    if (this.sticky(NUMBER, 'number') || this.sticky(IDENT, 'ident')) return;
    const shown = /[\x21-\x7e]/.test(c) ? `'${c}'` : `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`;
    this.fail(`unexpected character ${shown}`);
  }

  private sticky(re: RegExp, type: TokenType): boolean {
    re.lastIndex = this.pos;
    const m = re.exec(this.src);
    if (!m) return false;
    this.emit(type, m[0]);
    this.pos = re.lastIndex;
    return true;
  }

  private blockComment(): void {
    const end = this.src.indexOf('*/', this.pos + 2);
    if (end === -1) this.fail('unterminated /* comment');
    for (let i = this.pos; i < end; i++) if (this.src[i] === '\n') this.newline();
    this.pos = end + 2;
  }

  private closeBrace(frame: Frame & { kind: 'code' }, strip: boolean): void {
    if (frame.braces > 0 || !frame.inTemplate) {
      if (strip) this.fail("unexpected character '~'");
      frame.braces--;
      this.emit('punct', '}');
      this.pos++;
      return;
    }
    this.emit('seq-close', '}');
    this.pos += strip ? 2 : 1;
    this.stripNext = strip;
    this.stack.pop();
  }

  private heredocStart(): void {
    HEREDOC_START.lastIndex = this.pos;
    const m = HEREDOC_START.exec(this.src);
    if (!m) this.fail('invalid heredoc: expected <<ID or <<-ID followed by a newline');
    const marker = m[2]!;
    this.emit('heredoc-open', marker, { indent: m[1] === '-' });
    this.pos = HEREDOC_START.lastIndex;
    const line = this.line;
    this.newline();
    const close = new RegExp(`[ \\t]*${marker}(?=\\r?\\n|$)`, 'uy');
    this.stack.push({ kind: 'heredoc', close, marker, atLineStart: true, line });
  }

  /** `${` or `%{` at pos: emits it and enters code mode until its closing brace. */
  private sequenceStart(): void {
    const directive = this.src[this.pos] === '%';
    const strip = this.src[this.pos + 2] === '~';
    if (strip) {
      const last = this.tokens[this.tokens.length - 1];
      if (last?.type === 'text') last.text = last.text.trimEnd();
    }
    this.emit(directive ? 'directive-open' : 'interp-open', directive ? '%{' : '${');
    this.pos += strip ? 3 : 2;
    this.stack.push({ kind: 'code', braces: 0, inTemplate: true });
  }

  private isSequenceStart(i: number): boolean {
    const c = this.src[i];
    return (c === '$' || c === '%') && this.src[i + 1] === '{';
  }

  /** `$${` / `%%{` at i: the literal `${` / `%{`. */
  private isEscapedSequence(i: number): boolean {
    const c = this.src[i];
    return (c === '$' || c === '%') && this.src[i + 1] === c && this.src[i + 2] === '{';
  }

  private quoted(frame: Frame & { kind: 'quoted' }): void {
    const s = this.src;
    if (s[this.pos] === '"') {
      this.emit('quote-close', '"');
      this.pos++;
      this.stack.pop();
      return;
    }
    if (this.isSequenceStart(this.pos)) {
      this.sequenceStart();
      return;
    }
    let value = '';
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === '"' || this.isSequenceStart(this.pos)) break;
      if (c === '\n') this.fail('unterminated string (a quoted string cannot span lines)', frame.line);
      if (this.isEscapedSequence(this.pos)) {
        value += `${c}{`;
        this.pos += 3;
      } else if (c === '\\') {
        value += this.escape();
      } else {
        value += c;
        this.pos++;
      }
    }
    this.emit('text', value);
  }

  private escape(): string {
    const s = this.src;
    const c = s[this.pos + 1];
    if (c !== undefined && SIMPLE_ESCAPES[c] !== undefined) {
      this.pos += 2;
      return SIMPLE_ESCAPES[c];
    }
    if (c === 'u' || c === 'U') {
      const digits = c === 'u' ? 4 : 8;
      const hex = s.slice(this.pos + 2, this.pos + 2 + digits);
      const code = /^[0-9A-Fa-f]+$/.test(hex) && hex.length === digits ? Number.parseInt(hex, 16) : -1;
      if (code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        this.fail(`invalid \\${c} escape sequence`);
      this.pos += 2 + digits;
      return String.fromCodePoint(code);
    }
    this.fail(`invalid escape sequence \\${c ?? ''}`);
  }

  private heredoc(frame: Frame & { kind: 'heredoc' }): void {
    const s = this.src;
    if (frame.atLineStart) {
      frame.close.lastIndex = this.pos;
      if (frame.close.exec(s)) {
        this.emit('heredoc-close', frame.marker);
        this.pos = frame.close.lastIndex;
        this.stack.pop();
        return;
      }
    }
    if (this.isSequenceStart(this.pos)) {
      frame.atLineStart = false;
      this.sequenceStart();
      return;
    }
    const lineStart = frame.atLineStart;
    const line = this.line;
    let value = '';
    frame.atLineStart = false;
    while (this.pos < s.length && !this.isSequenceStart(this.pos)) {
      const c = s[this.pos]!;
      if (this.isEscapedSequence(this.pos)) {
        value += `${c}{`;
        this.pos += 3;
        continue;
      }
      value += c;
      this.pos++;
      if (c === '\n') {
        frame.atLineStart = true;
        break;
      }
    }
    this.emitAt('text', value, line, lineStart);
    if (frame.atLineStart) this.newline();
  }

  private emitAt(type: TokenType, text: string, line: number, lineStart: boolean): void {
    const current = this.line;
    this.line = line;
    this.emit(type, text, lineStart ? { lineStart } : undefined);
    this.line = current;
  }

  private bare(): void {
    if (this.isSequenceStart(this.pos)) {
      this.sequenceStart();
      return;
    }
    const s = this.src;
    const line = this.line;
    let value = '';
    while (this.pos < s.length && !this.isSequenceStart(this.pos)) {
      const c = s[this.pos]!;
      if (this.isEscapedSequence(this.pos)) {
        value += `${c}{`;
        this.pos += 3;
        continue;
      }
      if (c === '\n') this.newline();
      value += c;
      this.pos++;
    }
    this.emitAt('text', value, line, false);
  }
}
