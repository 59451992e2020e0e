import type { Inventory, LayerInfo, OsInfo, Package } from '../../types.js';

/**
 * What an SBOM says about a package or image beyond name, version, purl and licenses: the
 * `ringfence:` properties. CycloneDX carries them as component properties, SPDX as
 * annotations (`NAME: VALUE`); the names are the same in both, so one table serves the
 * writers and the readers. Names may repeat (one `ringfence:package:path` per path).
 */

export interface Property {
  name: string;
  value: string;
}

export const PROP = {
  analyzer: 'ringfence:package:analyzer',
  path: 'ringfence:package:path',
  arch: 'ringfence:package:arch',
  sourceName: 'ringfence:package:sourceName',
  sourceVersion: 'ringfence:package:sourceVersion',
  osOwned: 'ringfence:package:osOwned',
  dev: 'ringfence:package:dev',
  layerIndex: 'ringfence:layer:index',
  layerDiffId: 'ringfence:layer:diffID',
  sourceType: 'ringfence:source:type',
  imageId: 'ringfence:image:id',
  imageDigest: 'ringfence:image:digest',
  repoTag: 'ringfence:image:repoTag',
  architecture: 'ringfence:image:architecture',
  imageOs: 'ringfence:image:os',
  osCodename: 'ringfence:os:codename',
  osPrettyName: 'ringfence:os:prettyName',
} as const;

/** The fields of an image layer, each a `ringfence:layer:N:FIELD` property of the image. */
const LAYER_FIELDS = ['diffID', 'digest', 'size', 'mediaType', 'createdBy'] as const;
const LAYER_PROPERTY = /^ringfence:layer:(\d{1,6}):(diffID|digest|size|mediaType|createdBy)$/;

export function packageProperties(pkg: Package): Property[] {
  const out: Property[] = [{ name: PROP.analyzer, value: pkg.analyzer }];
  for (const path of pkg.paths) out.push({ name: PROP.path, value: path });
  if (pkg.arch) out.push({ name: PROP.arch, value: pkg.arch });
  if (pkg.source) {
    out.push({ name: PROP.sourceName, value: pkg.source.name });
    out.push({ name: PROP.sourceVersion, value: pkg.source.version });
  }
  if (pkg.layer) {
    out.push({ name: PROP.layerIndex, value: String(pkg.layer.index) });
    out.push({ name: PROP.layerDiffId, value: pkg.layer.diffId });
  }
  if (pkg.osOwned) out.push({ name: PROP.osOwned, value: 'true' });
  if (pkg.dev) out.push({ name: PROP.dev, value: 'true' });
  return out;
}

/** The scanned image or directory: source kind, ids, tags, platform and every layer. */
export function imageProperties(inventory: Inventory): Property[] {
  const s = inventory.source;
  const out: Property[] = [{ name: PROP.sourceType, value: s.type }];
  if (s.imageId) out.push({ name: PROP.imageId, value: s.imageId });
  if (s.digest) out.push({ name: PROP.imageDigest, value: s.digest });
  for (const tag of s.repoTags ?? []) out.push({ name: PROP.repoTag, value: tag });
  if (s.architecture) out.push({ name: PROP.architecture, value: s.architecture });
  if (s.os) out.push({ name: PROP.imageOs, value: s.os });
  for (const layer of inventory.layers)
    for (const field of LAYER_FIELDS) {
      const value = layerField(layer, field);
      if (value !== undefined) out.push({ name: `ringfence:layer:${layer.index}:${field}`, value });
    }
  return out;
}

function layerField(layer: LayerInfo, field: (typeof LAYER_FIELDS)[number]): string | undefined {
  switch (field) {
    case 'diffID':
      return layer.diffId;
    case 'size':
      return layer.size === undefined ? undefined : String(layer.size);
    default:
      return layer[field];
  }
}

export function osProperties(os: OsInfo): Property[] {
  const out: Property[] = [];
  if (os.codename) out.push({ name: PROP.osCodename, value: os.codename });
  if (os.prettyName) out.push({ name: PROP.osPrettyName, value: os.prettyName });
  return out;
}

/** Properties read back from a document, by name, in document order. */
export class PropertyBag {
  private readonly values = new Map<string, string[]>();

  constructor(properties: Iterable<Property> = []) {
    for (const p of properties) this.add(p.name, p.value);
  }

  add(name: string, value: string): void {
    const list = this.values.get(name);
    if (list) list.push(value);
    else this.values.set(name, [value]);
  }

  first(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  all(name: string): string[] {
    return this.values.get(name) ?? [];
  }

  /** Properties whose names match, with the match. */
  *matching(pattern: RegExp): Generator<[RegExpExecArray, string]> {
    for (const [name, list] of this.values) {
      const m = pattern.exec(name);
      if (m) for (const value of list) yield [m, value];
    }
  }
}

/** The layers an image's `ringfence:layer:N:FIELD` properties describe, by index. */
export function layersFromProperties(props: PropertyBag): LayerInfo[] {
  const byIndex = new Map<number, Partial<LayerInfo>>();
  for (const [m, value] of props.matching(LAYER_PROPERTY)) {
    const index = Number(m[1]);
    const layer = byIndex.get(index) ?? { index };
    byIndex.set(index, layer);
    switch (m[2]) {
      case 'diffID':
        layer.diffId = value;
        break;
      case 'size': {
        const size = Number(value);
        if (Number.isSafeInteger(size) && size >= 0) layer.size = size;
        break;
      }
      case 'digest':
        layer.digest = value;
        break;
      case 'mediaType':
        layer.mediaType = value;
        break;
      case 'createdBy':
        layer.createdBy = value;
        break;
    }
  }
  return [...byIndex.values()]
    .filter((l): l is LayerInfo => l.diffId !== undefined)
    .sort((a, b) => a.index - b.index);
}
