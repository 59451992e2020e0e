import { ConfigParseError, type LineRange, type SourceFile } from '../engine/check.js';
import { parseJsonWithLines } from '../engine/json.js';
import { parseYaml } from '../engine/yaml.js';
import type { Locator } from '../iac/locator.js';
import { awsFromCloudFormation } from './aws/index.js';
import { Intrinsics } from './intrinsics.js';
import type { CloudFormationTemplate, TemplateResource } from './model.js';

/**
 * A template in YAML (with the short-form tags `!Ref`, `!Sub`, `!GetAtt`... read as their
 * `Ref`/`Fn::` forms) or JSON. A template whose Resources are not a mapping of resources with
 * a Type is malformed: CloudFormation would refuse it.
 */
export function parseTemplate(source: SourceFile): CloudFormationTemplate {
  const { value, locations } = source.text.trimStart().startsWith('{')
    ? parseJsonWithLines(source.text)
    : firstDocument(source.text);
  if (!isObject(value))
    throw new ConfigParseError('a CloudFormation template must be a mapping at the top level', 1);
  const sectionLines = (key: string): number => locations.entry(value, key)?.key.line ?? 1;
  const resourcesSection = value.Resources ?? {};
  if (!isObject(resourcesSection))
    throw new ConfigParseError('Resources must be a mapping', sectionLines('Resources'));
  const resources = Object.entries(resourcesSection).map(([logicalId, def]) =>
    resource(logicalId, def, locations.entry(resourcesSection, logicalId)),
  );
  const intrinsics = new Intrinsics({
    parameters: section(value.Parameters),
    mappings: section(value.Mappings),
    conditions: section(value.Conditions),
    resourceIds: new Set(resources.map((r) => r.logicalId)),
  });
  const template = { path: source.path, resources, intrinsics, locations };
  return { ...template, aws: awsFromCloudFormation(template) };
}

function firstDocument(text: string): { value: unknown; locations: Locator } {
  const parsed = parseYaml(text, { version: '1.1', onUnknownTag: shortForm });
  return { value: parsed.documents[0]?.value ?? null, locations: parsed.locations };
}

/** `!Ref x` → `{ Ref: x }`, `!GetAtt a.b` → `{ "Fn::GetAtt": [a, b] }`, `!Sub ...` → `{ "Fn::Sub": ... }`. */
function shortForm(tag: string, value: unknown): unknown {
  const name = tag.slice(1);
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

function resource(
  logicalId: string,
  def: unknown,
  at: { key: LineRange; value: LineRange } | undefined,
): TemplateResource {
  const line = at?.key.line ?? 1;
  if (!isObject(def) || typeof def.Type !== 'string')
    throw new ConfigParseError(`resource ${logicalId} must be a mapping with a Type`, line);
  const properties = def.Properties ?? {};
  if (!isObject(properties)) throw new ConfigParseError(`Properties of ${logicalId} must be a mapping`, line);
  return {
    logicalId,
    type: def.Type,
    properties,
    at: { line, endLine: at?.value.endLine ?? line },
    header: { line, endLine: line },
  };
}

function section(v: unknown): Record<string, unknown> {
  return isObject(v) ? v : {};
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
