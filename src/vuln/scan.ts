import { existsSync } from 'node:fs';
import { inventoryMisconfigurations } from '../config/scan-config.js';
import type { PullOptions } from '../image/named-image.js';
import type { ScanMode } from '../inventory/analyzer.js';
import { type ScanProgress, scanSource } from '../inventory/scan.js';
import { emptyReport, type Report } from '../report/index.js';
import type { Inventory } from '../types.js';
import { log } from '../util/log.js';
import { distroEcosystem } from './db/ecosystems.js';
import { ensureFresh } from './db/fresh.js';
import { openVulnDb, type VulnDb } from './db/query.js';
import { matchInventory } from './match/index.js';
import { planTarget } from './match/targets.js';
import { applyVex, type ScannedArtifact } from './vex/apply.js';
import { loadVexFiles } from './vex/load.js';
import type { VexDocument } from './vex/openvex.js';

/**
 * `ringfence image|fs|rootfs`: source → inventory → (database refreshed for what the
 * inventory holds, when stale) → matched findings → --ignore-unfixed → VEX → Report. The
 * ignore file, --severity and the exit-code gate are applied by report/emitReport. With the
 * `misconfig` scanner, the inventory's misconfigurations join the same report; without `vuln`,
 * the database is not touched.
 */

/** What a scan looks for (`--scanners`, Trivy's names). */
export type Scanner = 'vuln' | 'misconfig';
export const SCANNERS: readonly Scanner[] = ['vuln', 'misconfig'];

interface VulnScanOptions {
  mode: ScanMode;
  /** Default `['vuln']`. */
  scanners?: readonly Scanner[];
  platform?: string;
  input?: string;
  /** Image references: daemon or registry, TLS and credentials (cli/source-flags). */
  pull?: PullOptions;
  ignoreUnfixed?: boolean;
  vexFiles?: readonly string[];
  skipDbUpdate?: boolean;
  /** Feeds checked longer ago than this are refreshed before matching. */
  dbMaxAgeMs?: number;
  /** The database directory (default vulnDbDir()). */
  dbDir?: string;
  onProgress?: (event: ScanProgress) => void;
}

const EMPTY_DB_WARNING =
  'the vulnerability database is empty: NO package was checked, so "no findings" means nothing; run `ringfence db update` (or `ringfence db import`)';

interface VulnScan {
  report: Report;
  /** What was matched, for formats that describe the image as well (CycloneDX). */
  inventory: Inventory;
}

export async function scanVulnerabilities(
  source: string | undefined,
  options: VulnScanOptions,
): Promise<VulnScan> {
  const vex = await loadVexFiles(options.vexFiles ?? []);
  const inventory = await scanSource(source, {
    mode: options.mode,
    platform: options.platform,
    input: options.input,
    pull: options.pull,
    onProgress: options.onProgress,
  });
  const scanners = new Set(options.scanners ?? ['vuln']);
  const report = emptyReport(artifactOf(inventory));
  const warnings = [...inventory.warnings, ...vex.warnings];
  const dbWarnings = scanners.has('vuln')
    ? await matchVulnerabilities(inventory, vex, options, report, warnings)
    : [];
  if (scanners.has('misconfig')) {
    const misconfig = inventoryMisconfigurations(inventory);
    report.findings.push(...misconfig.findings);
    report.suppressed.push(...misconfig.suppressed);
    report.errors.push(...misconfig.errors);
    report.artifact.configFiles = misconfig.files;
    warnings.push(...misconfig.warnings);
  }
  for (const w of warnings) log.warn(w);
  report.warnings = [...dbWarnings, ...warnings];
  return { report, inventory };
}

/** Fills the report's vulnerabilities (and database summary); returns the database refresh's warnings. */
async function matchVulnerabilities(
  inventory: Inventory,
  vex: VexDocument,
  options: VulnScanOptions,
  report: Report,
  warnings: string[],
): Promise<string[]> {
  const needs = feedsNeeded(inventory);
  const fresh = await ensureFresh({
    ...needs,
    maxAgeMs: options.dbMaxAgeMs,
    skipUpdate: options.skipDbUpdate,
    dir: options.dbDir,
  });
  const db = existsSync(fresh.path) ? openVulnDb(fresh.path) : undefined;
  try {
    const database = describeDatabase(fresh.path, db, fresh.updated);
    report.artifact.database = database;
    if (database.empty) warnings.push(EMPTY_DB_WARNING);
    else if (db) {
      const matched = matchInventory(inventory, db);
      warnings.push(...matched.warnings);
      const shown = options.ignoreUnfixed
        ? matched.findings.filter((f) => f.details?.fixState === 'fixed')
        : matched.findings;
      const { open, suppressed } = applyVex(shown, vex.statements, scannedArtifact(inventory));
      report.findings = open;
      report.suppressed = suppressed;
    }
  } finally {
    db?.close();
  }
  return fresh.warnings;
}

/** The feeds the inventory needs: its distribution release and its language ecosystems. */
function feedsNeeded(inventory: Inventory): { ecosystems: string[]; distros: string[] } {
  const distro = inventory.os ? distroEcosystem(inventory.os) : undefined;
  const ecosystems = new Set<string>();
  const distros = new Set<string>();
  for (const pkg of inventory.packages) {
    const plan = planTarget(pkg, distro);
    if (plan.kind !== 'match') continue;
    if (plan.target.ecosystem === distro) distros.add(distro);
    else ecosystems.add(plan.target.ecosystem);
  }
  return { ecosystems: [...ecosystems], distros: [...distros] };
}

interface DatabaseSummary {
  path: string;
  empty: boolean;
  /** Feeds fetched for this scan. */
  updated: string[];
  sources: { name: string; records: number; importedAt: string }[];
}

function describeDatabase(path: string, db: VulnDb | undefined, updated: string[]): DatabaseSummary {
  if (!db) return { path, empty: true, updated, sources: [] };
  return {
    path,
    empty: db.isEmpty(),
    updated,
    sources: db
      .sources()
      .map((s) => ({ name: s.name, records: s.records, importedAt: s.importedAt.toISOString() })),
  };
}

function artifactOf(inventory: Inventory): Report['artifact'] {
  const s = inventory.source;
  const artifact: Report['artifact'] = { name: s.ref, type: s.type, packages: inventory.packages.length };
  if (s.imageId) artifact.imageId = s.imageId;
  if (s.digest) artifact.digest = s.digest;
  if (s.repoTags?.length) artifact.repoTags = s.repoTags;
  if (inventory.os) artifact.os = inventory.os;
  return artifact;
}

function scannedArtifact(inventory: Inventory): ScannedArtifact {
  const s = inventory.source;
  const digests = [s.imageId, s.digest].filter((d): d is string => !!d);
  const names = (s.repoTags ?? []).map((t) => {
    const repo = t.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
    return (repo.split('/').pop() ?? repo).toLowerCase();
  });
  return { digests, names };
}
