import type { Ecosystem, Package } from '../../types.js';
import { normalizePypiName } from '../purl.js';
import { type ParsedPurl, parsePurl } from '../purl-parse.js';
import { PROP, type PropertyBag } from './properties.js';
import { analyzerFor, ECOSYSTEMS } from './vocabulary.js';

/**
 * One package as an SBOM describes it (a CycloneDX component or an SPDX package, already
 * read into plain fields) → a Package. Identity comes from the purl: ecosystem from its type,
 * name from namespace and name, version (with the rpm epoch qualifier), arch, distro. The rest
 * from Ringfence's own properties when the document has them, else from Trivy's and Syft's
 * (`aquasecurity:trivy:*`, `syft:*`), else from purl qualifiers (`upstream`).
 */

export interface SbomEntry {
  name?: string;
  /** CycloneDX group: Maven group id, npm scope. */
  group?: string;
  version?: string;
  purl?: string;
  licenses: string[];
  props: PropertyBag;
  /** Paths the document gives outside properties (SPDX sourceInfo). */
  paths?: string[];
  /** An OS package of the document contains it (SPDX CONTAINS). */
  osOwned?: boolean;
}

type EntryResult =
  | { kind: 'package'; pkg: Package; layer?: { index?: number; diffId: string }; purl: ParsedPurl }
  | { kind: 'skipped'; reason: string };

const TRIVY = 'aquasecurity:trivy:';
const SYFT_LAYER = /^syft:location:\d+:layerID$/;
const SYFT_PATH = /^syft:location:\d+:path$/;

export function packageFromEntry(entry: SbomEntry): EntryResult {
  if (!entry.purl) return { kind: 'skipped', reason: 'without a purl' };
  const purl = parsePurl(entry.purl);
  if (!purl) return { kind: 'skipped', reason: 'with an invalid purl' };
  if (!ECOSYSTEMS.has(purl.type)) return { kind: 'skipped', reason: `of purl type "${purl.type}"` };
  const ecosystem = purl.type as Ecosystem;
  const version = purlVersion(ecosystem, purl) ?? entry.version;
  if (!version) return { kind: 'skipped', reason: 'without a version' };
  const p = entry.props;

  const fromPurl = purlName(ecosystem, purl);
  const written = joinGroup(ecosystem, entry.group, entry.name);
  const pkg: Package = {
    name: written && sameName(ecosystem, written, fromPurl) ? written : fromPurl,
    version,
    ecosystem,
    purl: entry.purl,
    paths: paths(entry),
    analyzer:
      p.first(PROP.analyzer) ??
      analyzerFor(ecosystem, {
        syftCataloger: p.first('syft:package:foundBy'),
        trivyType: p.first(`${TRIVY}PkgType`),
      }),
  };
  const arch = p.first(PROP.arch) ?? purl.qualifiers.arch;
  if (arch) pkg.arch = arch;
  const source = sourcePackage(ecosystem, version, p, purl);
  if (source) pkg.source = source;
  if (entry.licenses.length > 0) pkg.licenses = entry.licenses;
  if (p.first(PROP.osOwned) === 'true' || entry.osOwned) pkg.osOwned = true;
  if (p.first(PROP.dev) === 'true') pkg.dev = true;
  const layer = layerOf(p);
  return layer ? { kind: 'package', pkg, layer, purl } : { kind: 'package', pkg, purl };
}

/** The package name as Ringfence spells it: "@scope/name", "group:artifact", "module/path". */
function purlName(ecosystem: Ecosystem, purl: ParsedPurl): string {
  if (!purl.namespace) return purl.name;
  switch (ecosystem) {
    case 'maven':
      return `${purl.namespace}:${purl.name}`;
    case 'npm':
    case 'golang':
    case 'composer':
      return `${purl.namespace}/${purl.name}`;
    default:
      return purl.name;
  }
}

function joinGroup(
  ecosystem: Ecosystem,
  group: string | undefined,
  name: string | undefined,
): string | undefined {
  if (!name || !group) return name;
  return ecosystem === 'maven' ? `${group}:${name}` : `${group}/${name}`;
}

/** Purls fold case (and PyPI names); the document's own spelling wins when it is the same name. */
function sameName(ecosystem: Ecosystem, a: string, b: string): boolean {
  if (ecosystem === 'pypi') return normalizePypiName(a) === normalizePypiName(b);
  return a.toLowerCase() === b.toLowerCase();
}

/** rpm purls keep the epoch in a qualifier; Ringfence versions are `[epoch:]version-release`. */
function purlVersion(ecosystem: Ecosystem, purl: ParsedPurl): string | undefined {
  if (!purl.version) return undefined;
  const epoch = purl.qualifiers.epoch;
  return ecosystem === 'rpm' && epoch ? `${epoch}:${purl.version}` : purl.version;
}

function paths(entry: SbomEntry): string[] {
  const p = entry.props;
  const found = [
    ...p.all(PROP.path),
    ...p.all(`${TRIVY}FilePath`),
    ...[...p.matching(SYFT_PATH)].map(([, value]) => value),
  ];
  const listed = found.length > 0 ? found : (entry.paths ?? []);
  return [...new Set(listed.map((path) => path.replace(/^\/+/, '')).filter((path) => path !== ''))];
}

function layerOf(p: PropertyBag): { index?: number; diffId: string } | undefined {
  const ours = p.first(PROP.layerDiffId);
  if (ours) {
    const index = Number(p.first(PROP.layerIndex));
    return Number.isSafeInteger(index) && index >= 0 ? { index, diffId: ours } : { diffId: ours };
  }
  const diffId = p.first(`${TRIVY}LayerDiffID`) ?? [...p.matching(SYFT_LAYER)][0]?.[1];
  return diffId ? { diffId } : undefined;
}

function sourcePackage(
  ecosystem: Ecosystem,
  version: string,
  p: PropertyBag,
  purl: ParsedPurl,
): Package['source'] | undefined {
  const name = p.first(PROP.sourceName);
  const ours = p.first(PROP.sourceVersion);
  if (name && ours) return { name, version: ours };

  const trivyName = p.first(`${TRIVY}SrcName`);
  const trivyVersion = p.first(`${TRIVY}SrcVersion`);
  if (trivyName && trivyVersion) {
    const epoch = p.first(`${TRIVY}SrcEpoch`);
    const release = p.first(`${TRIVY}SrcRelease`);
    return {
      name: trivyName,
      version: `${epoch && epoch !== '0' ? `${epoch}:` : ''}${trivyVersion}${release ? `-${release}` : ''}`,
    };
  }

  const syftName = p.first('syft:metadata:source') ?? p.first('syft:metadata:originPackage');
  if (syftName) return { name: syftName, version: p.first('syft:metadata:sourceVersion') ?? version };
  const srpm = p.first('syft:metadata:sourceRpm');
  const fromSrpm = srpm && ecosystem === 'rpm' ? /^(.+)-[^-]+-[^-]+\.src\.rpm$/.exec(srpm)?.[1] : undefined;
  if (fromSrpm) return { name: fromSrpm, version };

  const upstream = purl.qualifiers.upstream;
  if (!upstream) return undefined;
  const at = upstream.indexOf('@');
  return at > 0
    ? { name: upstream.slice(0, at), version: upstream.slice(at + 1) }
    : { name: upstream, version };
}
