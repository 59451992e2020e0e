import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import parseExpression from 'spdx-expression-parse';

/**
 * License strings as packages declare them ("MIT", "mit", "GPL-2.0+ OR BSD-3-Clause",
 * "Apache License, Version 2.0") sorted into what SBOM formats can say: an SPDX license id
 * (matched case-insensitively, as the SPDX specification asks), a valid SPDX expression,
 * or a plain name. Ids and expression syntax come from the SPDX license list packages.
 */

type LicenseChoice =
  | { kind: 'id'; id: string }
  | { kind: 'expression'; expression: string }
  | { kind: 'name'; name: string };

const require = createRequire(import.meta.url);
const LICENSE_IDS: readonly string[] = [
  ...(require('spdx-license-ids') as string[]),
  ...(require('spdx-license-ids/deprecated.json') as string[]),
];
const CANONICAL = new Map(LICENSE_IDS.map((id) => [id.toLowerCase(), id]));

/** Longer strings are names: the expression scanner is quadratic in the input length. */
const MAX_EXPRESSION_LENGTH = 4096;

function canonicalLicenseId(text: string): string | undefined {
  return CANONICAL.get(text.toLowerCase());
}

export function classifyLicense(text: string): LicenseChoice {
  const id = canonicalLicenseId(text.trim());
  if (id) return { kind: 'id', id };
  const expression = normalizeLicenseExpression(text);
  return expression ? { kind: 'expression', expression } : { kind: 'name', name: text };
}

type Node = parseExpression.Info;

/** The expression with ids in their canonical case and operators upper-case, or undefined when it is not one. */
export function normalizeLicenseExpression(text: string): string | undefined {
  const tree = parseLicenseExpression(text);
  return tree ? render(tree) : undefined;
}

/**
 * The parts of an expression joined by AND at its top level, each rendered alone:
 * "(MIT OR X) AND Y" → ["MIT OR X", "Y"]. Undefined when the text is not an expression.
 */
export function splitLicenseConjunction(text: string): string[] | undefined {
  const tree = parseLicenseExpression(text);
  if (!tree) return undefined;
  const parts: string[] = [];
  const pending: Node[] = [tree];
  while (pending.length > 0) {
    const node = pending.shift()!;
    if ('conjunction' in node && node.conjunction === 'and') pending.unshift(node.left, node.right);
    else parts.push(render(node));
  }
  return parts;
}

/** Valid expressions joined by AND, parenthesised where precedence needs it. */
export function joinLicenseExpressions(expressions: readonly string[]): string | undefined {
  let joined: Node | undefined;
  for (const text of expressions) {
    const tree = parseLicenseExpression(text);
    if (!tree) return undefined;
    joined = joined ? { left: joined, conjunction: 'and', right: tree } : tree;
  }
  return joined && render(joined);
}

function parseLicenseExpression(text: string): Node | undefined {
  if (text.length > MAX_EXPRESSION_LENGTH || text.trim() === '') return undefined;
  const canonicalIds = text.replace(/[A-Za-z0-9.+-]+/g, (word) => canonicalLicenseId(word) ?? word);
  try {
    return parseExpression(canonicalIds);
  } catch {
    return undefined;
  }
}

function render(node: Node, parent?: 'and' | 'or'): string {
  if (!('conjunction' in node))
    return `${node.license}${node.plus ? '+' : ''}${node.exception ? ` WITH ${node.exception}` : ''}`;
  const text = `${render(node.left, node.conjunction)} ${node.conjunction.toUpperCase()} ${render(node.right, node.conjunction)}`;
  return parent === 'and' && node.conjunction === 'or' ? `(${text})` : text;
}

/** A `LicenseRef-` id for a license name: readable where it can be, unique through a hash of the name. */
export function licenseRefFor(name: string): string {
  const readable = name
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return readable ? `LicenseRef-${readable}-${hash}` : `LicenseRef-${hash}`;
}
