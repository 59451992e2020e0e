import { emptyReport, type Report } from '../report/index.js';
import type { Inventory } from '../types.js';
import { inputError, type UserError } from '../util/errors.js';
import { type ConfigScanResult, scanConfigPath } from './engine/scan.js';
import { configKinds } from './kinds.js';

interface ConfigScanRequest {
  /** `--skip-dirs` patterns (on top of .git, node_modules...). */
  skipDirs?: readonly string[];
  onFile?: (path: string) => void;
  /** Settings for file kinds by flag name (`{ 'k8s-version': '1.30' }`). */
  settings?: Readonly<Record<string, string>>;
}

/**
 * `ringfence config PATH`: scans with every registered file kind and returns the report.
 * Malformed files become report errors; only when nothing at all could be parsed is it a
 * UserError (exit 2), naming the first problem.
 */
export async function scanConfig(target: string, request: ConfigScanRequest = {}): Promise<Report> {
  const result = await scanConfigPath(target, { kinds: configKinds, ...request });
  if (result.scanned.length === 0 && result.errors.length > 0) throw nothingReadable(target, result);
  return {
    ...emptyReport({ name: target, type: 'config', files: result.scanned.length }),
    findings: result.findings.filter((f) => f.status === 'open'),
    suppressed: result.findings.filter((f) => f.status !== 'open'),
    errors: result.errors.map((e) => ({ target: where(e), message: e.message })),
    warnings: result.warnings,
  };
}

/** What `--scanners misconfig` adds to an image, root filesystem or source tree report, from the inventory. */
export function inventoryMisconfigurations(
  inventory: Inventory,
): Pick<Report, 'findings' | 'suppressed' | 'errors' | 'warnings'> & { files: number } {
  if (!inventory.misconfigurations) {
    const warning = `${inventory.source.ref}: an SBOM lists packages, not configuration files; no misconfiguration scan`;
    return { findings: [], suppressed: [], errors: [], warnings: [warning], files: 0 };
  }
  return {
    findings: inventory.misconfigurations.filter((f) => f.status === 'open'),
    suppressed: inventory.misconfigurations.filter((f) => f.status !== 'open'),
    errors: (inventory.configErrors ?? []).map((e) => ({ target: where(e), message: e.message })),
    warnings: [],
    files: inventory.configFiles?.length ?? 0,
  };
}

function where(e: { path: string; line?: number }): string {
  return e.line ? `${e.path}:${e.line}` : e.path;
}

function nothingReadable(target: string, result: ConfigScanResult): UserError {
  const first = result.errors[0]!;
  if (result.errors.length === 1 && first.path === target) {
    return inputError(target, first.line ? `line ${first.line}: ${first.message}` : first.message);
  }
  const n = result.errors.length;
  return inputError(
    target,
    `no configuration file could be read (${n} error${n === 1 ? '' : 's'}; first: ${where(first)}: ${first.message})`,
  );
}
