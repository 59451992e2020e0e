import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  currentDirectory,
  descriptorPath,
  listPids,
  parseCmdline,
  parseNsPid,
  parseStat,
  parseStatusIds,
  readProcess,
} from '../../../src/runtime/proc/procfs.js';

/** `ps` for one process: the oracle for what /proc says. */
function ps(pid: number, field: string): string {
  return execFileSync('ps', ['-o', `${field}=`, '-p', String(pid)], { encoding: 'utf8' }).trim();
}

describe('readProcess on real processes, against ps', () => {
  // A shell waiting on a pipe that never closes, with arguments it ignores.
  const argv = ['-c', 'read x', 'sh', 'an argument with spaces', 'héllo-✓'];
  let child: ReturnType<typeof spawn>;

  beforeAll(async () => {
    child = spawn('/bin/sh', argv, { cwd: tmpdir(), stdio: ['pipe', 'ignore', 'ignore'] });
    // Until the exec is done /proc shows the forked copy of this process.
    while (readProcess(child.pid!)?.stat.comm !== 'sh') await new Promise((r) => setTimeout(r, 10));
  });
  afterAll(() => {
    child.kill('SIGKILL');
  });

  it("reads a child's argv, exe, cwd, parent, ids and namespace", () => {
    const s = readProcess(child.pid!)!;
    expect(s.pid).toBe(child.pid);
    expect(s.argv).toEqual(['/bin/sh', ...argv]);
    expect(s.stat.comm).toBe(ps(child.pid!, 'comm'));
    expect(s.stat.ppid).toBe(process.pid);
    expect(s.stat.ppid).toBe(Number(ps(child.pid!, 'ppid')));
    expect(s.stat.pgid).toBe(Number(ps(child.pid!, 'pgid')));
    expect(s.stat.sid).toBe(Number(ps(child.pid!, 'sid')));
    expect(s.uid).toBe(Number(ps(child.pid!, 'euid')));
    expect(s.gid).toBe(Number(ps(child.pid!, 'egid')));
    expect(s.exepath).toBe(realpathSync('/bin/sh'));
    expect(s.cwd).toBe(tmpdir());
    expect(s.vpid).toBe(child.pid);
    expect(s.mntns).toBe(Number(/\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/mnt'))![1]));
    const loginuid = Number(readFileSync('/proc/self/loginuid', 'utf8'));
    expect(s.loginuid).toBe(loginuid >= 0xffffffff ? -1 : loginuid);
  });

  it("reads the test's own process as ps shows it", () => {
    const s = readProcess(process.pid)!;
    expect(s.argv.join(' ')).toBe(ps(process.pid, 'args'));
    expect(s.stat.comm).toBe(ps(process.pid, 'comm'));
    expect(s.stat.ppid).toBe(process.ppid);
    expect(s.stat.pgid).toBe(Number(ps(process.pid, 'pgid')));
    expect(s.cwd).toBe(process.cwd());
    expect(s.exepath).toBe(process.execPath);
    // Start time: ps's elapsed seconds against the boot time plus the start ticks.
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))![1]);
    const started = btime + s.stat.startTicks / 100;
    const elapsed = Number(ps(process.pid, 'etimes'));
    expect(Math.abs(Date.now() / 1000 - started - elapsed)).toBeLessThan(2);
  });

  it('lists pids, and what descriptors and working directories point at', () => {
    const pids = listPids();
    expect(pids).toContain(process.pid);
    expect(pids).toContain(child.pid);
    expect(currentDirectory(child.pid!)).toBe(tmpdir());
    expect(descriptorPath(process.pid, 99_999)).toBeUndefined();
  });

  it('a process that is gone is undefined', () => {
    expect(readProcess(0x7fffffff)).toBeUndefined();
    expect(currentDirectory(0x7fffffff)).toBeUndefined();
  });
});

describe('the /proc parsers', () => {
  it('parseStat takes comm between the first ( and the last ), whatever it holds (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 15 }).map((s) => s.replace(/\0/g, '')),
        fc.nat(),
        fc.nat(),
        (comm, ppid, start) => {
          const line = `123 (${comm}) S ${ppid} 5 6 34816 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 ${start} 1000 100\n`;
          expect(parseStat(line)).toEqual({ comm, ppid, pgid: 5, sid: 6, tty: 34816, startTicks: start });
        },
      ),
    );
    expect(parseStat('garbage')).toBeUndefined();
    expect(parseStat('1 (x) S')).toBeUndefined();
  });

  it('parseStatusIds, parseNsPid and parseCmdline', () => {
    const status = 'Name:\tsh\nUid:\t1000\t0\t0\t0\nGid:\t1000\t50\t50\t50\nNSpid:\t4242\t17\t1\n';
    expect(parseStatusIds(status)).toEqual({ uid: 0, gid: 50 });
    expect(parseNsPid(status)).toBe(1);
    expect(parseNsPid('NSpid:\t99\n')).toBe(99);
    expect(parseNsPid('Name: x\n')).toBeUndefined();
    expect(parseStatusIds('Uid: 1\n')).toBeUndefined();
    expect(parseCmdline(Buffer.from('a\0b c\0\0d\0'))).toEqual(['a', 'b c', '', 'd']);
    expect(parseCmdline(Buffer.from('no-nul'))).toEqual(['no-nul']);
    expect(parseCmdline(Buffer.alloc(0))).toEqual([]);
  });
});
