import type { SourceFile } from '../engine/check.js';
import { parseJsonWithLines } from '../engine/json.js';
import { parseYaml, type YamlLocations } from '../engine/yaml.js';
import { looksLikeJson } from './detect.js';
import { yamlLocator } from './locate.js';
import type { KubernetesFile, ManifestObject } from './model.js';
import type { PodCheckContext } from './pod/check.js';
import type { PodTemplate } from './pod/model.js';
import { isKind, podTemplatePath } from './resources.js';
import { type Fields, field, isRecord, recordAt, stringOf } from './values.js';
import { k8sMinorSetting } from './version.js';

/** Lists inside Lists deeper than this are not expanded (nobody writes them; hostile files might). */
const MAX_LIST_DEPTH = 8;

/**
 * Parses a manifest file: every document, `List` and `*List` objects expanded into their items,
 * and the pod of every workload.
 */
export function parseManifests(source: SourceFile): KubernetesFile {
  const k8sMinor = k8sMinorSetting(source.settings);
  const { values, locations } = readDocuments(source.text);
  const objects: ManifestObject[] = [];
  for (const value of values) collectObjects(value, locations, objects, 0);
  const pods = objects.flatMap((obj) => podOf(obj) ?? []);
  return { objects, pods, podContext: podContextOf(objects, k8sMinor) };
}

/** JSON as JSON, YAML as kubectl reads it: YAML 1.1, where `yes` is true and `0644` is octal. */
function readDocuments(text: string): { values: unknown[]; locations: YamlLocations } {
  if (looksLikeJson(text)) {
    const { value, locations } = parseJsonWithLines(text);
    return { values: [value], locations };
  }
  const { documents, locations } = parseYaml(text, { version: '1.1' });
  return { values: documents.map((d) => d.value), locations };
}

/** The ServiceAccounts the file defines, for pods that run as them. */
function podContextOf(objects: readonly ManifestObject[], k8sMinor: number): PodCheckContext {
  const accounts = new Map<string, Fields>();
  for (const obj of objects) {
    if (isKind(obj, 'ServiceAccount')) accounts.set(`${obj.namespace ?? ''}/${obj.name}`, obj.fields);
  }
  return { k8sMinor, serviceAccount: (namespace, name) => accounts.get(`${namespace ?? ''}/${name}`) };
}

function collectObjects(
  value: unknown,
  locations: YamlLocations,
  into: ManifestObject[],
  depth: number,
): void {
  if (!isRecord(value)) return;
  const apiVersion = stringOf(value.apiVersion);
  const kind = stringOf(value.kind);
  if (apiVersion === undefined || kind === undefined) return;
  if (kind.endsWith('List') && Array.isArray(value.items)) {
    if (depth < MAX_LIST_DEPTH)
      for (const item of value.items) collectObjects(item, locations, into, depth + 1);
    return;
  }
  const metadata = recordAt(value, 'metadata');
  const namespace = stringOf(field(metadata, 'namespace'));
  const locate = yamlLocator(locations, value);
  into.push({
    apiVersion,
    kind,
    group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '',
    name: stringOf(field(metadata, 'name')) ?? stringOf(field(metadata, 'generateName')) ?? '(unnamed)',
    ...(namespace !== undefined ? { namespace } : {}),
    fields: value,
    locate,
    range: locate([]) ?? { line: 1, endLine: 1 },
  });
}

/** The pod a workload object defines, located inside it. */
function podOf(obj: ManifestObject): PodTemplate | undefined {
  const at = podTemplatePath(obj);
  if (!at) return undefined;
  let template: unknown = obj.fields;
  for (const key of at) template = field(template, String(key));
  const spec = recordAt(template, 'spec');
  if (!spec) return undefined;
  const specLines = obj.locate([...at, 'spec']) ?? obj.range;
  return {
    owner: {
      kind: obj.kind,
      name: obj.name,
      ...(obj.namespace !== undefined ? { namespace: obj.namespace } : {}),
    },
    metadata: recordAt(template, 'metadata') ?? {},
    spec,
    locate: (path) => obj.locate([...at, ...path]),
    anchor: { line: specLines.line, endLine: specLines.line },
    scope: obj.range,
  };
}
