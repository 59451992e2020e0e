import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { eventProblem, JsonLinesReplay, type ReplayOptions } from '../../../src/runtime/sources/replay.js';
import type { Event } from '../../../src/types.js';
import { UserError } from '../../../src/util/errors.js';
import { event } from '../rules/make.js';

const dir = mkdtempSync(join(tmpdir(), 'replay-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string): string {
  const path = join(dir, `events-${n++}.jsonl`);
  writeFileSync(path, text);
  return path;
}
async function all(path: string, options: ReplayOptions = {}) {
  const replay = new JsonLinesReplay(path, options);
  const events: Event[] = [];
  const lines: number[] = [];
  for await (const e of replay) {
    events.push(e);
    lines.push(replay.line);
  }
  return { events, lines, stats: replay.stats };
}

describe('JSON-lines replay', () => {
  const a = event();
  const b = event({ type: 'execve', container: undefined });

  it('yields the events in order with their line numbers, skipping blank lines and CRs', async () => {
    const r = await all(file(`${JSON.stringify(a)}\r\n\n   \n${JSON.stringify(b)}`));
    expect(r.events).toEqual([a, b]);
    expect(r.lines).toEqual([1, 4]);
    expect(r.stats).toEqual({ lines: 4, events: 2, badLines: 0, firstBad: [] });
  });

  it('counts and describes bad lines, and goes on', async () => {
    const lines = [
      '{not json',
      '[1,2]',
      JSON.stringify({ ...a, ts: 'yesterday' }),
      JSON.stringify({ ...a, proc: { ...a.proc, args: 'x' } }),
      JSON.stringify({ ...a, container: { name: 'no id' } }),
      JSON.stringify({ ...a, fd: { ...a.fd, sport: '443' } }),
      JSON.stringify({ ...a, evt: { args: { flags: { nested: 1 } } } }),
      JSON.stringify({ ...a, proc: { ...a.proc, ancestors: [{ pid: 1 }] } }),
      JSON.stringify(b),
    ];
    const r = await all(file(lines.join('\n')), { describeBad: 3 });
    expect(r.events).toEqual([b]);
    expect(r.stats.badLines).toBe(8);
    expect(r.stats.firstBad).toEqual([
      { line: 1, reason: expect.stringMatching(/^not JSON/) },
      { line: 2, reason: 'event must be an object' },
      { line: 3, reason: 'event.ts must be a number' },
    ]);
    expect(eventProblem({ ...a, proc: { ...a.proc, args: 'x' } })).toBe(
      'event.proc.args must be a list of strings',
    );
    expect(eventProblem({ ...a, container: { name: 'x' } })).toBe('event.container.id is missing');
    expect(eventProblem({ ...a, proc: { ...a.proc, ancestors: [{ pid: 1 }] } })).toBe(
      'event.proc.ancestors[0].name is missing',
    );
  });

  it('treats null as absent for optional fields', async () => {
    const r = await all(file(JSON.stringify({ ...a, container: null, proc: { ...a.proc, exepath: null } })));
    expect(r.stats.badLines).toBe(0);
    expect(r.events[0]?.container).toBeUndefined();
    expect('exepath' in r.events[0]!.proc).toBe(false);
  });

  it('drops a line longer than the limit without holding it, even across read chunks', async () => {
    const huge = `{"x":"${'y'.repeat(3_000_000)}"}`;
    const r = await all(file(`${JSON.stringify(a)}\n${huge}\n${JSON.stringify(b)}\n`), {
      maxLineBytes: 1000,
    });
    expect(r.events).toEqual([a, b]);
    expect(r.lines).toEqual([1, 3]);
    expect(r.stats.badLines).toBe(1);
    expect(r.stats.firstBad[0]).toEqual({ line: 2, reason: 'longer than 1000 bytes' });
  });

  it('keeps multi-byte characters split across read chunks', async () => {
    const padded = event({ proc: { cmdline: `${'é'.repeat(700_000)} 中文` } });
    const r = await all(file(`${JSON.stringify(padded)}\n`), { maxLineBytes: 4_000_000 });
    expect(r.events[0]?.proc.cmdline).toBe(padded.proc.cmdline);
  });

  it('reports a missing file as the user’s problem, naming it', async () => {
    await expect(all(join(dir, 'nope.jsonl'))).rejects.toThrow(UserError);
    await expect(all(join(dir, 'nope.jsonl'))).rejects.toThrow(/nope\.jsonl: cannot read \(ENOENT\)/);
    await expect(all(dir)).rejects.toThrow(/cannot read/);
  });

  it('never throws on any mix of lines, and accounts for every line', async () => {
    const line = fc.oneof(
      fc.constant(JSON.stringify(a)),
      fc.constant(JSON.stringify(b)),
      fc.string({ maxLength: 40 }).filter((s) => !s.includes('\n')),
      fc.json({ maxDepth: 3 }),
      fc.constant(''),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 20 }), async (lines) => {
        const text = lines.join('\n');
        const r = await all(file(text));
        const written = text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
        const blank = written.filter((l) => l.trim() === '').length;
        expect(r.stats.lines).toBe(written.length);
        expect(r.stats.events + r.stats.badLines + blank).toBe(written.length);
        expect(r.events.length).toBe(r.stats.events);
      }),
      { numRuns: 100 },
    );
  });
});
