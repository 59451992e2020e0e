import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../../analyzer.js';
import { readWithin } from '../read.js';
import { DISTRO_FILE_PATHS, OS_RELEASE_PATHS, parseOsFile } from './parse.js';

const WANTED = new Set<string>([...OS_RELEASE_PATHS, ...DISTRO_FILE_PATHS]);
const MAX_BYTES = 64 * 1024;

/** Each OS identification file on its own; the applier combines them with `resolveOs`. */
export const osReleaseAnalyzer: Analyzer = {
  name: 'os-release',
  version: 1,
  modes: ['image', 'rootfs'],
  wants(file: FileInfo): boolean {
    return WANTED.has(file.path);
  },
  async analyze(input: AnalyzerInput): Promise<AnalyzerOutput | undefined> {
    const read = await readWithin(input, MAX_BYTES);
    if ('warning' in read) return { warnings: [read.warning] };
    const os = parseOsFile(input.path, read.data.toString('utf8'));
    return os ? { os } : undefined;
  },
};
