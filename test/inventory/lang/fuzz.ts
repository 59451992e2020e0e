import fc from 'fast-check';
import { expect } from 'vitest';
import type { Analyzer, AnalyzerOutput } from '../../../src/inventory/analyzer.js';
import { memoryInput } from './analyze.js';

/** Property-test helpers shared by the language analyzers' fuzz tests. */

/** A real sample damaged the way files get damaged: truncated, spliced, bytes flipped, lines dropped. */
export function mutated(sample: string): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 20 }) }),
    fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 40 }),
    }),
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.nat(),
      char: fc.constantFrom(...'"\'{}[]:,\n -@/#=()\\\t\u0000'),
    }),
    fc.record({
      kind: fc.constant('duplicate' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 200 }),
    }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let s = sample;
    for (const e of edits) {
      const at = s.length === 0 ? 0 : e.at % (s.length + 1);
      if (e.kind === 'truncate') s = s.slice(0, at);
      else if (e.kind === 'insert') s = s.slice(0, at) + e.text + s.slice(at);
      else if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + e.length);
      else if (e.kind === 'flip') s = s.slice(0, at) + e.char + s.slice(at + 1);
      else s = s.slice(0, at) + s.slice(at, at + e.length) + s.slice(at);
    }
    return s;
  });
}

/** Whatever the input, the analyzer answers: usable packages and one-line warnings. */
function expectWellFormed(out: AnalyzerOutput | undefined, path: string): void {
  for (const w of out?.warnings ?? []) {
    expect(w.trim().length).toBeGreaterThan(0);
    expect(w).not.toContain('\n');
  }
  for (const p of out?.packages ?? []) {
    expect(p.name.length).toBeGreaterThan(0);
    expect(p.version.length).toBeGreaterThan(0);
    expect(p.paths).toEqual([path]);
  }
}

export async function checkAnalyzer(
  analyzer: Analyzer,
  path: string,
  inputs: fc.Arbitrary<string>,
  runs = 300,
) {
  const scanMode = analyzer.modes[0]!;
  await fc.assert(
    fc.asyncProperty(inputs, async (text) => {
      expectWellFormed(await analyzer.analyze(memoryInput(path, text, scanMode)), path);
    }),
    { numRuns: runs },
  );
}
