import { describe, expect, it } from 'vitest';
import { createProgress, formatBytes } from '../../src/util/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return {
    writes,
    stream: { isTTY, columns: 30, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream,
  };
}

describe('progress', () => {
  it('redraws one line on a terminal, cut to its width, and clears it when done', () => {
    const { writes, stream } = fakeStream(true);
    const p = createProgress({ stream });
    p.update('layer 1/3 abcdef 12.0 MiB / 100.0 MiB');
    p.update('throttled: within 100 ms of the last one');
    p.done();
    expect(writes).toEqual(['\r\x1b[2Klayer 1/3 abcdef 12.0 MiB / …', '\r\x1b[2K']);
  });

  it('stays silent when stderr is not a terminal or with --quiet', () => {
    for (const [tty, quiet] of [
      [false, false],
      [true, true],
    ]) {
      const { writes, stream } = fakeStream(tty!);
      const p = createProgress({ stream, quiet });
      p.update('x');
      p.done();
      expect(writes).toEqual([]);
    }
  });

  it('formats byte counts', () => {
    expect([0, 1023, 1024, 5 * 2 ** 20, 3.5 * 2 ** 30].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.0 KiB',
      '5.0 MiB',
      '3.5 GiB',
    ]);
  });
});
