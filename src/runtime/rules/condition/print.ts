import type { Expr, FieldRef, Operand, RightHand } from './ast.js';

// Backspace is not whitespace to the bare-string token, but the lexer skips it as a blank.
const BARE = /^[^()"'\s=,\b]+$/;
const FIELD_ARG_BARE = /^[^\][\s"']+$/;

/** Prints a syntax tree back to condition text that parses to the same tree. */
export function printCondition(expr: Expr): string {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return expr.children
        .map((c) => (c.kind === 'and' || c.kind === 'or' ? `(${printCondition(c)})` : printCondition(c)))
        .join(` ${expr.kind} `);
    case 'not':
      return expr.child.kind === 'and' || expr.child.kind === 'or' || expr.child.kind === 'not'
        ? `not (${printCondition(expr.child)})`
        : `not ${printCondition(expr.child)}`;
    case 'macro':
      return expr.name;
    case 'exists':
      return `${printOperand(expr.operand)} exists`;
    case 'compare':
      return `${printOperand(expr.operand)} ${expr.op} ${printRight(expr.right)}`;
  }
}

export function printOperand(operand: Operand): string {
  return operand.kind === 'field' ? printField(operand) : `${operand.fn}(${printOperand(operand.operand)})`;
}

export function printField(field: FieldRef): string {
  if (field.arg === undefined) return field.name;
  return `${field.name}[${FIELD_ARG_BARE.test(field.arg) ? field.arg : quote(field.arg)}]`;
}

function printRight(right: RightHand): string {
  switch (right.kind) {
    case 'value':
      return printValue(right.value);
    case 'list':
      return `(${right.values.map(printValue).join(', ')})`;
    case 'val':
      return `val(${printField(right.field)})`;
    case 'transform':
      return printOperand(right);
  }
}

/** A literal, bare when the grammar allows it. */
export function printValue(value: string): string {
  return BARE.test(value) ? value : quote(value);
}

function quote(value: string): string {
  let out = '"';
  for (const c of value) {
    const code = c.charCodeAt(0);
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\b') out += '\\b';
    else if (c === '\f') out += '\\f';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `${out}"`;
}
