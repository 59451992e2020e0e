import {
  type BinaryOperator,
  type Expr,
  type FieldRef,
  LIST_OPERATORS,
  NUMERIC_OPERATORS,
  type Operand,
  type RightHand,
  STRING_OPERATORS,
  TRANSFORMERS,
  type Transformer,
  type TransformRef,
  type ValRef,
} from './ast.js';

/** A condition that does not follow the grammar; `offset` indexes the condition text. */
export class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ConditionSyntaxError';
  }
}

// Token shapes of libsinsp's filter grammar.
const NOT_BLANK = /not[ \t\n\v\f\r]+/y;
const IDENTIFIER = /[a-zA-Z]+[a-zA-Z0-9_]*/y;
const FIELD_NAME = /[a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+/y;
const FIELD_ARG_BARE = /[^\][\s"']+/y;
const HEX_NUMBER = /0[xX][0-9a-zA-Z]+/y;
const NUMBER = /[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?/y;
const BARE_STRING = /[^()"'\s=,]+/y;

// String operators are only recognised when a blank follows, as libsinsp does.
const STRING_OPERATOR_TOKENS: [string, BinaryOperator][] = [
  ['==', '='],
  ...STRING_OPERATORS.map((op): [string, BinaryOperator] => [op.length > 2 ? `${op} ` : op, op]),
];
const MAX_DEPTH = 200;

/** Parses a condition into its syntax tree; throws ConditionSyntaxError. */
export function parseCondition(text: string): Expr {
  return new Parser(text).parse();
}

/**
 * The value of a literal written quoted, as Falco list items may be (`'"(systemd)"'`);
 * undefined when `text` is not exactly one quoted string.
 */
export function unquote(text: string): string | undefined {
  try {
    return new Parser(text).wholeQuoted();
  } catch {
    return undefined;
  }
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): Expr {
    if (this.text.trim().length === 0) throw this.error('the condition is empty');
    const expr = this.parseOr();
    this.blank();
    if (this.pos !== this.text.length) throw this.error("unexpected token, expecting 'and', 'or' or the end");
    return expr;
  }

  wholeQuoted(): string | undefined {
    const value = this.quoted();
    return this.pos === this.text.length ? value : undefined;
  }

  private parseOr(): Expr {
    return this.nested(() => {
      this.blank();
      const offset = this.pos;
      const children = [this.parseAnd()];
      this.blank();
      while (this.literal('or')) {
        children.push(this.afterKeyword('or', () => this.parseAnd()));
        this.blank();
      }
      return children.length > 1 ? { kind: 'or', children, offset } : children[0]!;
    });
  }

  private parseAnd(): Expr {
    return this.nested(() => {
      this.blank();
      const offset = this.pos;
      const children = [this.parseNot()];
      this.blank();
      while (this.literal('and')) {
        children.push(this.afterKeyword('and', () => this.parseNot()));
        this.blank();
      }
      return children.length > 1 ? { kind: 'and', children, offset } : children[0]!;
    });
  }

  /** `and`/`or` must be followed by a blank or an opening parenthesis. */
  private afterKeyword(keyword: string, next: () => Expr): Expr {
    if (this.blank()) return next();
    if (this.literal('(')) return this.parseParenthesised();
    throw this.error(`expected a blank or '(' after '${keyword}'`);
  }

  private parseNot(): Expr {
    return this.nested(() => {
      this.blank();
      const offset = this.pos;
      let negated = false;
      while (this.token(NOT_BLANK) !== undefined) negated = !negated;
      let child: Expr;
      if (this.literal('not(')) {
        negated = !negated;
        child = this.parseParenthesised();
      } else {
        child = this.parseCheck();
      }
      return negated ? { kind: 'not', child, offset } : child;
    });
  }

  /** The rest of `( expr )` after the opening parenthesis. */
  private parseParenthesised(): Expr {
    return this.nested(() => {
      const expr = this.parseOr();
      this.blank();
      if (!this.literal(')')) throw this.error("expected a ')' token");
      return expr;
    });
  }

  private parseCheck(): Expr {
    return this.nested(() => {
      this.blank();
      const offset = this.pos;
      if (this.literal('(')) return this.parseParenthesised();
      const fieldName = this.token(FIELD_NAME);
      if (fieldName !== undefined) return this.parseCondition(this.parseFieldRest(fieldName, offset), offset);
      const transformer = this.transformerOpening();
      if (transformer) return this.parseCondition(this.parseTransformRest(transformer, offset), offset);
      const identifier = this.token(IDENTIFIER);
      if (identifier !== undefined) return { kind: 'macro', name: identifier, offset };
      throw this.error("expected a '(' token, a field check, or an identifier");
    });
  }

  private parseFieldRest(name: string, offset: number): FieldRef {
    if (!this.literal('[')) return { kind: 'field', name, offset };
    const arg = this.quoted() ?? this.token(FIELD_ARG_BARE);
    if (arg === undefined) throw this.error('expected a field argument: a quoted string or a bare string');
    if (!this.literal(']')) throw this.error("expected a ']' token");
    return { kind: 'field', name, arg, offset };
  }

  /** The rest of `fn( operand )` after the opening `fn(`. */
  private parseTransformRest(fn: Transformer, offset: number): TransformRef {
    return this.nested(() => {
      this.blank();
      const argOffset = this.pos;
      let operand: Operand | undefined;
      const inner = this.transformerOpening();
      if (inner) operand = this.parseTransformRest(inner, argOffset);
      else {
        const name = this.token(FIELD_NAME);
        if (name !== undefined) operand = this.parseFieldRest(name, argOffset);
      }
      if (!operand) throw this.error(`expected a field or a transformer inside '${fn}('`);
      this.blank();
      if (!this.literal(')')) throw this.error("expected a ')' token closing the transformer");
      return { kind: 'transform', fn, operand, offset };
    });
  }

  private parseCondition(operand: Operand, offset: number): Expr {
    this.blank();
    if (this.literal('exists')) return { kind: 'exists', operand, offset };
    for (const op of NUMERIC_OPERATORS) {
      if (this.literal(op)) return { kind: 'compare', operand, op, right: this.parseNumberValue(), offset };
    }
    for (const [token, op] of STRING_OPERATOR_TOKENS) {
      if (this.literal(token))
        return { kind: 'compare', operand, op, right: this.parseStringValue(), offset };
    }
    for (const op of LIST_OPERATORS) {
      if (this.literal(op)) return { kind: 'compare', operand, op, right: this.parseListValue(), offset };
    }
    throw this.error(
      `expected an operator: exists, ${[...NUMERIC_OPERATORS, ...STRING_OPERATORS, ...LIST_OPERATORS].join(', ')}`,
    );
  }

  private parseNumberValue(): RightHand {
    this.blank();
    const offset = this.pos;
    const computed = this.computedValue();
    if (computed) return computed;
    const value = this.token(HEX_NUMBER) ?? this.token(NUMBER);
    if (value === undefined) throw this.error('expected a number, val(field) or a transformer');
    return { kind: 'value', value, offset };
  }

  private parseStringValue(): RightHand {
    this.blank();
    const offset = this.pos;
    const computed = this.computedValue();
    if (computed) return computed;
    const value = this.quoted() ?? this.token(BARE_STRING);
    if (value === undefined) throw this.error('expected a string value, val(field) or a transformer');
    return { kind: 'value', value, offset };
  }

  private parseListValue(): RightHand {
    this.blank();
    const offset = this.pos;
    if (this.literal('(')) {
      const values: string[] = [];
      this.blank();
      const first = this.quoted() ?? this.token(BARE_STRING);
      if (first !== undefined) {
        values.push(first);
        this.blank();
        while (this.literal(',')) {
          this.blank();
          const next = this.quoted() ?? this.token(BARE_STRING);
          if (next === undefined) throw this.error('expected a list value after a comma');
          values.push(next);
          this.blank();
        }
      }
      if (!this.literal(')')) throw this.error("expected a ')' token closing the list");
      return { kind: 'list', values, offset };
    }
    const computed = this.computedValue();
    if (computed) return computed;
    const name = this.token(IDENTIFIER);
    if (name === undefined) throw this.error('expected a list, a list name, val(field) or a transformer');
    return { kind: 'value', value: name, offset };
  }

  /** `val(field)` or a transformer on the right-hand side, if one starts here. */
  private computedValue(): ValRef | TransformRef | undefined {
    const offset = this.pos;
    if (this.literal('val(')) {
      this.blank();
      const fieldOffset = this.pos;
      const name = this.token(FIELD_NAME);
      if (name === undefined) throw this.error("expected a field inside 'val('");
      const field = this.parseFieldRest(name, fieldOffset);
      this.blank();
      if (!this.literal(')')) throw this.error("expected a ')' token closing 'val('");
      return { kind: 'val', field, offset };
    }
    const fn = this.transformerOpening();
    return fn ? this.parseTransformRest(fn, offset) : undefined;
  }

  private transformerOpening(): Transformer | undefined {
    return TRANSFORMERS.find((fn) => this.literal(`${fn}(`));
  }

  /** A quoted string with its escapes resolved, if one starts here. */
  private quoted(): string | undefined {
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'") return undefined;
    const start = this.pos;
    let out = '';
    let i = start + 1;
    while (i < this.text.length) {
      const c = this.text[i]!;
      if (c === quote) {
        this.pos = i + 1;
        return out;
      }
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const [decoded, length] = this.escape(i, quote);
      out += decoded;
      i += length;
    }
    throw new ConditionSyntaxError('unterminated quoted string', start);
  }

  /** The escape sequence at `at` (a backslash): its value and its length in the text. */
  private escape(at: number, quote: string): [string, number] {
    const c = this.text[at + 1];
    switch (c) {
      case 'b':
        return ['\b', 2];
      case 'f':
        return ['\f', 2];
      case 'n':
        return ['\n', 2];
      case 'r':
        return ['\r', 2];
      case 't':
        return ['\t', 2];
      // libsinsp reads "\ " as a backslash (kept for rules written that way).
      case ' ':
      case '\\':
        return ['\\', 2];
      case '/':
        return ['/', 2];
      case '"':
      case "'":
        if (c !== quote)
          throw new ConditionSyntaxError(`invalid \\${c} escape in a ${quote}-quoted string`, at);
        return [c, 2];
      case 'x': {
        const hex = this.text.slice(at + 2, at + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new ConditionSyntaxError('\\x needs two hex digits', at);
        return [String.fromCharCode(Number.parseInt(hex, 16)), 4];
      }
      default:
        throw new ConditionSyntaxError(`unsupported escape sequence \\${c ?? ''}`, at);
    }
  }

  private token(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  private literal(s: string): boolean {
    if (!this.text.startsWith(s, this.pos)) return false;
    this.pos += s.length;
    return true;
  }

  private blank(): boolean {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      // space, \t, \b, \r, \n
      if (c !== 32 && c !== 9 && c !== 8 && c !== 13 && c !== 10) break;
      this.pos++;
    }
    return this.pos > start;
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw this.error(`the condition nests deeper than ${MAX_DEPTH} levels`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private error(message: string): ConditionSyntaxError {
    return new ConditionSyntaxError(message, this.pos);
  }
}
