import type { Command } from 'commander';
import { registerVulnScan } from './vuln-scan.js';

export function registerImage(program: Command): void {
  registerVulnScan(program, {
    name: 'image',
    mode: 'image',
    description: 'find vulnerabilities in a container image (docker save archive, OCI layout or archive)',
    argument: 'image archive (docker-archive or OCI tar), OCI layout directory (PATH[:REF])',
    imageFlags: true,
  });
}
