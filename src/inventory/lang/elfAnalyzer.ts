import { type Elf, hasElfMagic, isPlausibleExecutable, readElf } from '../../util/elf.js';
import { UserError } from '../../util/errors.js';
import type { Analyzer, AnalyzerInput, AnalyzerOutput } from '../analyzer.js';

/** What a binary analyzer reads from one executable's parsed ELF. */
type ElfReader = (input: AnalyzerInput, elf: Elf) => Promise<AnalyzerOutput | undefined>;

/**
 * An analyzer of the data a toolchain embeds in ELF executables (Go build info, Rust audit
 * data): it looks at plausible executables in every mode, skips anything that is not a
 * readable ELF (a damaged ELF is no concern of these analyzers), and turns damage in the data
 * `read` looks for (a UserError) into a warning.
 */
export function elfAnalyzer(name: string, version: number, read: ElfReader): Analyzer {
  return {
    name,
    version,
    modes: ['image', 'rootfs', 'fs'],
    wants: (file) => isPlausibleExecutable(file),
    async analyze(input) {
      if (!(await hasElfMagic(input.content))) return undefined;
      try {
        const elf = await readElf(input.content, input.path).catch(() => undefined);
        return elf && (await read(input, elf));
      } catch (err) {
        if (err instanceof UserError) return { warnings: [err.message] };
        throw err;
      }
    },
  };
}
