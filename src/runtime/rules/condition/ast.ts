/**
 * The syntax tree of a Falco condition (libsinsp filter grammar). Offsets index the condition
 * text, so problems can point at the exact place.
 */

export const STRING_OPERATORS = [
  '=',
  '!=',
  'glob',
  'iglob',
  'contains',
  'icontains',
  'bcontains',
  'startswith',
  'bstartswith',
  'endswith',
  'regex',
] as const;
export const NUMERIC_OPERATORS = ['<=', '<', '>=', '>'] as const;
export const LIST_OPERATORS = ['intersects', 'in', 'pmatch'] as const;
export const TRANSFORMERS = ['tolower', 'toupper', 'b64', 'basename', 'len'] as const;

export type StringOperator = (typeof STRING_OPERATORS)[number];
export type NumericOperator = (typeof NUMERIC_OPERATORS)[number];
export type ListOperator = (typeof LIST_OPERATORS)[number];
export type BinaryOperator = StringOperator | NumericOperator | ListOperator;
export type Transformer = (typeof TRANSFORMERS)[number];

/** `proc.name`, `proc.aname[2]`, `proc.env[HOME]`. */
export interface FieldRef {
  kind: 'field';
  name: string;
  arg?: string;
  offset: number;
}

/** `tolower(proc.name)`, possibly nested. */
export interface TransformRef {
  kind: 'transform';
  fn: Transformer;
  operand: Operand;
  offset: number;
}

export type Operand = FieldRef | TransformRef;

/** `val(proc.pname)` on the right-hand side: compare with another field of the same event. */
export interface ValRef {
  kind: 'val';
  field: FieldRef;
  offset: number;
}

/** A literal as written (quotes removed, escapes resolved); a bare identifier after `in` may name a list. */
export interface ValueLit {
  kind: 'value';
  value: string;
  offset: number;
}

export interface ListLit {
  kind: 'list';
  values: string[];
  offset: number;
}

export type RightHand = ValueLit | ListLit | ValRef | TransformRef;

export type Expr =
  | { kind: 'and'; children: Expr[]; offset: number }
  | { kind: 'or'; children: Expr[]; offset: number }
  | { kind: 'not'; child: Expr; offset: number }
  /** A bare identifier: a macro reference. */
  | { kind: 'macro'; name: string; offset: number }
  | { kind: 'exists'; operand: Operand; offset: number }
  | { kind: 'compare'; operand: Operand; op: BinaryOperator; right: RightHand; offset: number };

export type CompareExpr = Extract<Expr, { kind: 'compare' }>;
