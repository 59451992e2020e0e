import type { Command } from 'commander';
import { registerVulnScan } from './vuln-scan.js';

export function registerRootfs(program: Command): void {
  registerVulnScan(program, {
    name: 'rootfs',
    mode: 'rootfs',
    description: 'find vulnerabilities in an unpacked root filesystem (OS and language packages)',
    argument: 'root filesystem directory (/ for this machine)',
  });
}
