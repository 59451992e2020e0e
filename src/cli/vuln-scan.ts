import type { Command } from 'commander';
import type { ScanMode } from '../inventory/analyzer.js';
import { emitReport, type Report, type ReportFlags, validateReportFlags } from '../report/index.js';
import type { Inventory } from '../types.js';
import { UserError } from '../util/errors.js';
import { createProgress } from '../util/progress.js';
import { renderVulnerabilityBom } from '../vuln/cyclonedx.js';
import { SCANNERS, type Scanner, scanVulnerabilities } from '../vuln/scan.js';
import { layerProgress } from './sbom.js';
import { addImageSourceFlags, type ImageSourceFlags, imageSourceOptions } from './source-flags.js';

/** What `image`, `fs` and `rootfs` share: the scan flags and the action; each command file names its source. */

interface VulnScanFlags extends ReportFlags, ImageSourceFlags {
  scanners: string;
  ignoreUnfixed?: boolean;
  vex?: string[];
  skipDbUpdate?: boolean;
  dbMaxAge?: string;
}

interface VulnScanCommand {
  name: string;
  mode: ScanMode;
  description: string;
  argument: string;
  /** Image sources also take the image-source flags (--platform, --input, registry access...). */
  imageFlags?: boolean;
}

const FORMATS = ['table', 'json', 'sarif', 'junit', 'cyclonedx'];
const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--db-max-age 12h`: a number with s, m, h or d. */
function parseDuration(value: string, flag: string): number {
  const m = /^(\d+)([smhd])$/.exec(value.trim());
  if (!m) throw new UserError(`${flag}: expected a duration such as 30m, 12h or 7d, got '${value}'`);
  return Number(m[1]) * (UNITS[m[2] as string] as number);
}

/** `--scanners vuln,misconfig`. */
function parseScanners(value: string): Scanner[] {
  const names = value.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!SCANNERS.includes(name as Scanner))
      throw new UserError(`--scanners: unknown scanner '${name}' (expected ${SCANNERS.join(', ')})`);
  }
  return [...new Set(names as Scanner[])];
}

export function registerVulnScan(program: Command, spec: VulnScanCommand): void {
  const command = program
    .command(spec.name)
    .description(spec.description)
    .argument(spec.imageFlags ? '[source]' : '<source>', spec.argument)
    .option(
      '-f, --format <format>',
      'table, json, sarif, junit or cyclonedx (the SBOM with its vulnerabilities)',
      'table',
    )
    .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout')
    .option(
      '--scanners <list>',
      "what to look for: vuln (vulnerable packages), misconfig (configuration files, and an image's own config)",
      'vuln',
    )
    .option('-s, --severity <list>', 'only these severities (e.g. CRITICAL,HIGH)')
    .option('--exit-code <n>', 'exit with this code when findings at the selected severities remain')
    .option('--ignorefile <file>', 'ignore file (default .ringfenceignore)')
    .option('--ignore-unfixed', 'hide vulnerabilities without a fixed version')
    .option(
      '--vex <file>',
      'OpenVEX document: not_affected and fixed statements suppress findings (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--skip-db-update', 'never refresh the vulnerability database before scanning')
    .option('--db-max-age <duration>', 'refresh feeds checked longer ago than this (default 24h)');
  if (spec.imageFlags) addImageSourceFlags(command);
  command.action(async (source: string | undefined, flags: VulnScanFlags, cmd: Command) => {
    let inventory: Inventory | undefined;
    // CycloneDX describes the image too: its renderer reads the inventory once the scan is done.
    const output = {
      formats: FORMATS,
      renderers: { cyclonedx: (r: Report) => renderVulnerabilityBom(inventory as Inventory, r) },
    };
    validateReportFlags(flags, output);
    const scanners = parseScanners(flags.scanners);
    const dbMaxAgeMs =
      flags.dbMaxAge === undefined ? undefined : parseDuration(flags.dbMaxAge, '--db-max-age');
    const { quiet } = cmd.optsWithGlobals() as { quiet?: boolean };
    const progress = createProgress({ quiet });
    const scan = await scanVulnerabilities(source, {
      mode: spec.mode,
      scanners,
      ...(spec.imageFlags ? imageSourceOptions(flags) : {}),
      ignoreUnfixed: flags.ignoreUnfixed,
      vexFiles: flags.vex,
      skipDbUpdate: flags.skipDbUpdate,
      dbMaxAgeMs,
      onProgress: layerProgress(progress),
    }).finally(() => progress.done());
    inventory = scan.inventory;
    process.exitCode = await emitReport(scan.report, flags, output);
  });
}
