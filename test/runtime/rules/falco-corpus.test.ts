import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../../src/runtime/rules/engine.js';
import { sharedDir } from '../../helpers/components.js';

const shared = sharedDir();
const dir = shared && join(shared, 'corpora/falco-rules');
const FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];
const read = (f: string) => ({ file: f, text: readFileSync(join(dir!, f), 'utf8') });

describe.skipIf(!dir)("Falco's own rule files", () => {
  for (const f of FILES) {
    it(`${f} parses and every rule compiles`, () => {
      const r = compileRules([read(f)]);
      const errors = r.problems.filter((p) => p.severity === 'error');
      process.stdout.write(
        `${f}: ${r.counts.rules} rules, ${r.counts.macros} macros, ${r.counts.lists} lists; ${r.counts.compiled} compiled, ${r.counts.failed} failed, ${r.counts.skipped} skipped; ${r.problems.length - errors.length} warnings\n`,
      );
      for (const p of r.problems)
        process.stdout.write(`  ${p.severity} ${p.file}:${p.line} ${p.item?.name ?? ''}: ${p.message}\n`);
      expect(errors).toEqual([]);
      expect(r.counts.compiled).toBe(r.counts.rules);
    });
  }

  it('all three load together, later files redefining shared macros and lists', () => {
    const r = compileRules(FILES.map(read));
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    process.stdout.write(
      `all three: ${r.counts.rules} rules, ${r.counts.macros} macros, ${r.counts.lists} lists\n`,
    );
    const { types, anyTypeRules } = r.ruleset.eventTypes();
    process.stdout.write(
      `event types needed: ${types.join(' ')}\nrules on every type: ${anyTypeRules.join(', ') || 'none'}\n`,
    );
    expect(types).toEqual(expect.arrayContaining(['execve', 'openat', 'connect', 'ptrace']));
  });
});
