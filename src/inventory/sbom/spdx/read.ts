import type { Inventory, OsInfo } from '../../../types.js';
import { inputError } from '../../../util/errors.js';
import { parsePurl } from '../../purl-parse.js';
import { assembleInventory, type SbomReading } from '../assemble.js';
import type { SbomEntry } from '../entry.js';
import { asArray, asObject, asString, field, type JsonObject } from '../json.js';
import { splitLicenseConjunction } from '../licenses.js';
import { PROP, PropertyBag } from '../properties.js';
import { osIdFor } from '../vocabulary.js';

/**
 * SPDX 2.x JSON → Inventory. The package the document DESCRIBES is the image; a package
 * whose purpose is OPERATING-SYSTEM is the OS; the others are packages, identified by their
 * purl external reference. Properties come from annotations and attribution texts of the form
 * `NAME: VALUE` (Ringfence's own names; Trivy's bare names are read as `aquasecurity:trivy:NAME`).
 * A language package that an OS package CONTAINS is OS-owned.
 */

const MAX_PACKAGES = 1_000_000;

const OS_PURL_TYPES = new Set(['deb', 'rpm', 'apk']);
const NON_PACKAGE_PURPOSES = new Set([
  'CONTAINER',
  'OPERATING-SYSTEM',
  'APPLICATION',
  'SOURCE',
  'FILE',
  'ARCHIVE',
]);

export function readSpdx(doc: JsonObject, ref: string): Inventory {
  const packages = arrayField(doc, 'packages', ref);
  if (packages.length > MAX_PACKAGES) throw inputError(ref, `SPDX: more than ${MAX_PACKAGES} packages`);
  const relationships = arrayField(doc, 'relationships', ref).flatMap((r) => {
    const o = asObject(r);
    const from = asString(field(o, 'spdxElementId'));
    const type = asString(field(o, 'relationshipType'));
    const to = asString(field(o, 'relatedSpdxElement'));
    return from && type && to ? [{ from, type, to }] : [];
  });
  const described = new Set<string>(
    asArray(field(doc, 'documentDescribes')).flatMap((d) => asString(d) ?? []),
  );
  for (const r of relationships) {
    if (r.type === 'DESCRIBES' && r.from === 'SPDXRef-DOCUMENT') described.add(r.to);
    if (r.type === 'DESCRIBED_BY' && r.to === 'SPDXRef-DOCUMENT') described.add(r.from);
  }
  const licenseNames = extractedLicenseNames(doc);

  const byId = new Map<string, JsonObject>();
  for (const item of packages) {
    const pkg = asObject(item);
    const id = asString(field(pkg, 'SPDXID'));
    if (pkg && id && !byId.has(id)) byId.set(id, pkg);
  }
  const osOwned = osOwnedIds(relationships, byId);

  const reading: SbomReading = { format: 'SPDX', subject: { props: new PropertyBag() }, entries: [] };
  let subjectFound = false;
  for (const [id, pkg] of byId) {
    const purpose = asString(field(pkg, 'primaryPackagePurpose'));
    if (described.has(id) && !subjectFound) {
      subjectFound = true;
      reading.subject = { props: annotations(pkg), version: asString(field(pkg, 'versionInfo')) };
      continue;
    }
    if (purpose === 'OPERATING-SYSTEM' || id.startsWith('SPDXRef-OperatingSystem')) {
      reading.os ??= osFrom(pkg);
      continue;
    }
    const purl = purlOf(pkg);
    if (!purl && purpose !== undefined && NON_PACKAGE_PURPOSES.has(purpose)) continue;
    reading.entries.push(entryFrom(pkg, purl, licenseNames, osOwned.has(id)));
  }
  return assembleInventory(ref, reading);
}

function arrayField(doc: JsonObject, key: string, ref: string): readonly unknown[] {
  const value = field(doc, key);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw inputError(ref, `SPDX: "${key}" is not an array`);
  return value;
}

/** LicenseRef id → the license's name (or its text) from hasExtractedLicensingInfos. */
function extractedLicenseNames(doc: JsonObject): Map<string, string> {
  const names = new Map<string, string>();
  for (const item of asArray(field(doc, 'hasExtractedLicensingInfos'))) {
    const info = asObject(item);
    const id = asString(field(info, 'licenseId'));
    const name = asString(field(info, 'name')) ?? asString(field(info, 'extractedText'));
    if (id && name) names.set(id, name);
  }
  return names;
}

/** Packages that an OS package (deb, rpm, apk purl) CONTAINS. */
function osOwnedIds(
  relationships: { from: string; type: string; to: string }[],
  byId: Map<string, JsonObject>,
) {
  const owned = new Set<string>();
  for (const r of relationships) {
    if (r.type !== 'CONTAINS') continue;
    const owner = byId.get(r.from);
    const type = owner ? parsePurl(purlOf(owner) ?? '')?.type : undefined;
    if (type && OS_PURL_TYPES.has(type)) owned.add(r.to);
  }
  return owned;
}

function purlOf(pkg: JsonObject): string | undefined {
  for (const item of asArray(field(pkg, 'externalRefs'))) {
    const ref = asObject(item);
    if (asString(field(ref, 'referenceType'))?.toLowerCase() === 'purl')
      return asString(field(ref, 'referenceLocator'));
  }
  return undefined;
}

/** `NAME: VALUE` annotations and attribution texts; a Trivy annotation's bare NAME gets Trivy's prefix. */
function annotations(pkg: JsonObject): PropertyBag {
  const bag = new PropertyBag();
  const add = (comment: string | undefined, trivy: boolean) => {
    const colon = comment?.indexOf(': ') ?? -1;
    if (!comment || colon <= 0) return;
    const name = comment.slice(0, colon);
    bag.add(trivy && !name.includes(':') ? `aquasecurity:trivy:${name}` : name, comment.slice(colon + 2));
  };
  for (const item of asArray(field(pkg, 'annotations'))) {
    const a = asObject(item);
    const annotator = asString(field(a, 'annotator')) ?? '';
    const comment = field(a, 'comment');
    add(typeof comment === 'string' ? comment : undefined, /^Tool: trivy/i.test(annotator));
  }
  for (const text of asArray(field(pkg, 'attributionTexts'))) add(asString(text), true);
  return bag;
}

function entryFrom(
  pkg: JsonObject,
  purl: string | undefined,
  licenseNames: Map<string, string>,
  osOwned: boolean,
): SbomEntry {
  const entry: SbomEntry = { licenses: licenses(pkg, licenseNames), props: annotations(pkg) };
  const name = asString(field(pkg, 'name'));
  if (name) entry.name = name;
  const version = asString(field(pkg, 'versionInfo'));
  if (version) entry.version = version;
  if (purl) entry.purl = purl;
  const paths = sourceInfoPaths(asString(field(pkg, 'sourceInfo')));
  if (paths.length > 0) entry.paths = paths;
  if (osOwned) entry.osOwned = true;
  return entry;
}

/** licenseDeclared (else licenseConcluded) split at its top-level ANDs, LicenseRefs by name. */
function licenses(pkg: JsonObject, licenseNames: Map<string, string>): string[] {
  const declared = [asString(field(pkg, 'licenseDeclared')), asString(field(pkg, 'licenseConcluded'))].find(
    (l) => l !== undefined && l !== 'NOASSERTION' && l !== 'NONE',
  );
  if (!declared) return [];
  const parts = splitLicenseConjunction(declared) ?? [declared];
  return parts.map((part) => licenseNames.get(part) ?? part);
}

/** Syft's "acquired package info from DPKG DB: /var/lib/dpkg/status, /usr/share/doc/x/copyright". */
function sourceInfoPaths(sourceInfo: string | undefined): string[] {
  const m = sourceInfo ? /^acquired package info from [^:]*: (.+)$/s.exec(sourceInfo) : null;
  return m ? m[1]!.split(/, /).filter((p) => p.startsWith('/')) : [];
}

function osFrom(pkg: JsonObject): OsInfo | undefined {
  const name = asString(field(pkg, 'name'));
  if (!name) return undefined;
  const props = annotations(pkg);
  const os: OsInfo = { family: osIdFor(name), version: asString(field(pkg, 'versionInfo')) ?? '' };
  const codename = props.first(PROP.osCodename);
  if (codename) os.codename = codename;
  const prettyName = props.first(PROP.osPrettyName) ?? asString(field(pkg, 'description'));
  if (prettyName) os.prettyName = prettyName;
  return os;
}
