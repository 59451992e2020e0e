import { type ParsedPurl, parsePurl } from '../../inventory/purl-parse.js';
import { inputError } from '../../util/errors.js';

/**
 * OpenVEX documents (https://github.com/openvex/spec, v0.2.0, and the v0.0.x shapes vexctl
 * still writes: a vulnerability given as a string, products as purl strings). Each statement
 * says of some products and one vulnerability: not_affected (with a justification label or an
 * impact statement), affected (ideally with an action statement), fixed or under_investigation.
 * Statements carry their own timestamp or inherit the document's; for the same product and
 * vulnerability the latest statement wins. A statement that breaks the specification is a
 * one-line error naming the file and the statement, never silently ignored.
 */

export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';
const STATUSES = new Set<string>(['not_affected', 'affected', 'fixed', 'under_investigation']);
const JUSTIFICATIONS = new Set([
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
]);

export interface VexProduct {
  /** The product's purls (`@id` and `identifiers.purl`). */
  purls: ParsedPurl[];
  /** Each subcomponent's purls; empty when the statement is about the whole product. */
  subcomponents: ParsedPurl[][];
}

export interface VexStatement {
  /** The vulnerability's name and aliases. */
  ids: string[];
  products: VexProduct[];
  status: VexStatus;
  justification?: string;
  impactStatement?: string;
  actionStatement?: string;
  /** Milliseconds since the epoch; statements without any timestamp count as oldest. */
  timestamp: number;
  /** Document and statement position, to order statements with equal timestamps. */
  order: number;
  /** `file#index`, shown with suppressed findings. */
  origin: string;
}

export interface VexDocument {
  statements: VexStatement[];
  /** Products that name nothing a scan can match (no purl). */
  warnings: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `label` names the file in errors; `firstOrder` keeps statement order across several files. */
export function parseOpenVex(json: unknown, label: string, firstOrder = 0): VexDocument {
  if (!isObject(json) || typeof json['@context'] !== 'string' || !/openvex/i.test(json['@context']))
    throw inputError(label, 'not an OpenVEX document (no "@context" naming openvex.dev)');
  if (!Array.isArray(json.statements)) throw inputError(label, '"statements" must be an array');
  const documentTime = timestamp(json.timestamp, label, 'timestamp');
  const warnings: string[] = [];
  const statements = json.statements.map((raw, i) => {
    const where = `statements[${i}]`;
    const fail = (problem: string) => inputError(label, `${where}: ${problem}`);
    if (!isObject(raw)) throw fail('not an object');
    const status = raw.status;
    if (typeof status !== 'string' || !STATUSES.has(status))
      throw fail(`status must be one of ${[...STATUSES].join(', ')}`);
    const statement: VexStatement = {
      ids: vulnerabilityIds(raw.vulnerability, fail),
      products: products(raw.products, fail, (w) => warnings.push(`${label}: ${where}: ${w}`)),
      status: status as VexStatus,
      timestamp: timestamp(raw.timestamp, label, `${where}.timestamp`) ?? documentTime ?? 0,
      order: firstOrder + i,
      origin: `${label}#${i}`,
    };
    const justification = optionalString(raw.justification, fail, 'justification');
    const impact = optionalString(raw.impact_statement, fail, 'impact_statement');
    const action = optionalString(raw.action_statement, fail, 'action_statement');
    if (justification !== undefined && !JUSTIFICATIONS.has(justification))
      throw fail(`unknown justification '${justification}' (expected ${[...JUSTIFICATIONS].join(', ')})`);
    if (status === 'not_affected' && justification === undefined && impact === undefined)
      throw fail('a not_affected statement needs a justification or an impact_statement');
    if (justification !== undefined) statement.justification = justification;
    if (impact !== undefined) statement.impactStatement = impact;
    if (action !== undefined) statement.actionStatement = action;
    return statement;
  });
  return { statements, warnings };
}

function vulnerabilityIds(value: unknown, fail: (p: string) => Error): string[] {
  if (typeof value === 'string' && value.trim() !== '') return [value.trim()];
  if (!isObject(value)) throw fail('vulnerability must be an object with a name');
  const ids: string[] = [];
  if (typeof value.name === 'string' && value.name.trim() !== '') ids.push(value.name.trim());
  const id = value['@id'];
  if (typeof id === 'string' && id.trim() !== '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(id)) ids.push(id.trim());
  if (value.aliases !== undefined) {
    if (!Array.isArray(value.aliases) || value.aliases.some((a) => typeof a !== 'string'))
      throw fail('vulnerability.aliases must be a list of strings');
    ids.push(...(value.aliases as string[]).map((a) => a.trim()).filter((a) => a !== ''));
  }
  if (ids.length === 0) throw fail('vulnerability has no name');
  return [...new Set(ids)];
}

function products(value: unknown, fail: (p: string) => Error, warn: (w: string) => void): VexProduct[] {
  if (!Array.isArray(value) || value.length === 0) throw fail('products must be a non-empty list');
  return value.map((raw, j) => {
    const purls = componentPurls(raw, () => fail(`products[${j}] must be a purl or an object`));
    if (purls.length === 0) warn(`products[${j}] has no purl and matches nothing`);
    const subs = isObject(raw) ? raw.subcomponents : undefined;
    if (subs !== undefined && !Array.isArray(subs)) throw fail(`products[${j}].subcomponents must be a list`);
    const subcomponents = (subs ?? []).map((s, k) => {
      const found = componentPurls(s, () =>
        fail(`products[${j}].subcomponents[${k}] must be a purl or an object`),
      );
      if (found.length === 0) warn(`products[${j}].subcomponents[${k}] has no purl and matches nothing`);
      return found;
    });
    return { purls, subcomponents };
  });
}

function componentPurls(value: unknown, bad: () => Error): ParsedPurl[] {
  const texts: unknown[] = [];
  if (typeof value === 'string') texts.push(value);
  else if (isObject(value)) {
    texts.push(value['@id']);
    if (isObject(value.identifiers)) texts.push(value.identifiers.purl);
  } else throw bad();
  const out: ParsedPurl[] = [];
  for (const t of texts) {
    const purl = typeof t === 'string' ? parsePurl(t.trim()) : undefined;
    if (purl) out.push(purl);
  }
  return out;
}

function optionalString(value: unknown, fail: (p: string) => Error, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw fail(`${field} must be a string`);
  return value.trim() === '' ? undefined : value;
}

function timestamp(value: unknown, label: string, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw inputError(label, `${field} is not an RFC 3339 timestamp`);
  return ms;
}
