import type { Inventory, LayerInfo, OsInfo, Package } from '../../types.js';
import type { ParsedPurl } from '../purl-parse.js';
import { packageFromEntry, type SbomEntry } from './entry.js';
import { layersFromProperties, PROP, type PropertyBag } from './properties.js';
import { osIdFor } from './vocabulary.js';

/**
 * What an SBOM reader found (the described image, its OS, its packages) → Inventory. Shared
 * by the CycloneDX and SPDX readers: layers come from Ringfence's image properties, else
 * Trivy's DiffID list, else the packages' own layer ids in order of appearance; the OS from
 * the document's OS entry, else the `distro` qualifier most OS packages' purls carry.
 */

export interface SbomReading {
  /** The document's format, for warnings ("CycloneDX", "SPDX"). */
  format: string;
  subject: { props: PropertyBag; version?: string };
  os?: OsInfo;
  entries: SbomEntry[];
}

const OS_TYPES = new Set(['deb', 'rpm', 'apk']);

export function assembleInventory(ref: string, reading: SbomReading): Inventory {
  const warnings: string[] = [];
  const skipped = new Map<string, number>();
  const found: { pkg: Package; layer?: { index?: number; diffId: string }; purl: ParsedPurl }[] = [];
  for (const entry of reading.entries) {
    const result = packageFromEntry(entry);
    if (result.kind === 'package') found.push(result);
    else skipped.set(result.reason, (skipped.get(result.reason) ?? 0) + 1);
  }
  for (const [reason, count] of skipped)
    warnings.push(
      `${ref}: ${count} ${reading.format} package(s) ${reason} left out (nothing to match them by)`,
    );

  const layers = new LayerTable(documentLayers(reading.subject.props, found));
  const packages = found.map(({ pkg, layer }) => {
    if (layer) pkg.layer = layers.resolve(layer);
    return pkg;
  });

  const os = reading.os ?? osFromPurls(found.map((f) => f.purl));
  const inventory: Inventory = {
    source: { type: 'sbom', ref, ...imageSource(reading.subject) },
    layers: layers.list,
    packages,
    warnings,
  };
  if (os) inventory.os = os;
  return inventory;
}

function documentLayers(props: PropertyBag, found: { layer?: { diffId: string } }[]): LayerInfo[] {
  const ours = layersFromProperties(props);
  if (ours.length > 0) return ours;
  const trivy = props.all('aquasecurity:trivy:DiffID');
  const diffIds = trivy.length > 0 ? trivy : found.flatMap((f) => (f.layer ? [f.layer.diffId] : []));
  return [...new Set(diffIds)].map((diffId, index) => ({ index, diffId }));
}

/** The image's layers, numbered from 0 in order; package layers resolved against them. */
class LayerTable {
  readonly list: LayerInfo[];
  private readonly byDiffId = new Map<string, number>();

  constructor(layers: LayerInfo[]) {
    this.list = layers.map((l, index) => ({ ...l, index }));
    for (const l of this.list) if (!this.byDiffId.has(l.diffId)) this.byDiffId.set(l.diffId, l.index);
  }

  /** The layer with this diffID (the given index when several layers have it); a new one when none has. */
  resolve(layer: { index?: number; diffId: string }): { index: number; diffId: string } {
    if (layer.index !== undefined && this.list[layer.index]?.diffId === layer.diffId)
      return { index: layer.index, diffId: layer.diffId };
    let index = this.byDiffId.get(layer.diffId);
    if (index === undefined) {
      index = this.list.length;
      this.list.push({ index, diffId: layer.diffId });
      this.byDiffId.set(layer.diffId, index);
    }
    return { index, diffId: layer.diffId };
  }
}

function imageSource(subject: SbomReading['subject']): Partial<Inventory['source']> {
  const p = subject.props;
  const out: Partial<Inventory['source']> = {};
  const imageId = p.first(PROP.imageId) ?? p.first('aquasecurity:trivy:ImageID');
  if (imageId) out.imageId = imageId;
  const digest = written(p) ? p.first(PROP.imageDigest) : foreignDigest(p, subject.version);
  if (digest) out.digest = digest;
  const tags = p.all(PROP.repoTag);
  const repoTags = tags.length > 0 ? tags : p.all('aquasecurity:trivy:RepoTag');
  if (repoTags.length > 0) out.repoTags = repoTags;
  const architecture = p.first(PROP.architecture);
  if (architecture) out.architecture = architecture;
  const os = p.first(PROP.imageOs);
  if (os) out.os = os;
  return out;
}

/** Written by Ringfence: the image's properties say what was scanned. */
function written(p: PropertyBag): boolean {
  return p.first(PROP.sourceType) !== undefined;
}

/** Trivy's repo digest ("repo@sha256:…"), else the image component's version when it is a digest (Syft). */
function foreignDigest(p: PropertyBag, version: string | undefined): string | undefined {
  const repoDigest = p.first('aquasecurity:trivy:RepoDigest');
  if (repoDigest) return repoDigest.replace(/^.*@/, '');
  return version?.startsWith('sha256:') ? version : undefined;
}

/** The `distro` qualifier most OS packages carry ("debian-12", "alpine-3.20.3", "opensuse-leap-15.5"). */
function osFromPurls(purls: ParsedPurl[]): OsInfo | undefined {
  const counts = new Map<string, number>();
  for (const purl of purls) {
    const distro = OS_TYPES.has(purl.type) ? purl.qualifiers.distro : undefined;
    if (distro) counts.set(distro, (counts.get(distro) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [distro, count] of counts) if (!best || count > counts.get(best)!) best = distro;
  if (!best) return undefined;
  const m = /^(.+?)-(\d[^-]*)$/.exec(best);
  return m ? { family: osIdFor(m[1]!), version: m[2]! } : { family: osIdFor(best), version: '' };
}
