import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import parseExpression from 'spdx-expression-parse';
import { parsePurl } from '../../../src/inventory/purl-parse.js';

/**
 * Validators for the SBOMs Ringfence writes.
 *
 * CycloneDX: the official 1.6 JSON schema (with its SPDX license-id and JSF sub-schemas) as
 * the CycloneDX JavaScript library ships them, with the formats the schema names.
 *
 * SPDX: no npm package ships the official SPDX 2.3 JSON schema, so `spdxProblems` checks what
 * the SPDX 2.3 specification requires of the fields Ringfence writes: required fields and
 * their enumerations, SPDXID syntax and uniqueness, relationships between elements that
 * exist, license expressions valid against the SPDX license list with every LicenseRef
 * defined, purl external references that parse, and nothing else at the top level.
 */

const require = createRequire(import.meta.url);
/** iri-reference and idn-email, which the CycloneDX schema uses (the package has no types). */
const addDraft2019Formats = require('ajv-formats-draft2019') as (ajv: Ajv.default) => void;
const SCHEMA_DIR = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res/schema');
const schema = (name: string) => JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8'));

let cyclonedx: ValidateFunction | undefined;

/** Problems the official CycloneDX 1.6 schema finds ([] when valid). */
export function cycloneDxProblems(bom: unknown): string[] {
  if (!cyclonedx) {
    const ajv = new Ajv.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    addDraft2019Formats(ajv);
    // The BOM schema refers to its sub-schemas by their file names, relative to its own $id.
    for (const name of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json'])
      ajv.addSchema({ ...schema(name), $id: `http://cyclonedx.org/schema/${name}` });
    cyclonedx = ajv.compile(schema('bom-1.6.SNAPSHOT.schema.json'));
  }
  return cyclonedx(bom) ? [] : (cyclonedx.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** The SPDX license ids the CycloneDX schema accepts in `license.id`. */
export function cycloneDxLicenseIds(): Set<string> {
  return new Set(schema('spdx.SNAPSHOT.schema.json').enum as string[]);
}

const SPDX_ID = /^SPDXRef-[A-Za-z0-9.-]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const PURPOSES = [
  'APPLICATION',
  'FRAMEWORK',
  'LIBRARY',
  'CONTAINER',
  'OPERATING-SYSTEM',
  'DEVICE',
  'FIRMWARE',
  'SOURCE',
  'ARCHIVE',
  'FILE',
  'INSTALL',
  'OTHER',
];
const DOCUMENT_FIELDS = [
  'spdxVersion',
  'dataLicense',
  'SPDXID',
  'name',
  'documentNamespace',
  'creationInfo',
  'packages',
  'hasExtractedLicensingInfos',
  'relationships',
];
const PACKAGE_FIELDS = [
  'SPDXID',
  'name',
  'versionInfo',
  'downloadLocation',
  'filesAnalyzed',
  'checksums',
  'licenseConcluded',
  'licenseDeclared',
  'copyrightText',
  'description',
  'externalRefs',
  'primaryPackagePurpose',
  'annotations',
];

// biome-ignore lint/suspicious/noExplicitAny: a document under test, checked field by field
type Json = any;

export function spdxProblems(doc: Json): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  for (const key of Object.keys(doc)) check(DOCUMENT_FIELDS.includes(key), `unknown document field ${key}`);
  check(doc.spdxVersion === 'SPDX-2.3', 'spdxVersion');
  check(doc.dataLicense === 'CC0-1.0', 'dataLicense');
  check(doc.SPDXID === 'SPDXRef-DOCUMENT', 'document SPDXID');
  check(typeof doc.name === 'string' && doc.name.length > 0, 'name');
  check(
    typeof doc.documentNamespace === 'string' &&
      /^[a-z][a-z0-9+.-]*:\/\/[^\s#]+$/.test(doc.documentNamespace) &&
      URL.canParse(doc.documentNamespace),
    'documentNamespace must be an absolute URI without #',
  );
  check(DATE.test(doc.creationInfo?.created), 'creationInfo.created');
  check(
    Array.isArray(doc.creationInfo?.creators) &&
      doc.creationInfo.creators.length > 0 &&
      doc.creationInfo.creators.every((c: string) => /^(Tool|Organization|Person): \S/.test(c)),
    'creationInfo.creators',
  );

  const extracted = new Set<string>();
  for (const info of doc.hasExtractedLicensingInfos ?? []) {
    check(/^LicenseRef-[A-Za-z0-9.-]+$/.test(info.licenseId), `licenseId ${info.licenseId}`);
    check(!extracted.has(info.licenseId), `licenseId ${info.licenseId} defined twice`);
    check(typeof info.extractedText === 'string' && info.extractedText.length > 0, 'extractedText');
    extracted.add(info.licenseId);
  }
  const license = (value: unknown, where: string) => {
    if (value === 'NOASSERTION' || value === 'NONE') return;
    try {
      const refs = String(value).match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? [];
      parseExpression(String(value));
      for (const ref of refs) check(extracted.has(ref), `${where}: ${ref} is not defined`);
    } catch {
      problems.push(`${where}: "${value}" is not an SPDX license expression`);
    }
  };

  const ids = new Set<string>(['SPDXRef-DOCUMENT']);
  for (const [i, p] of (doc.packages ?? []).entries()) {
    const where = `packages[${i}]`;
    for (const key of Object.keys(p)) check(PACKAGE_FIELDS.includes(key), `${where}: unknown field ${key}`);
    check(SPDX_ID.test(p.SPDXID), `${where}: SPDXID ${p.SPDXID}`);
    check(!ids.has(p.SPDXID), `${where}: SPDXID ${p.SPDXID} used twice`);
    ids.add(p.SPDXID);
    check(typeof p.name === 'string' && p.name.length > 0, `${where}: name`);
    check(p.versionInfo === undefined || typeof p.versionInfo === 'string', `${where}: versionInfo`);
    check(p.downloadLocation === 'NOASSERTION', `${where}: downloadLocation`);
    check(p.filesAnalyzed === false, `${where}: filesAnalyzed`);
    check(p.copyrightText === 'NOASSERTION', `${where}: copyrightText`);
    check(PURPOSES.includes(p.primaryPackagePurpose), `${where}: primaryPackagePurpose`);
    license(p.licenseConcluded, `${where}.licenseConcluded`);
    license(p.licenseDeclared, `${where}.licenseDeclared`);
    for (const c of p.checksums ?? [])
      check(
        ['SHA256', 'SHA512'].includes(c.algorithm) && /^[a-f0-9]+$/.test(c.checksumValue),
        `${where}: checksum`,
      );
    for (const r of p.externalRefs ?? []) {
      check(r.referenceCategory === 'PACKAGE-MANAGER' && r.referenceType === 'purl', `${where}: externalRef`);
      check(parsePurl(r.referenceLocator) !== undefined && !/\s/.test(r.referenceLocator), `${where}: purl`);
    }
    for (const a of p.annotations ?? [])
      check(
        a.annotationType === 'OTHER' &&
          DATE.test(a.annotationDate) &&
          /^Tool: \S/.test(a.annotator) &&
          typeof a.comment === 'string',
        `${where}: annotation`,
      );
  }

  const relationshipTypes = ['DESCRIBES', 'CONTAINS'];
  let describes = 0;
  for (const [i, r] of (doc.relationships ?? []).entries()) {
    check(relationshipTypes.includes(r.relationshipType), `relationships[${i}]: type`);
    check(ids.has(r.spdxElementId) && ids.has(r.relatedSpdxElement), `relationships[${i}]: unknown element`);
    if (r.relationshipType === 'DESCRIBES' && r.spdxElementId === 'SPDXRef-DOCUMENT') describes++;
  }
  check(describes === 1, 'the document DESCRIBES exactly one element');
  return problems;
}
