import type { Property } from '../properties.js';

/**
 * The parts of a CycloneDX 1.6 JSON BOM that Ringfence writes (field names as the
 * specification spells them). Commands may add sections before serialising, such as
 * `vulnerabilities` for a vulnerability report.
 */

export const CYCLONEDX_SCHEMA = 'http://cyclonedx.org/schema/bom-1.6.schema.json';

export type CdxComponentType = 'application' | 'container' | 'file' | 'library' | 'operating-system';

export type CdxLicenses = ({ license: { id: string } | { name: string } } | { expression: string })[];

export interface CdxHash {
  alg: 'SHA-256' | 'SHA-512';
  content: string;
}

export interface CdxComponent {
  'bom-ref': string;
  type: CdxComponentType;
  group?: string;
  name: string;
  version?: string;
  description?: string;
  hashes?: CdxHash[];
  licenses?: CdxLicenses;
  purl?: string;
  properties?: Property[];
}

export interface CdxDependency {
  ref: string;
  dependsOn?: string[];
}

export interface CycloneDxBom {
  $schema: string;
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  /** Set by serializeCycloneDx from the content. */
  serialNumber?: string;
  version: number;
  metadata: {
    timestamp: string;
    tools: { components: CdxComponent[] };
    component: CdxComponent;
    properties?: Property[];
  };
  components: CdxComponent[];
  dependencies: CdxDependency[];
  /** Added by vulnerability scans (CycloneDX 1.6 `vulnerabilities` objects). */
  vulnerabilities?: Record<string, unknown>[];
}
