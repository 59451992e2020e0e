import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../../analyzer.js';
import { MiB, readWithin } from '../read.js';
import { APK_ANALYZER, parseApkInstalled } from './parse.js';

const INSTALLED = 'lib/apk/db/installed';
const MAX_BYTES = 128 * MiB;

/** Alpine (and Wolfi, postmarketOS...) packages from lib/apk/db/installed. */
export const apkAnalyzer: Analyzer = {
  name: APK_ANALYZER,
  version: 1,
  modes: ['image', 'rootfs'],
  wants(file: FileInfo): boolean {
    return file.path === INSTALLED;
  },
  async analyze(input: AnalyzerInput): Promise<AnalyzerOutput | undefined> {
    const read = await readWithin(input, MAX_BYTES);
    if ('warning' in read) return { warnings: [read.warning] };
    const { packages, packageFiles, warnings } = parseApkInstalled(read.data.toString('utf8'), input.path);
    return {
      packages,
      packageFiles,
      warnings: warnings.length > 0 ? warnings.map((w) => `${input.path}: ${w}`) : undefined,
    };
  },
};
