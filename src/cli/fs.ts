import type { Command } from 'commander';
import { registerVulnScan } from './vuln-scan.js';

export function registerFs(program: Command): void {
  registerVulnScan(program, {
    name: 'fs',
    mode: 'fs',
    description: 'find vulnerabilities in a source tree (lockfiles, manifests, binaries)',
    argument: 'directory or file to scan',
  });
}
