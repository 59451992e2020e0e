import type { Package } from '../../../types.js';
import type { Analyzer } from '../../analyzer.js';
import { elfAnalyzer } from '../elfAnalyzer.js';
import { fileAnalyzer, SOURCE_TREE_MODES } from '../fileAnalyzer.js';
import { readGoBuildInfo } from './buildinfo.js';
import { goModPackages, parseGoMod } from './gomod.js';
import { parseModinfo } from './modinfo.js';
import { goBinaryPackages } from './packages.js';

const GO_BINARY = 'go-binary';
/** Module paths and versions are printable and bounded; anything else in a binary is damage. */
const PLAUSIBLE = /^[^\s\u0000-\u001f\u007f]{1,512}$/;

/** Go programs: modules and Go version from the build info in the ELF, no toolchain needed. */
export const goBinaryAnalyzer: Analyzer = elfAnalyzer(GO_BINARY, 1, async (input, elf) => {
  const info = await readGoBuildInfo(input.content, elf, input.path);
  if (!info) return undefined;
  const modinfo = parseModinfo(info.modinfo);
  const found = goBinaryPackages(info.goVersion, modinfo);
  const packages: Package[] = found
    .filter((p) => PLAUSIBLE.test(p.name) && PLAUSIBLE.test(p.version))
    .map((p) => ({ ...p, ecosystem: 'golang', purl: '', paths: [input.path], analyzer: GO_BINARY }));
  const warnings: string[] = [];
  if (modinfo.malformed > 0)
    warnings.push(`${input.path}: ${modinfo.malformed} unreadable build-info lines skipped`);
  if (packages.length < found.length)
    warnings.push(`${input.path}: ${found.length - packages.length} modules with implausible names skipped`);
  return warnings.length > 0 ? { packages, warnings } : { packages };
});

/** go.mod in source trees: requirements with replacements applied. */
export const goModAnalyzer: Analyzer = fileAnalyzer({
  name: 'go-mod',
  version: 1,
  ecosystem: 'golang',
  modes: SOURCE_TREE_MODES,
  wants: (path) => path === 'go.mod' || path.endsWith('/go.mod'),
  maxBytes: 8 * 1024 * 1024,
  parse(text, path) {
    const mod = parseGoMod(text);
    return {
      packages: goModPackages(mod).map(({ name, version }) => ({ name, version })),
      warnings: mod.problems.map((p) => `${path}: ${p}`),
    };
  },
});
