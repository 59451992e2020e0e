import type { Package } from '../../../types.js';
import { UserError } from '../../../util/errors.js';
import type { Analyzer, AnalyzerInput, AnalyzerOutput } from '../../analyzer.js';
import { JAVA_ARCHIVE, scanJavaArchive } from './archive.js';

const JAVA_ARCHIVE_ANALYZER = 'java-archive';
const MAX_ARCHIVE_BYTES = 4 * 1024 * 1024 * 1024;
const MAX_WARNINGS = 20;

/** Java archives (jar, war, ear, ... and the archives nested in them) as Maven packages. */
export const javaArchiveAnalyzer: Analyzer = {
  name: JAVA_ARCHIVE_ANALYZER,
  version: 1,
  modes: ['image', 'rootfs', 'fs'],
  wants: (file) => JAVA_ARCHIVE.test(file.path) && file.size > 0 && file.size <= MAX_ARCHIVE_BYTES,
  async analyze(input: AnalyzerInput): Promise<AnalyzerOutput | undefined> {
    try {
      const scan = await scanJavaArchive(input.content, input.path);
      const seen = new Set<string>();
      const packages: Package[] = [];
      for (const p of scan.packages) {
        const name = `${p.group}:${p.artifact}`;
        const key = `${name}\0${p.version}\0${p.location}`;
        if (seen.has(key)) continue;
        seen.add(key);
        packages.push({
          name,
          version: p.version,
          ecosystem: 'maven',
          purl: '',
          // Nested: the archive inside, then the file in the image that holds it.
          paths: p.location === input.path ? [input.path] : [p.location, input.path],
          analyzer: JAVA_ARCHIVE_ANALYZER,
        });
      }
      const warnings =
        scan.warnings.length > MAX_WARNINGS
          ? [
              ...scan.warnings.slice(0, MAX_WARNINGS),
              `${input.path}: ${scan.warnings.length - MAX_WARNINGS} more warnings`,
            ]
          : scan.warnings;
      return warnings.length > 0 ? { packages, warnings } : { packages };
    } catch (err) {
      if (err instanceof UserError) return { warnings: [err.message] };
      throw err;
    }
  },
};
