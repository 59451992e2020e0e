import type { Package } from '../../../types.js';
import type { Analyzer } from '../../analyzer.js';
import { elfAnalyzer } from '../elfAnalyzer.js';
import { fileAnalyzer, SOURCE_TREE_MODES } from '../fileAnalyzer.js';
import { auditedCrates, readAuditData } from './audit-data.js';
import { parseCargoLock } from './cargo-lock.js';

const RUST_BINARY = 'rust-binary';
const PLAUSIBLE = /^[^\s\u0000-\u001f\u007f]{1,256}$/;

/** Rust programs built with cargo-auditable: the crates recorded in their `.dep-v0` section. */
export const rustBinaryAnalyzer: Analyzer = elfAnalyzer(RUST_BINARY, 1, async (input, elf) => {
  const data = await readAuditData(input.content, elf, input.path);
  if (data === undefined) return undefined;
  const { crates, skipped } = auditedCrates(data);
  const usable = crates.filter((c) => PLAUSIBLE.test(c.name) && PLAUSIBLE.test(c.version));
  const packages: Package[] = usable.map((c) => ({
    name: c.name,
    version: c.version,
    ecosystem: 'cargo',
    purl: '',
    paths: [input.path],
    analyzer: RUST_BINARY,
    // Build scripts and proc-macros ran at compile time; their code is not in the binary.
    ...(c.buildOnly ? { dev: true } : {}),
  }));
  const dropped = skipped + crates.length - usable.length;
  return dropped > 0
    ? { packages, warnings: [`${input.path}: ${dropped} unusable entries in the audit data skipped`] }
    : { packages };
});

/** Cargo.lock in source trees. */
export const cargoLockAnalyzer: Analyzer = fileAnalyzer({
  name: 'cargo-lock',
  version: 1,
  ecosystem: 'cargo',
  modes: SOURCE_TREE_MODES,
  wants: (path) => path === 'Cargo.lock' || path.endsWith('/Cargo.lock'),
  maxBytes: 32 * 1024 * 1024,
  parse: parseCargoLock,
});
