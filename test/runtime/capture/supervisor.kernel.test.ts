import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BpftraceSupervisor, type Outage } from '../../../src/runtime/capture/bpftrace.js';
import { decodeRecord, type ExecRecord } from '../../../src/runtime/capture/decode.js';
import type { RawRecord } from '../../../src/runtime/capture/lines.js';
import { preflight } from '../../../src/runtime/capture/preflight.js';
import { generateProgram } from '../../../src/runtime/capture/program.js';
import { listPids, readProcess } from '../../../src/runtime/proc/procfs.js';
import { needs } from '../../helpers/components.js';
import { inNewMountNamespace, marker } from './harness.js';

const TOKEN = 'Tsupervisor0test';

interface Seen {
  records: RawRecord[];
  lost: number[];
  outages: Outage[];
  failures: Error[];
}

type Handlers = ConstructorParameters<typeof BpftraceSupervisor>[1];

function handlers(): { h: Handlers; seen: Seen } {
  const seen: Seen = { records: [], lost: [], outages: [], failures: [] };
  const h: Handlers = {
    records: (r) => seen.records.push(...r),
    lost: (n) => seen.lost.push(n),
    recovered: (o) => seen.outages.push(o),
    failed: (e) => seen.failures.push(e),
  };
  return { h, seen };
}

/** The bpftrace processes this test process started. */
function bpftraceChildren(): number[] {
  return listPids().filter((pid) => {
    const p = readProcess(pid);
    return p?.stat.ppid === process.pid && p.stat.comm === 'bpftrace';
  });
}

async function until(test: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The supervisor with a stand-in for bpftrace (a shell script that prints what bpftrace
 * would, then behaves as told by a counter of its runs): restarts, outages, giving up.
 */
describe('BpftraceSupervisor with a stand-in bpftrace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rf-fake-bpftrace-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `runs[i]` is the shell body of the i-th run (the last repeats). */
  function fake(name: string, runs: string[]): string {
    const path = join(dir, name);
    const counter = join(dir, `${name}.count`);
    const cases = runs.map((body, i) => `${i === runs.length - 1 ? '*' : String(i)}) ${body} ;;`).join('\n');
    writeFileSync(
      path,
      `#!/bin/sh\nn=$(cat ${counter} 2>/dev/null || echo 0)\necho $((n + 1)) > ${counter}\necho "$1" > ${path}.program\ntest -r "$1" || exit 9\ncase $n in\n${cases}\nesac\n`,
    );
    chmodSync(path, 0o755);
    return path;
  }

  const ready = `printf '${TOKEN}R\\n'`;
  /** What bpftrace prints for an exec of `/bin/true` by process `pid` (argv read as 200 bytes ending at its end). */
  const exec = (pid: number) => {
    const file = join(dir, `exec-${pid}.txt`);
    const args = `${'\\x00'.repeat(190)}/bin/true\\x00`;
    writeFileSync(
      file,
      [
        `${TOKEN}+${pid} ${args}`,
        `${TOKEN}+${pid} true`,
        `${TOKEN}+${pid} sh`,
        `${TOKEN}+${pid} /bin/true`,
        `${TOKEN}X 1000000 ${pid} ${pid} 4026532000 0 0 0 1 10 12 0 0 0 4294967295 ${pid} 1 0 0`,
        '',
      ].join('\n'),
    );
    return `cat ${file}`;
  };

  it('starts, delivers records and lost counts, stops and removes its program file', async () => {
    const bin = fake('steady', [`${ready}; ${exec(77)}; echo 'Lost 5 events'; exec sleep 30`]);
    const { h, seen } = handlers();
    const sup = new BpftraceSupervisor({ bpftrace: bin, program: 'program text', token: TOKEN }, h);
    try {
      await sup.start();
      const programFile = readFileSync(`${bin}.program`, 'utf8').trim();
      expect(readFileSync(programFile, 'utf8')).toBe('program text');
      expect(statSync(programFile).mode & 0o777).toBe(0o600);
      await until(() => seen.records.length > 0 && seen.lost.length > 0, 2000);
      expect(seen.lost[0]).toBe(5);
      const x = decodeRecord(seen.records[0]!, 0) as ExecRecord;
      expect(x).toMatchObject({
        kind: 'exec',
        pid: 77,
        ts: 1,
        argv: ['/bin/true'],
        comm: 'true',
        parentComm: 'sh',
        filename: '/bin/true',
        loginuid: -1,
      });
    } finally {
      await sup.stop(500);
    }
    // bpftrace was given a file holding the program, readable by root only; stop removes it.
    const programFile = readFileSync(`${bin}.program`, 'utf8').trim();
    expect(programFile).toMatch(/ringfence-bpf-/);
    expect(existsSync(programFile)).toBe(false);
    expect(seen.outages).toEqual([]);
  });

  it('start() rejects with the stderr of a bpftrace that dies before its probes attach', async () => {
    const bin = fake('broken', ["echo 'stdin:1:1-3: ERROR: syntax error' >&2; exit 1"]);
    const sup = new BpftraceSupervisor({ bpftrace: bin, program: 'x', token: TOKEN }, handlers().h);
    await expect(sup.start()).rejects.toThrow(
      /before its probes were attached \(exit code 1\): .*syntax error/,
    );
    await sup.stop();
  });

  it('a run that ends is replaced at once and reported as an outage with its reason and stderr', async () => {
    const bin = fake('flaky', [
      `${ready}; sleep 0.2; echo 'fatal: perf buffer' >&2; exit 3`,
      `${ready}; ${exec(88)}; exec sleep 30`,
    ]);
    const { h, seen } = handlers();
    const sup = new BpftraceSupervisor({ bpftrace: bin, program: 'x', token: TOKEN }, h);
    await sup.start();
    await until(() => seen.outages.length > 0, 5000);
    const o = seen.outages[0]!;
    expect(o.reason).toBe('exit code 3');
    expect(o.stderr).toContain('fatal: perf buffer');
    expect(o.to).toBeGreaterThanOrEqual(o.from);
    await until(() => seen.records.length > 0, 2000);
    await sup.stop(500);
  });

  it('gives up after repeated failed starts, backing off between them', async () => {
    const bin = fake('dying', [`${ready}; sleep 0.1; exit 1`, 'exit 2']);
    const { h, seen } = handlers();
    const sup = new BpftraceSupervisor(
      {
        bpftrace: bin,
        program: 'x',
        token: TOKEN,
        initialBackoffMs: 20,
        maxBackoffMs: 40,
        maxFailedStarts: 3,
      },
      h,
    );
    const t0 = Date.now();
    await sup.start();
    await until(() => seen.failures.length > 0, 5000);
    // Three failed starts: 20 ms, then 40 ms (capped) between them.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(60);
    expect(seen.failures[0]!.message).toMatch(/exit code 2/);
    expect(seen.outages).toEqual([]);
    await sup.stop();
  });

  it('a missing executable is a rejected start', async () => {
    const sup = new BpftraceSupervisor(
      { bpftrace: join(dir, 'absent'), program: 'x', token: TOKEN },
      handlers().h,
    );
    await expect(sup.start()).rejects.toThrow(/cannot run .*absent/);
    await sup.stop();
  });
});

describe.skipIf(needs('bpftrace'))('BpftraceSupervisor with real bpftrace', () => {
  it('killing bpftrace brings a replacement and an outage report within 5 s; capture goes on', async () => {
    const host = preflight();
    const token = 'Trealsupervisor1';
    const program = generateProgram({
      token,
      types: [],
      filters: new Map(),
      hostMountNamespace: host.hostMountNamespace,
      tracepoints: host.tracepoints,
    });
    const records: RawRecord[] = [];
    const outages: Outage[] = [];
    const sup = new BpftraceSupervisor(
      { bpftrace: host.bpftrace, program: program.text, token },
      {
        records: (r) => records.push(...r),
        lost: () => {},
        recovered: (o) => outages.push(o),
        failed: () => {},
      },
    );
    try {
      await sup.start();
      const first = bpftraceChildren();
      expect(first.length).toBeGreaterThan(0);
      const killedAt = Date.now();
      // Every bpftrace this process runs (a supervisor may keep a standby copy too).
      for (const pid of first) process.kill(pid, 'SIGKILL');
      await until(() => outages.length > 0, 5000);
      expect(Date.now() - killedAt).toBeLessThan(5000);
      expect(outages[0]!.reason).toBe('signal SIGKILL');
      expect(outages[0]!.from).toBeGreaterThanOrEqual(killedAt);
      expect(bpftraceChildren().some((p) => !first.includes(p))).toBe(true);
      const m = marker('after');
      await inNewMountNamespace(`exec /bin/true ${m}`);
      await until(
        () =>
          records.some((r) => {
            const k = decodeRecord(r, 0);
            return k?.kind === 'exec' && k.argv.includes(m);
          }),
        5000,
      );
    } finally {
      await sup.stop();
    }
  });
});
