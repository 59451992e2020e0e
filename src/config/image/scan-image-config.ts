import type { ImageConfig } from '../../image/source.js';
import type { ConfigError, Finding } from '../../types.js';
import { dockerfileKind } from '../dockerfile/kind.js';
import type { Dockerfile } from '../dockerfile/model.js';
import type { FileKind } from '../engine/check.js';
import { compareFindings, scanSource } from '../engine/scan-source.js';
import { historyToDockerfile, type ReconstructedDockerfile } from './history.js';

/**
 * Image config scanning (Trivy's name for it): the Dockerfile checks run over the Dockerfile
 * that the image's history and config describe (history.ts). Checks of the FROM line are left
 * out, since the base image's name is not recorded; checks whose subject the builders do not
 * record (stage names, ADD/COPY sources in the classic builder's history, the ENV form) stay
 * silent by themselves. A finding on a history entry has `location.path` `history` and
 * `line` N for the N-th entry (oldest first) plus the layer that entry made; one about what
 * the config's fields hold (no USER, no HEALTHCHECK) has `location.path` `config`.
 */

const FROM_CHECKS = new Set(['RF-DF-007', 'RF-DF-008', 'RF-DF-009', 'RF-DF-055']);
/** Real images have a few hundred entries at most; this bounds the work a crafted config can ask for. */
export const MAX_HISTORY_ENTRIES = 10_000;

const imageConfigKind: FileKind<Dockerfile> = {
  id: 'image-config',
  title: 'Image config',
  parse: dockerfileKind.parse,
  checks: dockerfileKind.checks.filter((c) => !FROM_CHECKS.has(c.id)),
};

export interface ImageConfigScan {
  findings: Finding[];
  errors: ConfigError[];
}

/** `target` names the image config in findings, e.g. `app.tar (image config)`. */
export function scanImageConfig(config: ImageConfig, target: string): ImageConfigScan {
  if (config.os === 'windows') return { findings: [], errors: [] };
  const history = config.history ?? [];
  if (history.length > MAX_HISTORY_ENTRIES) {
    const message = `history has ${history.length} entries, over the limit of ${MAX_HISTORY_ENTRIES}; not scanned`;
    return { findings: [], errors: [{ path: target, kind: imageConfigKind.id, message }] };
  }
  const dockerfile = historyToDockerfile(config);
  const scan = scanSource(imageConfigKind, { path: target, text: dockerfile.text, companions: new Map() });
  const layers = entryLayers(config);
  return {
    findings: scan.findings.map((f) => locate(f, dockerfile, config, layers)).sort(compareFindings),
    errors: scan.errors,
  };
}

function locate(
  finding: Finding,
  dockerfile: ReconstructedDockerfile,
  config: ImageConfig,
  layers: (string | undefined)[],
): Finding {
  const { line = 1, endLine = line, snippet } = finding.location;
  const entry = dockerfile.origins[line - 1];
  if (entry === undefined) return { ...finding, location: { path: 'config', snippet } };
  const last = dockerfile.origins[endLine - 1] ?? entry;
  const layer = layers[entry];
  return {
    ...finding,
    location: { path: 'history', line: entry + 1, endLine: last + 1, snippet, ...(layer ? { layer } : {}) },
    details: { ...finding.details, createdBy: config.history?.[entry]?.created_by },
  };
}

/** The diffID each history entry created (entries marked empty_layer made none), when the counts agree. */
function entryLayers(config: ImageConfig): (string | undefined)[] {
  const history = config.history ?? [];
  const diffIds = config.rootfs.diff_ids;
  if (history.filter((h) => !h.empty_layer).length !== diffIds.length) return [];
  let next = 0;
  return history.map((h) => (h.empty_layer ? undefined : diffIds[next++]));
}
