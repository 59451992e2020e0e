import { posix } from 'node:path';
import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../../analyzer.js';
import { MiB, readWithin } from '../read.js';
import { DPKG_ANALYZER, packageFromInfoName, parseDpkgStatus, parseFileList, parseMd5sums } from './parse.js';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = 'var/lib/dpkg/status.d';
const INFO = 'var/lib/dpkg/info';
const MAX_STATUS_BYTES = 64 * MiB;
const MAX_LIST_BYTES = 16 * MiB;

type Kind = 'status' | 'status.d' | 'status.d-md5sums' | 'list';

function kindOf(path: string): Kind | undefined {
  if (path === STATUS) return 'status';
  const dir = posix.dirname(path);
  if (dir === STATUS_D) return path.endsWith('.md5sums') ? 'status.d-md5sums' : 'status.d';
  if (dir === INFO && path.endsWith('.list')) return 'list';
  return undefined;
}

function prefixed(path: string, warnings: string[]): string[] | undefined {
  return warnings.length > 0 ? warnings.map((w) => `${path}: ${w}`) : undefined;
}

/** dpkg: status, distroless status.d/*, and the file lists in info/ and status.d/. */
export const dpkgAnalyzer: Analyzer = {
  name: DPKG_ANALYZER,
  version: 1,
  modes: ['image', 'rootfs'],
  wants(file: FileInfo): boolean {
    return kindOf(file.path) !== undefined;
  },
  async analyze(input: AnalyzerInput): Promise<AnalyzerOutput | undefined> {
    const kind = kindOf(input.path);
    if (!kind) return undefined;
    const isList = kind === 'list' || kind === 'status.d-md5sums';
    const read = await readWithin(input, isList ? MAX_LIST_BYTES : MAX_STATUS_BYTES);
    if ('warning' in read) return { warnings: [read.warning] };
    const text = read.data.toString('utf8');
    const base = posix.basename(input.path);
    if (isList) {
      const pkg = packageFromInfoName(base, kind === 'list' ? '.list' : '.md5sums');
      if (!pkg) return { warnings: [`${input.path}: not named after a dpkg package; skipped`] };
      const files = kind === 'list' ? parseFileList(text) : parseMd5sums(text);
      return { packageFiles: [{ package: pkg, files }] };
    }
    const { packages, warnings } = parseDpkgStatus(text, input.path, { statusOptional: kind === 'status.d' });
    return { packages, warnings: prefixed(input.path, warnings) };
  },
};
