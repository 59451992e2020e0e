import type { Command } from 'commander';
import { registerVulnScan } from './vuln-scan.js';

export function registerImage(program: Command): void {
  registerVulnScan(program, {
    name: 'image',
    mode: 'image',
    description:
      'find vulnerabilities in a container image (reference, docker save archive, OCI layout or archive, SBOM file)',
    argument:
      'image reference (Docker daemon or registry), docker-archive or OCI tar, OCI layout directory (PATH[:REF]), or a CycloneDX/SPDX file',
    imageFlags: true,
  });
}
