import type { LineRange } from '../../engine/check.js';
import type { Locator } from '../locator.js';
import { asBool, asObject, asString, isUnknown, type Maybe, UNKNOWN } from '../unknown.js';
import type { ContainerDefinition, Statement, StatementList } from './model.js';

/**
 * Nested JSON-like documents that both IaC syntaxes embed: IAM policy documents and ECS
 * container definitions. `resolve` turns what is written into a value (CloudFormation's
 * intrinsic functions; identity for values Terraform already evaluated), `locate` says where
 * entries were written; `within` is the range a location must fall into to be used (a value
 * that came from elsewhere, such as a variable's default, is reported at `within`).
 */
export interface DocumentReader {
  resolve(value: unknown): unknown;
  locate: Locator;
  within: LineRange;
}

export function entryLines(reader: DocumentReader, container: object, key: string | number): LineRange {
  const at = reader.locate.entry(container, key);
  if (!at) return reader.within;
  const range = { line: at.key.line, endLine: at.value.endLine };
  return range.line >= reader.within.line && range.endLine <= reader.within.endLine ? range : reader.within;
}

/** The statements of a policy document (`Statement` as one object or a list). */
export function policyStatements(document: unknown, reader: DocumentReader): Statement[] {
  const doc = asObject(reader.resolve(document));
  if (isUnknown(doc)) return [];
  const raw = reader.resolve(doc.Statement);
  const list = Array.isArray(raw) ? raw : raw !== undefined && raw !== null ? [raw] : [];
  const holder: object = Array.isArray(raw) ? raw : doc;
  return list.flatMap((item, i) => {
    const s = asObject(reader.resolve(item));
    if (isUnknown(s)) return [];
    return [statement(s, entryLines(reader, holder, Array.isArray(raw) ? i : 'Statement'), reader)];
  });
}

function statement(s: Record<string, unknown>, at: LineRange, reader: DocumentReader): Statement {
  const out: Statement = {
    at,
    effect: asString(reader.resolve(s.Effect)),
    hasCondition: conditionPresent(reader.resolve(s.Condition)),
  };
  const action = statementList(s, 'Action', reader);
  const notAction = statementList(s, 'NotAction', reader);
  const resource = statementList(s, 'Resource', reader);
  if (action) out.action = action;
  if (notAction) out.notAction = notAction;
  if (resource) out.resource = resource;
  if (s.Principal !== undefined)
    out.publicPrincipal = {
      value: isEveryone(reader.resolve(s.Principal), reader),
      at: entryLines(reader, s, 'Principal'),
    };
  return out;
}

function conditionPresent(v: unknown): Maybe<boolean> {
  if (isUnknown(v)) return UNKNOWN;
  if (v === undefined || v === null) return false;
  return typeof v !== 'object' || Object.keys(v).length > 0;
}

function statementList(
  s: Record<string, unknown>,
  name: string,
  reader: DocumentReader,
): StatementList | undefined {
  if (s[name] === undefined) return undefined;
  const v = reader.resolve(s[name]);
  const at = entryLines(reader, s, name);
  if (isUnknown(v)) return { name, values: UNKNOWN, at };
  const items = Array.isArray(v) ? v : [v];
  return { name, values: items.map((x) => asString(reader.resolve(x))), at };
}

/** `"*"`, `{"AWS": "*"}` or `{"AWS": [..., "*"]}`. */
function isEveryone(principal: unknown, reader: DocumentReader): Maybe<boolean> {
  if (isUnknown(principal)) return UNKNOWN;
  if (typeof principal === 'string') return principal === '*';
  const p = asObject(principal);
  if (isUnknown(p)) return UNKNOWN;
  const aws = reader.resolve(p.AWS);
  if (aws === undefined) return false;
  const ids = Array.isArray(aws) ? aws.map((x) => reader.resolve(x)) : [aws];
  if (ids.some((id) => id === '*')) return true;
  return ids.some(isUnknown) ? UNKNOWN : false;
}

/** ECS container definitions; field names differ by syntax (`privileged` in the ECS API's JSON, `Privileged` in CloudFormation). */
export function containerDefinitions(
  list: unknown,
  reader: DocumentReader,
  fields: { name: string; privileged: string },
): Maybe<ContainerDefinition[]> {
  const resolved = reader.resolve(list);
  if (!Array.isArray(resolved)) return UNKNOWN;
  return resolved.flatMap((item, i) => {
    const c = asObject(reader.resolve(item));
    if (isUnknown(c)) return [];
    const at = entryLines(reader, resolved, i);
    const raw = c[fields.privileged];
    return [
      {
        name: asString(reader.resolve(c[fields.name])),
        at,
        privileged:
          raw === undefined
            ? { value: false, name: fields.privileged }
            : {
                value: asBool(reader.resolve(raw)),
                at: entryLines(reader, c, fields.privileged),
                name: fields.privileged,
              },
      },
    ];
  });
}
