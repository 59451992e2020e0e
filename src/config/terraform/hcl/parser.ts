import { ConfigParseError, type LineRange } from '../../engine/check.js';
import type {
  Attribute,
  BinaryOperator,
  Block,
  Body,
  Expr,
  ForExpr,
  ObjectItem,
  TemplateExpr,
  TemplatePart,
} from './ast.js';
import { lex, type Token } from './lexer.js';

/**
 * HCL2 native syntax (hashicorp/hcl hclsyntax spec): bodies of attributes and blocks, the full
 * expression grammar and templates. Recursive descent over the lexer's tokens, linear in the
 * input; nesting is capped so hostile input is an error, not a stack overflow. Newlines end
 * attributes and separate object elements; inside parentheses, brackets, calls, `for`
 * expressions and template sequences they are only whitespace.
 */

/** Nested expressions, blocks and templates beyond this are refused. */
const MAX_DEPTH = 200;

const BINARY_LEVELS: readonly (readonly BinaryOperator[])[] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

export function parseHcl(text: string): Body {
  const parser = new Parser(lex(text));
  const body = parser.body(false);
  return body;
}

/** A string value of Terraform's JSON syntax, read as a template; every node is on `line`. */
export function parseTemplateString(text: string, line: number): TemplateExpr {
  const parser = new Parser(lex(text, { template: true, startLine: line, singleLine: true }));
  return parser.bareTemplate(line);
}

type TemplateEnd = 'quote-close' | 'heredoc-close' | 'eof';

class Parser {
  private i = 0;
  private ignoreNewlines = false;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  // ---- token access

  private at(offset = 0): Token {
    let j = this.i;
    let left = offset;
    for (;;) {
      const t = this.tokens[j]!;
      if (t.type === 'eof') return t;
      if (t.type === 'newline' && this.ignoreNewlines) {
        j++;
        continue;
      }
      if (left === 0) return t;
      left--;
      j++;
    }
  }

  private peek(): Token {
    if (this.ignoreNewlines) while (this.tokens[this.i]!.type === 'newline') this.i++;
    return this.tokens[this.i]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.i++;
    return t;
  }

  private isPunct(t: Token, text: string): boolean {
    return t.type === 'punct' && t.text === text;
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.type === 'ident' && t.text === word;
  }

  private expectPunct(text: string, context: string): Token {
    const t = this.next();
    if (!this.isPunct(t, text)) this.fail(`expected '${text}' ${context}, found ${describe(t)}`, t.line);
    return t;
  }

  private expectIdent(context: string): Token {
    const t = this.next();
    if (t.type !== 'ident') this.fail(`expected a name ${context}, found ${describe(t)}`, t.line);
    return t;
  }

  private expectKeyword(word: string, context: string): void {
    const t = this.next();
    if (!this.isKeyword(t, word)) this.fail(`expected '${word}' ${context}, found ${describe(t)}`, t.line);
  }

  private fail(message: string, line: number): never {
    throw new ConfigParseError(`invalid HCL: ${message}`, line);
  }

  private withNewlines<T>(ignore: boolean, fn: () => T): T {
    const saved = this.ignoreNewlines;
    this.ignoreNewlines = ignore;
    try {
      return fn();
    } finally {
      this.ignoreNewlines = saved;
    }
  }

  private nested<T>(line: number, fn: () => T): T {
    if (++this.depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`, line);
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private lastLine(): number {
    return this.tokens[Math.max(0, this.i - 1)]!.line;
  }

  private from(line: number): LineRange {
    return { line, endLine: Math.max(line, this.lastLine()) };
  }

  // ---- structure

  body(inBlock: boolean): Body {
    const body: Body = { attributes: [], blocks: [] };
    const seen = new Map<string, number>();
    for (;;) {
      let t = this.peek();
      while (t.type === 'newline') {
        this.i++;
        t = this.peek();
      }
      if (t.type === 'eof' || (inBlock && this.isPunct(t, '}'))) return body;
      if (t.type !== 'ident') this.fail(`expected an attribute or block, found ${describe(t)}`, t.line);
      this.i++;
      if (this.isPunct(this.peek(), '=')) {
        this.i++;
        const attribute = this.attribute(t);
        const earlier = seen.get(attribute.name);
        if (earlier !== undefined)
          this.fail(`attribute "${attribute.name}" is already defined on line ${earlier}`, t.line);
        seen.set(attribute.name, t.line);
        body.attributes.push(attribute);
      } else {
        body.blocks.push(this.nested(t.line, () => this.block(t)));
      }
      this.endOfItem(inBlock);
    }
  }

  private attribute(name: Token): Attribute {
    const expr = this.expression();
    return { name: name.text, expr, range: this.from(name.line) };
  }

  private block(type: Token): Block {
    const labels: string[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'ident') {
        labels.push(t.text);
        this.i++;
      } else if (t.type === 'quote-open') {
        labels.push(this.stringLiteral());
      } else break;
    }
    this.expectPunct('{', `to open block "${type.text}"`);
    const body = this.body(true);
    const close = this.next();
    if (!this.isPunct(close, '}')) this.fail(`block "${type.text}" is not closed with '}'`, type.line);
    return { type: type.text, labels, body, range: this.from(type.line) };
  }

  /** A quoted string without template sequences (a block label). */
  private stringLiteral(): string {
    const open = this.next();
    let value = '';
    for (;;) {
      const t = this.next();
      if (t.type === 'quote-close') return value;
      if (t.type !== 'text') this.fail('a block label cannot contain template sequences', open.line);
      value += t.text;
    }
  }

  private endOfItem(inBlock: boolean): void {
    const t = this.peek();
    if (t.type === 'newline') {
      this.i++;
      return;
    }
    if (t.type === 'eof' || (inBlock && this.isPunct(t, '}'))) return;
    this.fail(`expected a newline after the attribute or block, found ${describe(t)}`, t.line);
  }

  // ---- expressions

  expression(): Expr {
    const start = this.peek();
    return this.nested(start.line, () => {
      const condition = this.binary(0);
      if (!this.isPunct(this.peek(), '?')) return condition;
      this.i++;
      const ifTrue = this.expression();
      this.expectPunct(':', 'in a conditional expression');
      const ifFalse = this.expression();
      return {
        type: 'conditional',
        condition,
        ifTrue,
        ifFalse,
        range: this.from(condition.range.line),
      } as Expr;
    });
  }

  private binary(level: number): Expr {
    if (level === BINARY_LEVELS.length) return this.unary();
    const ops = BINARY_LEVELS[level]!;
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.type !== 'punct' || !ops.includes(t.text as BinaryOperator)) return left;
      this.i++;
      const right = this.binary(level + 1);
      left = { type: 'binary', op: t.text as BinaryOperator, left, right, range: this.from(left.range.line) };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.isPunct(t, '-') || this.isPunct(t, '!')) {
      this.i++;
      const operand = this.nested(t.line, () => this.unary());
      return { type: 'unary', op: t.text as '-' | '!', operand, range: this.from(t.line) };
    }
    return this.postfix(this.term());
  }

  private postfix(start: Expr): Expr {
    let expr = start;
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, '.')) {
        if (this.isPunct(this.at(1), '*')) {
          this.i += 2;
          expr = this.splat(expr, false);
        } else {
          this.i++;
          expr = this.traversalStep(expr, expr.range.line);
        }
      } else if (this.isPunct(t, '[')) {
        if (this.isPunct(this.at(1), '*') && this.isPunct(this.at(2), ']')) {
          this.i += 3;
          expr = this.splat(expr, true);
        } else {
          this.i++;
          expr = this.indexStep(expr, expr.range.line);
        }
      } else return expr;
    }
  }

  /** After a `.`: an attribute name, or a legacy numeric index (`list.0`). */
  private traversalStep(target: Expr, line: number): Expr {
    const t = this.next();
    if (t.type === 'ident') return { type: 'getattr', target, name: t.text, range: this.from(line) };
    if (t.type === 'number' && /^[0-9]+$/.test(t.text)) {
      const key: Expr = { type: 'literal', value: Number(t.text), range: { line: t.line, endLine: t.line } };
      return { type: 'index', target, key, range: this.from(line) };
    }
    this.fail(`expected an attribute name after '.', found ${describe(t)}`, t.line);
  }

  /** After a `[`: the key expression and the closing bracket. */
  private indexStep(target: Expr, line: number): Expr {
    const key = this.withNewlines(true, () => {
      const k = this.expression();
      this.expectPunct(']', 'to close the index');
      return k;
    });
    return { type: 'index', target, key, range: this.from(line) };
  }

  /** `.*` takes the attribute accesses after it; `[*]` takes attribute accesses and indexes. */
  private splat(source: Expr, full: boolean): Expr {
    const line = source.range.line;
    let each: Expr = { type: 'splat-item', range: this.from(line) };
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, '.') && !this.isPunct(this.at(1), '*')) {
        this.i++;
        each = this.traversalStep(each, line);
      } else if (full && this.isPunct(t, '[') && !this.isPunct(this.at(1), '*')) {
        this.i++;
        each = this.indexStep(each, line);
      } else break;
    }
    return { type: 'splat', source, each, full, range: this.from(line) };
  }

  private term(): Expr {
    const t = this.next();
    const single = { line: t.line, endLine: t.line };
    switch (t.type) {
      case 'number':
        return { type: 'literal', value: Number(t.text), range: single };
      case 'ident':
        if (t.text === 'true' || t.text === 'false')
          return { type: 'literal', value: t.text === 'true', range: single };
        if (t.text === 'null') return { type: 'literal', value: null, range: single };
        if (this.isPunct(this.peek(), '(')) return this.call(t);
        return { type: 'variable', name: t.text, range: single };
      case 'quote-open':
        return this.template('quote-close', t);
      case 'heredoc-open':
        if (t.indent) this.removeHeredocIndent();
        return { ...this.template('heredoc-close', t), heredocBodyLine: t.line + 1 };
      case 'punct':
        if (t.text === '(') return this.parenthesised(t);
        if (t.text === '[') return this.withNewlines(true, () => this.tuple(t));
        if (t.text === '{') return this.object(t);
        break;
    }
    this.fail(`expected an expression, found ${describe(t)}`, t.line);
  }

  private parenthesised(open: Token): Expr {
    const inner = this.withNewlines(true, () => {
      const e = this.expression();
      this.expectPunct(')', 'to close the parenthesis');
      return e;
    });
    return { ...inner, range: this.from(open.line) };
  }

  private call(name: Token): Expr {
    return this.withNewlines(true, () => {
      this.i++;
      const args: Expr[] = [];
      let expandFinal = false;
      while (!this.isPunct(this.peek(), ')')) {
        args.push(this.expression());
        const t = this.next();
        if (this.isPunct(t, '...')) {
          expandFinal = true;
          this.expectPunct(')', 'after ... in a function call');
          return { type: 'call', name: name.text, args, expandFinal, range: this.from(name.line) } as Expr;
        }
        if (this.isPunct(t, ')')) {
          return { type: 'call', name: name.text, args, expandFinal, range: this.from(name.line) } as Expr;
        }
        if (!this.isPunct(t, ','))
          this.fail(`expected ',' or ')' in the arguments of ${name.text}, found ${describe(t)}`, t.line);
      }
      this.i++;
      return { type: 'call', name: name.text, args, expandFinal, range: this.from(name.line) } as Expr;
    });
  }

  private tuple(open: Token): Expr {
    if (this.isKeyword(this.peek(), 'for')) return this.forExpr(open, ']');
    const items: Expr[] = [];
    while (!this.isPunct(this.peek(), ']')) {
      items.push(this.expression());
      const t = this.next();
      if (this.isPunct(t, ']')) return { type: 'tuple', items, range: this.from(open.line) };
      if (!this.isPunct(t, ',')) this.fail(`expected ',' or ']' in a list, found ${describe(t)}`, t.line);
    }
    this.i++;
    return { type: 'tuple', items, range: this.from(open.line) };
  }

  private object(open: Token): Expr {
    if (this.withNewlines(true, () => this.isKeyword(this.peek(), 'for')))
      return this.withNewlines(true, () => this.forExpr(open, '}'));
    return this.withNewlines(false, () => {
      const items: ObjectItem[] = [];
      for (;;) {
        while (this.peek().type === 'newline') this.i++;
        if (this.isPunct(this.peek(), '}')) {
          this.i++;
          return { type: 'object', items, range: this.from(open.line) } as Expr;
        }
        const key = this.objectKey();
        const sep = this.next();
        if (!this.isPunct(sep, '=') && !this.isPunct(sep, ':'))
          this.fail(`expected '=' or ':' after an object key, found ${describe(sep)}`, sep.line);
        items.push({ key, value: this.expression() });
        const t = this.peek();
        if (this.isPunct(t, ',') || t.type === 'newline') this.i++;
        else if (!this.isPunct(t, '}'))
          this.fail(`expected a newline, ',' or '}' after an object element, found ${describe(t)}`, t.line);
      }
    });
  }

  private objectKey(): Expr {
    const t = this.peek();
    const after = this.at(1);
    if (t.type === 'ident' && (this.isPunct(after, '=') || this.isPunct(after, ':'))) {
      this.i++;
      return { type: 'literal', value: t.text, range: { line: t.line, endLine: t.line } };
    }
    return this.expression();
  }

  private forExpr(open: Token, close: ']' | '}'): Expr {
    this.expectKeyword('for', 'to start a for expression');
    const first = this.expectIdent("after 'for'").text;
    let keyVar: string | undefined;
    let valueVar = first;
    if (this.isPunct(this.peek(), ',')) {
      this.i++;
      keyVar = first;
      valueVar = this.expectIdent("after ',' in a for expression").text;
    }
    this.expectKeyword('in', 'in a for expression');
    const collection = this.expression();
    this.expectPunct(':', 'after the collection of a for expression');
    let keyExpr: Expr | undefined;
    if (close === '}') {
      keyExpr = this.expression();
      this.expectPunct('=>', 'between key and value of a for expression');
    }
    const valueExpr = this.expression();
    let grouping = false;
    if (close === '}' && this.isPunct(this.peek(), '...')) {
      this.i++;
      grouping = true;
    }
    let condition: Expr | undefined;
    if (this.isKeyword(this.peek(), 'if')) {
      this.i++;
      condition = this.expression();
    }
    this.expectPunct(close, 'to close the for expression');
    const node: ForExpr = {
      type: 'for',
      valueVar,
      collection,
      valueExpr,
      grouping,
      range: this.from(open.line),
      ...(keyVar !== undefined ? { keyVar } : {}),
      ...(keyExpr ? { keyExpr } : {}),
      ...(condition ? { condition } : {}),
    };
    return node;
  }

  // ---- templates

  private template(end: TemplateEnd, open: Token): TemplateExpr {
    return this.nested(open.line, () => {
      const parts = this.templateParts(end, []).parts;
      return { type: 'template', parts, range: this.from(open.line) };
    });
  }

  bareTemplate(line: number): TemplateExpr {
    const parts = this.templateParts('eof', []).parts;
    return { type: 'template', parts, range: { line, endLine: line } };
  }

  /** Template parts up to `end`, or up to one of the directive keywords in `until` (consumed). */
  private templateParts(
    end: TemplateEnd,
    until: readonly string[],
  ): { parts: TemplatePart[]; ended: string } {
    const parts: TemplatePart[] = [];
    for (;;) {
      const t = this.tokens[this.i]!;
      if (t.type === 'text') {
        this.i++;
        const last = parts[parts.length - 1];
        if (last?.type === 'text') {
          last.value += t.text;
          last.range = { line: last.range.line, endLine: t.line };
        } else if (t.text !== '')
          parts.push({ type: 'text', value: t.text, range: { line: t.line, endLine: t.line } });
      } else if (t.type === 'interp-open') {
        this.i++;
        const expr = this.withNewlines(true, () => this.expression());
        this.sequenceEnd('interpolation');
        parts.push({ type: 'interpolation', expr, range: this.from(t.line) });
      } else if (t.type === 'directive-open') {
        const keyword = this.withNewlines(true, () => this.at(1));
        if (until.includes(keyword.text) && keyword.type === 'ident') {
          this.i++;
          this.withNewlines(true, () => this.next());
          this.sequenceEnd(`%{ ${keyword.text} }`);
          return { parts, ended: keyword.text };
        }
        this.i++;
        parts.push(this.nested(t.line, () => this.directive(t, end)));
      } else if (t.type === end) {
        if (until.length > 0) this.fail(`missing %{ ${until[until.length - 1]} }`, t.line);
        if (end !== 'eof') this.i++;
        return { parts, ended: end };
      } else {
        this.fail(`unexpected ${describe(t)} in a template`, t.line);
      }
    }
  }

  private sequenceEnd(what: string): void {
    const t = this.withNewlines(true, () => this.next());
    if (t.type !== 'seq-close') this.fail(`expected '}' to close the ${what}, found ${describe(t)}`, t.line);
  }

  private directive(open: Token, end: TemplateEnd): TemplatePart {
    const keyword = this.withNewlines(true, () => this.next());
    if (this.isKeyword(keyword, 'if')) {
      const condition = this.withNewlines(true, () => this.expression());
      this.sequenceEnd('%{ if }');
      const ifTrue = this.templateParts(end, ['else', 'endif']);
      const ifFalse = ifTrue.ended === 'else' ? this.templateParts(end, ['endif']).parts : [];
      return { type: 'if', condition, ifTrue: ifTrue.parts, ifFalse, range: this.from(open.line) };
    }
    if (this.isKeyword(keyword, 'for')) {
      const header = this.withNewlines(true, () => {
        const first = this.expectIdent("after '%{ for'").text;
        let keyVar: string | undefined;
        let valueVar = first;
        if (this.isPunct(this.peek(), ',')) {
          this.i++;
          keyVar = first;
          valueVar = this.expectIdent("after ',' in '%{ for'").text;
        }
        this.expectKeyword('in', "in '%{ for'");
        return { keyVar, valueVar, collection: this.expression() };
      });
      this.sequenceEnd('%{ for }');
      const body = this.templateParts(end, ['endfor']).parts;
      return {
        type: 'for',
        valueVar: header.valueVar,
        collection: header.collection,
        body,
        range: this.from(open.line),
        ...(header.keyVar !== undefined ? { keyVar: header.keyVar } : {}),
      };
    }
    this.fail(`unexpected template directive ${describe(keyword)}`, keyword.line);
  }

  /**
   * `<<-`: removes the smallest indentation of the heredoc's lines from each of them. Works on
   * the tokens ahead, up to the matching heredoc-close, before they are parsed.
   */
  private removeHeredocIndent(): void {
    const lines: Token[] = [];
    let depth = 0;
    for (let j = this.i; j < this.tokens.length; j++) {
      const t = this.tokens[j]!;
      if (t.type === 'interp-open' || t.type === 'directive-open' || t.type === 'heredoc-open') depth++;
      else if (t.type === 'seq-close') depth--;
      else if (t.type === 'heredoc-close' && depth-- === 0) break;
      else if (t.type === 'text' && t.lineStart && depth === 0) lines.push(t);
    }
    let min = Number.POSITIVE_INFINITY;
    for (const t of lines) {
      const indent = /^[ \t]*/.exec(t.text)![0].length;
      const blank = indent === t.text.length || t.text[indent] === '\n' || t.text[indent] === '\r';
      if (!blank) min = Math.min(min, indent);
    }
    if (!Number.isFinite(min) || min === 0) return;
    for (const t of lines) {
      const indent = /^[ \t]*/.exec(t.text)![0].length;
      t.text = t.text.slice(Math.min(indent, min));
    }
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'end of file';
    case 'newline':
      return 'end of line';
    case 'quote-open':
      return 'a string';
    case 'heredoc-open':
      return 'a heredoc';
    case 'text':
      return 'text';
    case 'interp-open':
      return "'${'";
    case 'directive-open':
      return "'%{'";
    case 'seq-close':
      return "'}'";
    default:
      return `'${t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text}'`;
  }
}
