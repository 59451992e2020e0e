import type { Analyzer, AnalyzerInput } from '../../src/inventory/analyzer.js';

/**
 * A test-local analyzer: every file under opt/ (or named in `paths`) becomes one package named
 * after its path, versioned by its trimmed content, so tests can see exactly which files
 * reached analyzers, with what content, and from which layer.
 */
export function probeAnalyzer(
  options: { version?: number; paths?: string[]; readAt?: boolean } = {},
): Analyzer & { seen: string[] } {
  const seen: string[] = [];
  return {
    name: 'probe',
    version: options.version ?? 1,
    modes: ['image', 'rootfs', 'fs'],
    seen,
    wants: (f) => f.path.startsWith('opt/') || (options.paths ?? []).includes(f.path),
    async analyze(input: AnalyzerInput) {
      seen.push(input.path);
      const data = options.readAt ? await input.content.readAt(0, 64) : await input.content.read();
      return {
        packages: [
          {
            name: input.path,
            version: data.toString().trim(),
            ecosystem: 'npm',
            purl: '',
            paths: [input.path],
            analyzer: 'probe',
          },
        ],
      };
    },
  };
}
