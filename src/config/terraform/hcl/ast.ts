import type { LineRange } from '../../engine/check.js';

/**
 * The HCL2 native syntax as a tree (hashicorp/hcl hclsyntax spec). Every node carries the
 * lines it spans. Parentheses leave no node: `(a + b) * c` is a binary node whose left operand
 * is the sum. Strip markers (`~`) and heredoc indentation are already applied to literals.
 */

export type Expr =
  | LiteralExpr
  | TemplateExpr
  | VariableExpr
  | TupleExpr
  | ObjectExpr
  | CallExpr
  | GetAttrExpr
  | IndexExpr
  | SplatExpr
  | SplatItemExpr
  | UnaryExpr
  | BinaryExpr
  | ConditionalExpr
  | ForExpr;

interface Node {
  range: LineRange;
}

export interface LiteralExpr extends Node {
  type: 'literal';
  value: string | number | boolean | null;
}

export interface TemplateExpr extends Node {
  type: 'template';
  parts: TemplatePart[];
  /** A heredoc's first content line (for mapping text inside it back to the file). */
  heredocBodyLine?: number;
}

export type TemplatePart =
  | { type: 'text'; value: string; range: LineRange }
  | { type: 'interpolation'; expr: Expr; range: LineRange }
  | { type: 'if'; condition: Expr; ifTrue: TemplatePart[]; ifFalse: TemplatePart[]; range: LineRange }
  | {
      type: 'for';
      keyVar?: string;
      valueVar: string;
      collection: Expr;
      body: TemplatePart[];
      range: LineRange;
    };

export interface VariableExpr extends Node {
  type: 'variable';
  name: string;
}

export interface TupleExpr extends Node {
  type: 'tuple';
  items: Expr[];
}

export interface ObjectItem {
  /** A bare identifier key is a string literal; `(expr)` and other expressions are evaluated. */
  key: Expr;
  value: Expr;
}

export interface ObjectExpr extends Node {
  type: 'object';
  items: ObjectItem[];
}

export interface CallExpr extends Node {
  type: 'call';
  name: string;
  args: Expr[];
  /** The last argument was followed by `...`. */
  expandFinal: boolean;
}

export interface GetAttrExpr extends Node {
  type: 'getattr';
  target: Expr;
  name: string;
}

export interface IndexExpr extends Node {
  type: 'index';
  target: Expr;
  key: Expr;
}

/** `source[*].a.b` / `source.*.a`: `each` is evaluated for every element, on a SplatItemExpr. */
export interface SplatExpr extends Node {
  type: 'splat';
  source: Expr;
  each: Expr;
  full: boolean;
}

/** The element a splat's `each` traversal starts from. */
export interface SplatItemExpr extends Node {
  type: 'splat-item';
}

type UnaryOperator = '-' | '!';
export type BinaryOperator =
  | '||'
  | '&&'
  | '=='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>='
  | '+'
  | '-'
  | '*'
  | '/'
  | '%';

export interface UnaryExpr extends Node {
  type: 'unary';
  op: UnaryOperator;
  operand: Expr;
}

export interface BinaryExpr extends Node {
  type: 'binary';
  op: BinaryOperator;
  left: Expr;
  right: Expr;
}

export interface ConditionalExpr extends Node {
  type: 'conditional';
  condition: Expr;
  ifTrue: Expr;
  ifFalse: Expr;
}

export interface ForExpr extends Node {
  type: 'for';
  keyVar?: string;
  valueVar: string;
  collection: Expr;
  /** Present for `{for ...: k => v}`; absent for `[for ...: v]`. */
  keyExpr?: Expr;
  valueExpr: Expr;
  /** `...` after the value: group values by key. */
  grouping: boolean;
  condition?: Expr;
}

export interface Attribute {
  name: string;
  expr: Expr;
  /** From the name to the end of the value. */
  range: LineRange;
}

export interface Block {
  type: string;
  labels: string[];
  body: Body;
  /** From the type to the closing brace. */
  range: LineRange;
}

export interface Body {
  /** In source order; names are unique within a body. */
  attributes: Attribute[];
  blocks: Block[];
}
