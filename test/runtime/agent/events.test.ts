import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isInUpperLayer } from '../../../src/runtime/agent/drift.js';
import { execEvent, openFacts, syscallEvent } from '../../../src/runtime/agent/events.js';
import type { ExecRecord, SyscallRecord } from '../../../src/runtime/capture/decode.js';
import { kernelFilter, openPasses } from '../../../src/runtime/capture/narrow.js';
import { SYSCALLS_BY_TYPE } from '../../../src/runtime/capture/syscalls.js';
import type { ProcessState } from '../../../src/runtime/proc/process-tree.js';
import { parseIdFile } from '../../../src/runtime/proc/users.js';
import { DEFAULT_RULES_FILE } from '../../../src/runtime/rules/default-rules.js';
import { compileRules } from '../../../src/runtime/rules/engine.js';

const state: ProcessState = {
  proc: {
    pid: 40,
    ppid: 1,
    name: 'bash',
    exe: 'bash',
    exepath: '/usr/bin/bash',
    cmdline: 'bash',
    args: [],
    cwd: '/srv/app',
  },
  mntns: 4026532180,
};
const who = { uid: 0, gid: 0, user: 'root', group: 'root' };
const where = { container: { id: 'c0ffee123456', name: 'web', image: 'app:1' } };
const header = { ts: 1_700_000_000_000, tid: 41, pid: 40, mntns: 4026532180, uid: 0, gid: 0 };

function syscall(
  type: string,
  res: number,
  args: SyscallRecord['args'],
  strings: SyscallRecord['strings'] = {},
  socket?: SyscallRecord['socket'],
): SyscallRecord {
  const spec = SYSCALLS_BY_TYPE.get(type)!;
  return { kind: 'syscall', type, spec, ...header, res, args, strings, ...(socket ? { socket } : {}) };
}

/** Does the Falco condition hold for the event? */
function holds(condition: string, e: ReturnType<typeof syscallEvent>): boolean {
  const text = `- rule: r\n  desc: d\n  condition: ${JSON.stringify(condition)}\n  output: o\n  priority: WARNING\n`;
  const { ruleset, problems } = compileRules([{ file: 'r.yaml', text }]);
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  return ruleset.evaluate(e).length > 0;
}

describe('kernel records as rule-engine events', () => {
  it('an openat relative to the working directory has an absolute fd.name and the raw path beside it', () => {
    const e = syscallEvent(
      syscall(
        'openat',
        3,
        { flags: 'O_RDONLY|O_CLOEXEC', mode: 0, dirfd: -100 },
        { name: '../etc/./shadow' },
      ),
      state,
      who,
      where,
    );
    expect(e.fd).toEqual({ num: 3, name: '/srv/etc/shadow', nameraw: '../etc/./shadow', type: 'file' });
    expect(
      holds(
        'fd.name = /srv/etc/shadow and fd.nameraw = ../etc/./shadow and evt.is_open_read = true and fd.typechar = f',
        e,
      ),
    ).toBe(true);
    expect(
      holds(
        'container.id = c0ffee123456 and container.name = web and user.name = root and thread.tid = 41',
        e,
      ),
    ).toBe(true);
  });

  it('a failed open keeps its errno and fd.num -1; O_DIRECTORY opens a directory', () => {
    const failed = syscallEvent(
      syscall('openat', -2, { flags: 'O_RDONLY', mode: 0, dirfd: -100 }, { name: '/nope' }),
      state,
      who,
      where,
    );
    expect(failed.fd!.num).toBe(-1);
    expect(holds('evt.res = ENOENT and evt.failed = true', failed)).toBe(true);
    const dir = syscallEvent(
      syscall('openat', 4, { flags: 'O_RDONLY|O_DIRECTORY', mode: 0, dirfd: -100 }, { name: '/etc' }),
      state,
      who,
      where,
    );
    expect(dir.fd!.type).toBe('directory');
  });

  it('a connect is the client end: fd.name is local->remote, fd.sip the server', () => {
    const e = syscallEvent(
      syscall(
        'connect',
        -115,
        { fd: 5 },
        {},
        {
          family: 2,
          protocol: 6,
          imode: 0o140777,
          local: { ip: '172.17.0.2', port: 40_000 },
          remote: { ip: '203.0.113.9', port: 3333 },
        },
      ),
      state,
      who,
      where,
    );
    expect(e.fd).toMatchObject({
      num: 5,
      type: 'ipv4',
      l4proto: 'tcp',
      name: '172.17.0.2:40000->203.0.113.9:3333',
      connected: true,
    });
    expect(
      holds(
        'fd.sport = 3333 and fd.rip = 203.0.113.9 and fd.lport = 40000 and fd.typechar = 4 and not fd.snet in (10.0.0.0/8)',
        e,
      ),
    ).toBe(true);
  });

  it('an accept is the server end; dup2 of a socket onto stdin carries the socket', () => {
    const socket = {
      family: 10,
      protocol: 6,
      imode: 0o140777,
      local: { ip: '::1', port: 8080 },
      remote: { ip: '::1', port: 51_000 },
    };
    const accepted = syscallEvent(syscall('accept', 7, {}, {}, socket), state, who, where);
    expect(accepted.fd).toMatchObject({
      num: 7,
      type: 'ipv6',
      cip: '::1',
      cport: 51_000,
      sport: 8080,
      isServer: true,
    });
    expect(holds('fd.is_server = true and fd.lport = 8080', accepted)).toBe(true);
    const dup = syscallEvent(syscall('dup2', 0, { oldfd: 7, newfd: 0 }, {}, socket), state, who, where);
    expect(
      holds('evt.type in (dup, dup2, dup3) and evt.rawres in (0, 1, 2) and fd.type in (ipv4, ipv6)', dup),
    ).toBe(true);
    const pipe = syscallEvent(
      syscall('dup2', 1, { oldfd: 3, newfd: 1 }, {}, { family: 0, protocol: 0, imode: 0o010600 }),
      state,
      who,
      where,
    );
    expect(pipe.fd!.type).toBe('pipe');
  });

  it('paths of renames and mounts are absolute in evt.arg.*', () => {
    const e = syscallEvent(
      syscall('rename', 0, {}, { oldpath: 'a.tmp', newpath: '/usr/bin/tool' }),
      state,
      who,
      where,
    );
    expect(holds('evt.arg.oldpath = /srv/app/a.tmp and evt.arg.newpath = /usr/bin/tool', e)).toBe(true);
  });

  it('an exec event has the new program and its filename, and no descriptor', () => {
    const x: ExecRecord = {
      kind: 'exec',
      type: 'execve',
      ...header,
      res: 0,
      ppid: 1,
      argv: ['ls', '-l'],
      truncated: false,
      comm: 'ls',
      parentComm: 'bash',
      filename: './ls',
      exeIno: 1,
      exeCtime: 0,
      tty: 0,
      loginuid: -1,
      vpid: 7,
      cgroupId: 0,
    };
    const e = execEvent(
      x,
      { ...state, proc: { ...state.proc, name: 'ls', cmdline: 'ls -l', args: ['-l'] } },
      who,
      where,
    );
    expect(e.fd).toBeUndefined();
    expect(e.evt.args).toMatchObject({ filename: '/srv/app/ls' });
    expect(holds('evt.type = execve and proc.name = ls and proc.args = -l', e)).toBe(true);
  });
});

describe('drift: files in the container upper layer', () => {
  const upper = mkdtempSync(join(tmpdir(), 'rf-upper-'));
  const outside = mkdtempSync(join(tmpdir(), 'rf-outside-'));
  afterAll(() => {
    rmSync(upper, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  mkdirSync(join(upper, 'usr/bin'), { recursive: true });
  writeFileSync(join(upper, 'usr/bin/dropped'), 'x');
  writeFileSync(join(outside, 'planted'), 'x');
  symlinkSync(outside, join(upper, 'escape'));

  it('a file written in the upper layer is drift; one only in the image is not', () => {
    expect(isInUpperLayer(upper, '/usr/bin/dropped')).toBe(true);
    expect(isInUpperLayer(upper, '/usr/bin/ls')).toBe(false);
    expect(isInUpperLayer(upper, '/usr/bin')).toBe(false);
    expect(isInUpperLayer(upper, 'relative')).toBe(false);
  });

  it('a symbolic link in the upper layer does not send the check elsewhere on the host', () => {
    expect(isInUpperLayer(upper, '/escape/planted')).toBe(false);
    expect(isInUpperLayer(upper, '/../../../etc/passwd')).toBe(false);
  });
});

describe('user and group files', () => {
  it('maps ids to the first name, skipping junk lines', () => {
    const ids = parseIdFile(
      'root:x:0:0:root:/root:/bin/bash\n\n# comment\nbad\nnobody:x:65534:65534::/:/bin/false\ntoor:x:0:0::/:/bin/sh\nx:y:notanumber\n',
    );
    expect([...ids]).toEqual([
      [0, 'root'],
      [65534, 'nobody'],
    ]);
  });
});

describe('opens the kernel could not judge (paths relative to a directory descriptor)', () => {
  const { ruleset } = compileRules([
    { file: DEFAULT_RULES_FILE, text: readFileSync(DEFAULT_RULES_FILE, 'utf8') },
  ]);
  const filter = kernelFilter(ruleset.rules, 'openat', { open: true });
  const etc = openSync('/etc', 'r');
  const usr = openSync('/usr/lib', 'r');
  afterAll(() => {
    closeSync(etc);
    closeSync(usr);
  });
  const open = (dirfd: number, name: string, flags: string) => ({
    ...syscall('openat', 5, { flags, mode: 0, dirfd }, { name }),
    pid: process.pid,
  });

  it('are judged in user space on their absolute path, as the rules will see it', () => {
    const shadow = openFacts(open(etc, 'shadow', 'O_RDONLY'), '/');
    expect(shadow.path).toBe('/etc/shadow');
    expect(openPasses(filter, shadow)).toBe(true);
    const binary = openFacts(open(usr, '../bin/tool', 'O_WRONLY|O_CREAT|O_TRUNC'), '/');
    expect(binary).toEqual({ path: '/usr/bin/tool', flags: 65, res: 5 });
    expect(openPasses(filter, binary)).toBe(true);
    const library = openFacts(open(usr, 'x86_64-linux-gnu/libc.so.6', 'O_RDONLY|O_CLOEXEC'), '/');
    expect(openPasses(filter, library)).toBe(false);
  });

  it('every default-rule alert on an open passes the filter', () => {
    for (const [dir, name, flags] of [
      [etc, 'shadow', 'O_RDONLY'],
      [etc, 'cron.d/job', 'O_WRONLY|O_CREAT'],
      [usr, '../bin/dropped', 'O_RDWR|O_CREAT'],
    ] as const) {
      const r = open(dir, name, flags);
      const e = syscallEvent(r, state, who, where);
      expect(ruleset.evaluate(e).length, `${name} raises an alert`).toBeGreaterThan(0);
      expect(openPasses(filter, openFacts(r, '/'))).toBe(true);
    }
  });
});
