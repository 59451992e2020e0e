import { createHash } from 'node:crypto';
import { ConfigParseError } from '../../config/engine/check.js';
import { DEFAULT_MAX_FILE_SIZE } from '../../config/engine/scan.js';
import type { RegisteredKind } from '../../config/engine/scan-source.js';
import { decodeText } from '../../config/engine/source-text.js';
import { configKinds } from '../../config/kinds.js';
import { packageVersion } from '../../util/version.js';
import type { Analyzer, AnalyzerOutput, ScanMode } from '../analyzer.js';
import { IMAGE_CONTENT_CANDIDATE_BYTES, isOutsideConfigSearch } from './paths.js';

/**
 * Configuration files (Dockerfiles, Compose files, and whatever kinds src/config/kinds.ts
 * registers) scanned for misconfigurations with the config engine's pure `scan`, on the
 * content the walker hands over. Files are claimed by name as `ringfence config` claims them,
 * or read as content candidates when small. Companion files (Compose's `.env`) and checks
 * across files need the whole tree, which a per-file pass does not have: neither is used here.
 */

/** Bumped when this analyzer's own behaviour changes (which files it takes, what it returns). */
const REVISION = 1;

function createConfigAnalyzer(kinds: readonly RegisteredKind[]): Analyzer {
  let version: number | undefined;
  const claimedByName = (path: string) => kinds.find((k) => k.matchesName(path));
  return {
    name: 'config-files',
    get version() {
      version ??= checkSetVersion(kinds);
      return version;
    },
    modes: ['image', 'rootfs', 'fs'],
    wants(file, mode) {
      const wanted =
        claimedByName(file.path) !== undefined ||
        (file.size <= contentCandidateLimit(mode) && kinds.some((k) => k.contentCandidate(file.path)));
      return wanted && !isOutsideConfigSearch(file.path, mode);
    },
    async analyze(input): Promise<AnalyzerOutput | undefined> {
      const named = claimedByName(input.path);
      if (named && input.size > DEFAULT_MAX_FILE_SIZE) {
        return failed(
          named.id,
          input.path,
          `file is ${input.size} bytes, over the ${DEFAULT_MAX_FILE_SIZE}-byte limit; not scanned`,
        );
      }
      let text: string;
      try {
        text = decodeText(await input.content.read());
      } catch (err) {
        if (!(err instanceof ConfigParseError)) throw err;
        return named ? failed(named.id, input.path, err.message) : undefined;
      }
      const kind =
        named ?? kinds.find((k) => k.contentCandidate(input.path) && k.matchesContent(text, input.path));
      if (!kind) return undefined;
      const scan = kind.scan({ path: input.path, text, companions: new Map() });
      return { config: { kind: kind.id, findings: scan.findings, errors: scan.errors } };
    },
  };
}

export const configFileAnalyzer = createConfigAnalyzer(configKinds);

function contentCandidateLimit(mode: ScanMode): number {
  return mode === 'fs' ? DEFAULT_MAX_FILE_SIZE : IMAGE_CONTENT_CANDIDATE_BYTES;
}

function failed(kind: string, path: string, message: string): AnalyzerOutput {
  return { config: { kind, findings: [], errors: [{ path, kind, message }] } };
}

/**
 * Part of the layer cache key: results are stored with each finding's metadata, so any change
 * to the set of checks (added, removed, re-rated, reworded) must miss. Parser and check logic
 * change with releases, which the package version stands for.
 */
export function checkSetVersion(kinds: readonly RegisteredKind[]): number {
  const checks = kinds.map((k) => [
    k.id,
    k.checks.map((c) => [
      c.id,
      c.severity,
      c.title,
      c.description,
      c.remediation,
      c.references,
      c.frameworks,
    ]),
  ]);
  return createHash('sha256')
    .update(JSON.stringify([REVISION, packageVersion(), checks]))
    .digest()
    .readUInt32BE(0);
}
