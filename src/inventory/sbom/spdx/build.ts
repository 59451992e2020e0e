import type { Inventory, OsInfo } from '../../../types.js';
import { packageVersion } from '../../../util/version.js';
import { documentTime, nameBasedUuid, packageKey, spdxIdString, UniqueIds } from '../identity.js';
import { classifyLicense, joinLicenseExpressions, licenseRefFor } from '../licenses.js';
import { imageProperties, osProperties, type Property, packageProperties } from '../properties.js';
import { describeSubject } from '../subject.js';
import {
  NOASSERTION,
  type SpdxAnnotation,
  type SpdxDocument,
  type SpdxPackage,
  type SpdxRelationship,
} from './model.js';

/**
 * Inventory → SPDX 2.3 JSON document. The document DESCRIBES the image (or directory), which
 * CONTAINS the OS and every package. Packages carry their purl as a PACKAGE-MANAGER external
 * reference, declared licenses as one SPDX expression (names that are not SPDX ids become
 * `LicenseRef-` ids with their text in hasExtractedLicensingInfos), and the `ringfence:`
 * properties (layer, paths, source package, OS ownership) as annotations `NAME: VALUE`.
 * The namespace is a name-based UUID of the inventory, so it is unique per content and stable.
 */

interface SpdxOptions {
  /** ISO 8601 creation time; defaults to documentTime(). */
  created?: string;
}

export function buildSpdx(inventory: Inventory, options: SpdxOptions = {}): SpdxDocument {
  const created = options.created ?? documentTime();
  const tool = `Tool: ringfence-${packageVersion()}`;
  const annotate = (properties: Property[]): SpdxAnnotation[] =>
    properties.map((p) => ({
      annotationDate: created,
      annotationType: 'OTHER',
      annotator: tool,
      comment: `${p.name}: ${p.value}`,
    }));
  const subject = describeSubject(inventory);
  const ids = new UniqueIds();
  const licenseRefs = new LicenseRefs();

  const root: SpdxPackage = {
    SPDXID: ids.take(subject.isImage ? 'SPDXRef-Image' : 'SPDXRef-Directory'),
    name: subject.name,
    ...(subject.version ? { versionInfo: subject.version } : {}),
    ...unassertedPackage(),
    ...(subject.purl ? { externalRefs: [purlRef(subject.purl)] } : {}),
    primaryPackagePurpose: subject.isImage
      ? 'CONTAINER'
      : inventory.source.type === 'fs'
        ? 'SOURCE'
        : 'OTHER',
    annotations: annotate(imageProperties(inventory)),
  };
  const checksum = subject.version ? /^sha(256|512):([a-f0-9]+)$/.exec(subject.version) : null;
  if (checksum)
    root.checksums = [
      { algorithm: checksum[1] === '256' ? 'SHA256' : 'SHA512', checksumValue: checksum[2]! },
    ];

  const packages = [root];
  if (inventory.os) packages.push(osPackage(inventory.os, ids.take('SPDXRef-OperatingSystem'), annotate));
  for (const pkg of inventory.packages) {
    const id = ids.take(`SPDXRef-Package-${pkg.ecosystem}-${spdxIdString(pkg.name, 48)}-${packageKey(pkg)}`);
    packages.push({
      SPDXID: id,
      name: pkg.name,
      versionInfo: pkg.version,
      ...unassertedPackage(),
      licenseDeclared: declaredLicense(pkg.licenses ?? [], licenseRefs),
      ...(pkg.purl ? { externalRefs: [purlRef(pkg.purl)] } : {}),
      primaryPackagePurpose: 'LIBRARY',
      annotations: annotate(packageProperties(pkg)),
    });
  }

  const relationships: SpdxRelationship[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: root.SPDXID },
    ...packages.slice(1).map(
      (p): SpdxRelationship => ({
        spdxElementId: root.SPDXID,
        relationshipType: 'CONTAINS',
        relatedSpdxElement: p.SPDXID,
      }),
    ),
  ];

  const { warnings: _notInDocument, ...content } = inventory;
  const uuid = nameBasedUuid(JSON.stringify({ tool, content }));
  const document: SpdxDocument = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: subject.name,
    documentNamespace: `https://spdx.org/spdxdocs/ringfence-${spdxIdString(subject.name, 64) || 'sbom'}-${uuid}`,
    creationInfo: { created, creators: [tool] },
    packages,
    relationships,
  };
  const extracted = licenseRefs.extractedLicensingInfos();
  if (extracted.length > 0) document.hasExtractedLicensingInfos = extracted;
  return document;
}

export function serializeSpdx(document: SpdxDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

function unassertedPackage() {
  return {
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
  } as const;
}

function purlRef(purl: string): NonNullable<SpdxPackage['externalRefs']>[number] {
  return { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl };
}

function osPackage(
  os: OsInfo,
  id: string,
  annotate: (properties: Property[]) => SpdxAnnotation[],
): SpdxPackage {
  const pkg: SpdxPackage = {
    SPDXID: id,
    name: os.family,
    versionInfo: os.version,
    ...unassertedPackage(),
    primaryPackagePurpose: 'OPERATING-SYSTEM',
  };
  if (os.prettyName) pkg.description = os.prettyName;
  const properties = osProperties(os);
  if (properties.length > 0) pkg.annotations = annotate(properties);
  return pkg;
}

/** The document's `LicenseRef-` ids, one per license name, each defined in hasExtractedLicensingInfos. */
export class LicenseRefs {
  private readonly byName = new Map<string, string>();
  private readonly ids = new UniqueIds();

  refFor(name: string): string {
    let ref = this.byName.get(name);
    if (!ref) {
      ref = this.ids.take(licenseRefFor(name));
      this.byName.set(name, ref);
    }
    return ref;
  }

  extractedLicensingInfos(): NonNullable<SpdxDocument['hasExtractedLicensingInfos']> {
    return [...this.byName].map(([name, licenseId]) => ({ licenseId, extractedText: name, name }));
  }
}

/**
 * All declared licenses as one expression joined by AND: SPDX ids and expressions as they
 * are, anything else as a `LicenseRef-` id. An expression that itself names LicenseRefs is
 * taken as a name too, since its references are not defined in this document. NOASSERTION
 * when the package declares none.
 */
export function declaredLicense(declared: readonly string[], refs: LicenseRefs): string {
  if (declared.length === 0) return NOASSERTION;
  const parts = declared.map((text) => {
    const choice = classifyLicense(text);
    if (choice.kind === 'id') return choice.id;
    if (choice.kind === 'expression' && !/(License|Document)Ref-/.test(choice.expression))
      return choice.expression;
    return refs.refFor(text);
  });
  return joinLicenseExpressions(parts) ?? NOASSERTION;
}
