import type { OsInfo } from '../../../types.js';
import type { Analyzer, AnalyzerInput, AnalyzerOutput, FileInfo } from '../../analyzer.js';
import { readWithin } from '../read.js';
import { DISTRO_FILE_PATHS, OS_RELEASE_PATHS, parseDistroFile, parseOsRelease } from './parse.js';

const MAX_BYTES = 64 * 1024;

function osFileAnalyzer(
  name: string,
  paths: readonly string[],
  parse: (path: string, text: string) => OsInfo | undefined,
): Analyzer {
  const wanted = new Set(paths);
  return {
    name,
    version: 1,
    modes: ['image', 'rootfs'],
    wants(file: FileInfo): boolean {
      return wanted.has(file.path);
    },
    async analyze(input: AnalyzerInput): Promise<AnalyzerOutput | undefined> {
      const read = await readWithin(input, MAX_BYTES);
      if ('warning' in read) return { warnings: [read.warning] };
      const os = parse(input.path, read.data.toString('utf8'));
      return os ? { os } : undefined;
    },
  };
}

/**
 * Two analyzers so that, registered in this order, the applier's tie-break (registry order,
 * then path order: etc/ before usr/lib/) lets os-release win over the distro files of the
 * same layer, e.g. over Ubuntu's etc/debian_version ("bookworm/sid").
 */
export const osReleaseAnalyzer = osFileAnalyzer('os-release', OS_RELEASE_PATHS, (_path, text) =>
  parseOsRelease(text),
);
export const distroReleaseAnalyzer = osFileAnalyzer('distro-release', DISTRO_FILE_PATHS, parseDistroFile);
