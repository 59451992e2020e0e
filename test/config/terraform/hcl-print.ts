import type { Expr, TemplatePart } from '../../../src/config/terraform/hcl/ast.js';

/**
 * Prints an expression tree back to HCL, for the parser's round-trip property. Every compound
 * operand is parenthesised (the parser keeps no parentheses), templates are always quoted.
 */
export function printExpr(e: Expr): string {
  switch (e.type) {
    case 'literal':
      return typeof e.value === 'string' ? `"${escapeText(e.value)}"` : String(e.value);
    case 'template':
      return `"${printParts(e.parts)}"`;
    case 'variable':
      return e.name;
    case 'tuple':
      return `[${e.items.map(printExpr).join(', ')}]`;
    case 'object':
      return `{ ${e.items.map((i) => `${printKey(i.key)} = ${printExpr(i.value)}`).join(', ')} }`;
    case 'call':
      return `${e.name}(${e.args.map(printExpr).join(', ')}${e.expandFinal ? '...' : ''})`;
    case 'getattr':
      return `${operand(e.target)}.${e.name}`;
    case 'index':
      return `${operand(e.target)}[${printExpr(e.key)}]`;
    case 'splat':
      return `${operand(e.source)}${e.full ? '[*]' : '.*'}${printExpr(e.each)}`;
    case 'splat-item':
      return '';
    case 'unary':
      return `${e.op}${operand(e.operand)}`;
    case 'binary':
      return `${operand(e.left)} ${e.op} ${operand(e.right)}`;
    case 'conditional':
      return `${operand(e.condition)} ? ${operand(e.ifTrue)} : ${operand(e.ifFalse)}`;
    case 'for': {
      const vars = e.keyVar !== undefined ? `${e.keyVar}, ${e.valueVar}` : e.valueVar;
      const head = `for ${vars} in ${operand(e.collection)} : `;
      const cond = e.condition ? ` if ${operand(e.condition)}` : '';
      if (e.keyExpr)
        return `{${head}${operand(e.keyExpr)} => ${operand(e.valueExpr)}${e.grouping ? '...' : ''}${cond}}`;
      return `[${head}${operand(e.valueExpr)}${cond}]`;
    }
  }
}

function operand(e: Expr): string {
  const compound = ['unary', 'binary', 'conditional', 'splat'].includes(e.type);
  return compound ? `(${printExpr(e)})` : printExpr(e);
}

/** A literal string key came from a bare identifier; any other key is an expression in parentheses. */
function printKey(key: Expr): string {
  return key.type === 'literal' && typeof key.value === 'string' ? key.value : `(${printExpr(key)})`;
}

function printParts(parts: readonly TemplatePart[]): string {
  return parts.map(printPart).join('');
}

function printPart(p: TemplatePart): string {
  switch (p.type) {
    case 'text':
      return escapeText(p.value);
    case 'interpolation':
      return `\${${printExpr(p.expr)}}`;
    case 'if':
      return `%{ if ${printExpr(p.condition)} }${printParts(p.ifTrue)}%{ else }${printParts(p.ifFalse)}%{ endif }`;
    case 'for': {
      const vars = p.keyVar !== undefined ? `${p.keyVar}, ${p.valueVar}` : p.valueVar;
      return `%{ for ${vars} in ${printExpr(p.collection)} }${printParts(p.body)}%{ endfor }`;
    }
  }
}

function escapeText(text: string): string {
  return text
    .replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, '%%{');
}
