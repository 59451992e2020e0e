import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExecInfo, MAX_ANCESTORS, ProcessTree } from '../../../src/runtime/proc/process-tree.js';

/** A /proc with no processes in it (only the boot time), so the tree knows only what it is told. */
const root = mkdtempSync(join(tmpdir(), 'rf-proc-'));
writeFileSync(join(root, 'stat'), 'cpu 1 2 3\nbtime 1700000000\n');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const NS = 4026532999;
function exec(pid: number, ppid: number, argv: string[], extra: Partial<ExecInfo> = {}): ExecInfo {
  const comm = (argv[0] ?? '').split('/').pop()!;
  return {
    pid,
    ppid,
    ts: 1000 + pid,
    mntns: NS,
    comm,
    parentComm: 'parent',
    argv,
    exepath: argv[0]!,
    isExeFromMemfd: false,
    exeIno: 1,
    exeCtime: 2,
    tty: 0,
    loginuid: -1,
    vpid: pid,
    cgroupId: 0,
    ...extra,
  };
}

describe('ProcessTree', () => {
  it('exec names the process; a fork copies its parent and records the lineage', () => {
    const t = new ProcessTree({ procRoot: root });
    const sh = t.exec(exec(10, 1, ['/bin/sh', '-c', 'curl x | sh']));
    expect(sh.proc).toMatchObject({
      pid: 10,
      ppid: 1,
      name: 'sh',
      exe: '/bin/sh',
      exepath: '/bin/sh',
      cmdline: 'sh -c curl x | sh',
      args: ['-c', 'curl x | sh'],
      startTs: 1010,
    });
    // The parent was never seen: a placeholder named by the exec's parent comm.
    expect(sh.proc.ancestors).toEqual([{ pid: 1, name: 'parent', exe: '', cmdline: 'parent' }]);
    const child = t.fork(11, 10, 2000, NS);
    expect(child.proc).toMatchObject({
      pid: 11,
      ppid: 10,
      name: 'sh',
      cmdline: 'sh -c curl x | sh',
      startTs: 2000,
    });
    expect(child.proc.ancestors![0]).toMatchObject({ pid: 10, name: 'sh', exe: '/bin/sh' });
    const curl = t.exec(exec(11, 10, ['/usr/bin/curl', 'x']));
    expect(curl.proc).toMatchObject({ name: 'curl', cmdline: 'curl x', startTs: 2000 });
    expect(curl.proc.ancestors!.map((a) => a.pid)).toEqual([10, 1]);
    expect(t.get(11, NS, 0)).toBe(curl);
  });

  it('keeps at most MAX_ANCESTORS ancestors', () => {
    const t = new ProcessTree({ procRoot: root });
    t.exec(exec(100, 1, ['/bin/init']));
    for (let pid = 101; pid < 140; pid++) t.fork(pid, pid - 1, pid, NS);
    const deep = t.get(139, NS, 0);
    expect(deep.proc.ancestors).toHaveLength(MAX_ANCESTORS);
    expect(deep.proc.ancestors!.map((a) => a.pid)).toEqual(
      Array.from({ length: MAX_ANCESTORS }, (_, i) => 138 - i),
    );
  });

  it('snapshots are immutable: a chdir or exec later does not change what earlier events saw', () => {
    const t = new ProcessTree({ procRoot: root });
    const before = t.exec(exec(20, 1, ['/bin/bash']));
    t.chdir(20, '/srv/app');
    t.chdir(20, '../data/./x/');
    const after = t.get(20, NS, 0);
    expect(after.proc.cwd).toBe('/srv/data/x/');
    expect(before.proc.cwd).toBeUndefined();
    const again = t.exec(exec(20, 1, ['/usr/bin/python3', 'app.py']));
    expect(again.proc.cwd).toBe('/srv/data/x/');
    expect(after.proc.name).toBe('bash');
    t.chdir(999_999, '/nowhere'); // unknown process: nothing happens
    expect(t.size).toBe(1);
  });

  it('exit keeps a process for the grace period; evict then forgets it, but not a reused pid', () => {
    const t = new ProcessTree({ procRoot: root, exitGraceMs: 100 });
    t.exec(exec(30, 1, ['/bin/a']));
    t.exec(exec(31, 1, ['/bin/b']));
    t.exit(30, 1000);
    t.exit(31, 1000);
    t.evict(1050);
    expect(t.size).toBe(2);
    // pid 31 is reused by a new program before eviction: its old exit must not remove it.
    t.exec(exec(31, 1, ['/bin/c']));
    t.evict(1200);
    expect(t.size).toBe(1);
    expect(t.get(31, NS, 0).proc.name).toBe('c');
    t.exit(12345, 0); // unknown: ignored
  });

  it('never holds more than maxProcesses, forgetting the oldest first', () => {
    const t = new ProcessTree({ procRoot: root, maxProcesses: 5 });
    for (let pid = 40; pid < 50; pid++) t.exec(exec(pid, 1, [`/bin/p${pid}`]));
    t.evict(0);
    expect(t.size).toBe(5);
    expect(t.get(49, NS, 0).proc.name).toBe('p49');
    // pid 40 is gone: asked again, it is a placeholder.
    expect(t.get(40, NS, 7).proc).toMatchObject({ pid: 40, name: '', startTs: 7 });
  });

  it('a process it has never seen is a placeholder with what the event says', () => {
    const t = new ProcessTree({ procRoot: root });
    const s = t.get(777, NS, 5);
    expect(s).toMatchObject({ mntns: NS, proc: { pid: 777, ppid: 0, name: '', args: [], startTs: 5 } });
    expect(t.fork(778, 9999, 6, NS).proc).toMatchObject({ pid: 778 });
  });

  it('keeps the cgroup id of an exec and passes it to forks', () => {
    const t = new ProcessTree({ procRoot: root });
    t.exec(exec(60, 1, ['/bin/x'], { cgroupId: 4242 }));
    expect(t.fork(61, 60, 1, NS).cgroupId).toBe(4242);
    expect(t.exec(exec(62, 1, ['/bin/y'], { cgroupId: 1 })).cgroupId).toBeUndefined();
  });
});

describe('ProcessTree seeded from the real /proc', () => {
  it("knows this test's process with its ancestors as ps shows them", () => {
    const t = new ProcessTree();
    const n = t.seed();
    expect(n).toBeGreaterThan(1);
    const me = t.get(process.pid, 0, 0);
    expect(me.proc.ppid).toBe(process.ppid);
    expect(me.proc.cwd).toBe(process.cwd());
    const chain: number[] = [];
    for (let pid = process.ppid; pid > 0 && chain.length < MAX_ANCESTORS; ) {
      chain.push(pid);
      pid = Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    }
    expect(me.proc.ancestors!.map((a) => a.pid)).toEqual(chain);
    const parentName = execFileSync('ps', ['-o', 'comm=', '-p', String(process.ppid)], {
      encoding: 'utf8',
    }).trim();
    expect(me.proc.ancestors![0]!.name).toBe(parentName);
    // Start time from the boot time and the start ticks: within a few seconds of ps's count.
    const elapsed = Number(
      execFileSync('ps', ['-o', 'etimes=', '-p', String(process.pid)], { encoding: 'utf8' }),
    );
    expect(Math.abs(Date.now() - me.proc.startTs! - elapsed * 1000)).toBeLessThan(2000);
  });

  it('reads a process it was not told about from /proc, parents included', () => {
    const t = new ProcessTree();
    const me = t.get(process.pid, 0, 0);
    expect(me.proc.name).toBe(
      execFileSync('ps', ['-o', 'comm=', '-p', String(process.pid)], { encoding: 'utf8' }).trim(),
    );
    expect(me.proc.ancestors![0]!.pid).toBe(process.ppid);
    expect(t.size).toBeGreaterThan(1);
  });
});
