import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { VersionScheme } from '../../../src/vuln/versions/scheme.js';
import { sharedDir } from '../../helpers/components.js';

/** One line of a version corpus: `a op b`, with op normalised to <, = or >. */
export interface Comparison {
  a: string;
  op: '<' | '=' | '>';
  b: string;
  line: number;
}

const SIGN = { '<': -1, '=': 0, '>': 1 } as const;
const OPS: Record<string, Comparison['op']> = { '<': '<', '=': '=', '==': '=', '>': '>' };

/** The corpora directory, or undefined (with a printed SKIP) when ../shared is absent. */
export function corporaDir(): string | undefined {
  const shared = sharedDir();
  if (!shared) return undefined;
  const dir = join(shared, 'corpora', 'versions');
  if (existsSync(dir)) return dir;
  process.stderr.write(`SKIP (shared): ${dir} is absent\n`);
  return undefined;
}

export function readLines(dir: string, file: string): string[] {
  return readFileSync(join(dir, file), 'utf8').split('\n');
}

/**
 * The osv-scalibr `*-versions*.txt` format (and claircore's rpmvercmp.txt): blank lines and
 * lines starting with "# " or "//" are comments, everything else is exactly `a op b`.
 */
export function readComparisons(dir: string, file: string): Comparison[] {
  const out: Comparison[] = [];
  readLines(dir, file).forEach((text, i) => {
    if (text.trim() === '' || text.startsWith('# ') || text === '#' || text.startsWith('//')) return;
    const pieces = text.split(' ');
    const op = OPS[pieces[1] ?? ''];
    if (pieces.length !== 3 || !op) throw new Error(`${file}:${i + 1}: not "a op b": ${text}`);
    out.push({ a: pieces[0]!, op, b: pieces[2]!, line: i + 1 });
  });
  return out;
}

function opOf(n: number): Comparison['op'] {
  return n < 0 ? '<' : n > 0 ? '>' : '=';
}

/**
 * Checks every comparison both ways round (a vs b and b vs a), prints the agreement count
 * and fails listing each disagreement.
 */
export function expectAgreement(
  label: string,
  scheme: VersionScheme,
  file: string,
  cases: Comparison[],
): void {
  const wrong: string[] = [];
  for (const c of cases) {
    const got = scheme.compare(c.a, c.b);
    const back = scheme.compare(c.b, c.a);
    if (got !== SIGN[c.op] || back !== -SIGN[c.op])
      wrong.push(`${file}:${c.line}: ${c.a} ${c.op} ${c.b}, got ${opOf(got)} (reverse ${opOf(back)})`);
  }
  console.log(`${label}: ${cases.length - wrong.length}/${cases.length} agree (${file})`);
  expect(cases.length).toBeGreaterThan(0);
  expect(wrong).toEqual([]);
}
