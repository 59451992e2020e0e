import type { Inventory, OsInfo, Package } from '../../../types.js';
import { packageVersion } from '../../../util/version.js';
import { documentTime, nameBasedUuid, packageKey, UniqueIds } from '../identity.js';
import { classifyLicense } from '../licenses.js';
import { imageProperties, osProperties, packageProperties } from '../properties.js';
import { describeSubject } from '../subject.js';
import {
  type CdxComponent,
  type CdxHash,
  type CdxLicenses,
  CYCLONEDX_SCHEMA,
  type CycloneDxBom,
} from './model.js';

/**
 * Inventory → CycloneDX 1.6 BOM object. The scanned image (or directory) is the metadata
 * component, the OS an `operating-system` component, every package a `library` with its purl,
 * licenses and `ringfence:` properties (layer, paths, source package, OS ownership). Components
 * keep the inventory's order; bom-refs are the purl plus a hash of the package's identity, so
 * they are stable across runs and unique within the BOM. Callers may add sections (such as
 * `vulnerabilities`) to the object before `serializeCycloneDx`.
 */

interface CycloneDxOptions {
  /** ISO 8601 time for metadata.timestamp; defaults to documentTime(). */
  timestamp?: string;
}

export function buildCycloneDx(inventory: Inventory, options: CycloneDxOptions = {}): CycloneDxBom {
  const ids = new UniqueIds();
  const subject = describeSubject(inventory);
  const root: CdxComponent = {
    'bom-ref': ids.take(subject.purl ?? `ringfence:${inventory.source.type}:${subject.name}`),
    type: subject.isImage ? 'container' : 'file',
    name: subject.name,
  };
  if (subject.version) root.version = subject.version;
  const hashes = digestHashes(subject.version);
  if (hashes) root.hashes = hashes;
  if (subject.purl) root.purl = subject.purl;
  root.properties = imageProperties(inventory);

  const components: CdxComponent[] = [];
  if (inventory.os) components.push(osComponent(inventory.os, ids));
  for (const pkg of inventory.packages) components.push(packageComponent(pkg, ids));

  return {
    $schema: CYCLONEDX_SCHEMA,
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    metadata: {
      timestamp: options.timestamp ?? documentTime(),
      tools: {
        components: [
          {
            'bom-ref': ids.take(`ringfence-${packageVersion()}`),
            type: 'application',
            name: 'ringfence',
            version: packageVersion(),
          },
        ],
      },
      component: root,
    },
    components,
    dependencies: [{ ref: root['bom-ref'], dependsOn: components.map((c) => c['bom-ref']) }],
  };
}

/**
 * The BOM as JSON text. The serial number is a name-based UUID of everything but the
 * timestamp, so the same content always has the same serial number, and different content
 * (another package, an added vulnerability) a different one.
 */
export function serializeCycloneDx(bom: CycloneDxBom): string {
  const { $schema, bomFormat, specVersion, serialNumber: _ignored, ...rest } = bom;
  const content = JSON.stringify({ ...rest, metadata: { ...rest.metadata, timestamp: undefined } });
  const serialNumber = `urn:uuid:${nameBasedUuid(content)}`;
  return `${JSON.stringify({ $schema, bomFormat, specVersion, serialNumber, ...rest }, null, 2)}\n`;
}

function osComponent(os: OsInfo, ids: UniqueIds): CdxComponent {
  const component: CdxComponent = {
    'bom-ref': ids.take(`os:${os.family}@${os.version}`),
    type: 'operating-system',
    name: os.family,
    version: os.version,
  };
  if (os.prettyName) component.description = os.prettyName;
  const properties = osProperties(os);
  if (properties.length > 0) component.properties = properties;
  return component;
}

function packageComponent(pkg: Package, ids: UniqueIds): CdxComponent {
  const key = packageKey(pkg);
  const ref = pkg.purl ? `${pkg.purl}${pkg.purl.includes('?') ? '&' : '?'}package-id=${key}` : key;
  const { group, name } = groupAndName(pkg);
  const component: CdxComponent = {
    'bom-ref': ids.take(ref),
    type: 'library',
    ...(group ? { group } : {}),
    name,
    version: pkg.version,
  };
  const licenses = cdxLicenses(pkg.licenses ?? []);
  if (licenses) component.licenses = licenses;
  if (pkg.purl) component.purl = pkg.purl;
  component.properties = packageProperties(pkg);
  return component;
}

/** Maven's group id and npm's scope are the CycloneDX group; everything else is the name. */
function groupAndName(pkg: Package): { group?: string; name: string } {
  const sep =
    pkg.ecosystem === 'maven' ? ':' : pkg.ecosystem === 'npm' && pkg.name.startsWith('@') ? '/' : '';
  const at = sep ? pkg.name.lastIndexOf(sep) : -1;
  if (at <= 0 || at === pkg.name.length - 1) return { name: pkg.name };
  return { group: pkg.name.slice(0, at), name: pkg.name.slice(at + 1) };
}

/**
 * One SPDX expression when the package declares a single compound one; otherwise each
 * declared license as an SPDX id or, when it is none, by name (CycloneDX allows one
 * expression or a list of licenses, not both).
 */
export function cdxLicenses(declared: readonly string[]): CdxLicenses | undefined {
  if (declared.length === 0) return undefined;
  const choices = declared.map(classifyLicense);
  const only = choices[0]!;
  if (choices.length === 1 && only.kind === 'expression') return [{ expression: only.expression }];
  return choices.map((c, i) =>
    c.kind === 'id' ? { license: { id: c.id } } : { license: { name: declared[i]! } },
  );
}

function digestHashes(digest: string | undefined): CdxHash[] | undefined {
  const m = digest ? /^sha(256|512):([a-f0-9]+)$/.exec(digest) : null;
  return m ? [{ alg: m[1] === '256' ? 'SHA-256' : 'SHA-512', content: m[2]! }] : undefined;
}
