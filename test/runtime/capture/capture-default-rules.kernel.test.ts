import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecRecord, KernelRecord, SyscallRecord } from '../../../src/runtime/capture/decode.js';
import { ARG_CHUNKS, STRING_BYTES } from '../../../src/runtime/capture/program.js';
import { parseStat } from '../../../src/runtime/proc/procfs.js';
import { DEFAULT_RULES_FILE } from '../../../src/runtime/rules/default-rules.js';
import { needs } from '../../helpers/components.js';
import { Capture, inNewMountNamespace, marker, python } from './harness.js';

/**
 * The capture program generated for Ringfence's default rules, run by real bpftrace: what
 * processes in another mount namespace do arrives decoded with the values they used, and what
 * no default rule can match never leaves the kernel.
 */

const syscalls = (records: KernelRecord[], ...types: string[]) =>
  records.filter((r): r is SyscallRecord => r.kind === 'syscall' && types.includes(r.type));

describe.skipIf(needs('bpftrace'))('capture with the default rules (real bpftrace)', () => {
  let capture: Capture;

  beforeAll(async () => {
    capture = await Capture.start([DEFAULT_RULES_FILE]);
  }, 60_000);

  afterAll(async () => {
    await capture?.stop();
  });

  it('captures the types the default rules need and nothing the kernel lacks', () => {
    expect(capture.plan.captured).toEqual(
      expect.arrayContaining([
        'execve',
        'clone',
        'procexit',
        'openat',
        'connect',
        'ptrace',
        'setuid',
        'mount',
      ]),
    );
    // The default rules read no unlink or chmod: those are not captured at all.
    expect(capture.plan.captured).not.toContain('unlinkat');
    expect(capture.plan.captured).not.toContain('chmod');
    for (const t of capture.plan.unavailable) expect(capture.host.tracepoints.has(t)).toBe(false);
  });

  it('an exec carries argv (non-ASCII, backslashes), parent, ids, inode, tty and cgroup', async () => {
    const m = marker('exec');
    const odd = ['héllo-✓ wörld', 'back\\x41slash', 'tab\there', ''];
    const quoted = odd.map((a) => `'${a}'`).join(' ');
    await inNewMountNamespace(`exec /bin/true ${m} ${quoted}`);
    const x = (await capture.waitFor(
      (r) => r.kind === 'exec' && r.filename === '/bin/true' && r.argv.includes(m),
    )) as ExecRecord;
    expect(x.argv).toEqual(['/bin/true', m, ...odd]);
    expect(x.truncated).toBe(false);
    expect(x.type).toBe('execve');
    expect(x.comm).toBe('true');
    expect(x.ppid).toBe(process.pid);
    expect(x.pid).toBe(x.tid);
    expect(x.vpid).toBe(x.pid);
    expect(x.uid).toBe(process.getuid!());
    expect(x.gid).toBe(process.getgid!());
    expect(x.mntns).not.toBe(capture.host.hostMountNamespace);
    const exe = statSync('/usr/bin/true');
    expect(x.exeIno).toBe(exe.ino);
    expect(Math.abs(x.exeCtime - exe.ctimeMs)).toBeLessThan(1);
    expect(x.unlinkedName).toBeUndefined();
    const self = parseStat(readFileSync('/proc/self/stat', 'utf8'))!;
    expect(x.tty).toBe(self.tty);
    const loginuid = Number(readFileSync('/proc/self/loginuid', 'utf8'));
    expect(x.loginuid).toBe(loginuid >= 0xffffffff ? -1 : loginuid);
    const cgroup = /^0::(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1];
    if (cgroup !== undefined) expect(x.cgroupId).toBe(statSync(`/sys/fs/cgroup${cgroup}`).ino);
    // The time is the kernel's, converted to the epoch: close to now.
    expect(Math.abs(x.ts - Date.now())).toBeLessThan(10_000);
  });

  it('a command line longer than the capture reads is cut and flagged; a shorter one whole', async () => {
    const m = marker('long');
    const long = `${'x'.repeat(1500)}`;
    const middle = `${'y'.repeat(300)}é${'z'.repeat(120)}`;
    await inNewMountNamespace(`/bin/true ${m} ${long}; /bin/true ${m} ${middle}; exit 0`);
    const cut = (await capture.waitFor(
      (r) => r.kind === 'exec' && r.argv[1] === m && r.argv[2]?.startsWith('x') === true,
    )) as ExecRecord;
    expect(cut.truncated).toBe(true);
    const kept = ARG_CHUNKS * STRING_BYTES - `/bin/true\0${m}\0`.length;
    expect(cut.argv).toEqual(['/bin/true', m, 'x'.repeat(kept)]);
    const whole = (await capture.waitFor(
      (r) => r.kind === 'exec' && r.argv[1] === m && r.argv[2]?.startsWith('y') === true,
    )) as ExecRecord;
    expect(whole.truncated).toBe(false);
    expect(whole.argv).toEqual(['/bin/true', m, middle]);
  });

  it('opens, renames, connects, ptrace and setuid arrive with their arguments; boring reads do not', async () => {
    const m = marker('sys');
    // The marker goes first in the script: the command line is longer than the capture reads.
    const script = `# ${m}
import ctypes, json, os, socket, sys, time
libc = ctypes.CDLL(None, use_errno=True)
m = sys.argv[1]
out = {}
p = '/usr/local/bin/' + m
fd = libc.open(p.encode(), 0o101, 0o640)
os.close(fd)
os.rename(p, p + '.new')
open('/etc/shadow', 'rb').read(1)
open('/usr/lib/os-release', 'rb').read(1)
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1)
c = socket.socket(); c.connect(srv.getsockname())
out['port'] = srv.getsockname()[1]; out['local'] = c.getsockname()[1]
try:
    s6 = socket.socket(socket.AF_INET6); s6.bind(('::1', 0)); s6.listen(1)
    c6 = socket.socket(socket.AF_INET6); c6.connect(s6.getsockname())
    out['port6'] = s6.getsockname()[1]
except OSError:
    pass
child = os.fork()
if child == 0:
    time.sleep(10); os._exit(0)
out['ptrace'] = libc.ptrace(16, child, 0, 0); out['traced'] = child
os.kill(child, 9); os.waitpid(child, 0)
pid = os.fork()
if pid == 0:
    os.setuid(65534); os._exit(0)
os.waitpid(pid, 0); out['setuid'] = pid
out['pid'] = os.getpid()
print(json.dumps(out))
`;
    // Files are made below /usr/local/bin on a tmpfs mounted in the workload's namespace only.
    const out = await python(script, [m], 'mount -t tmpfs rf-test /usr/local/bin && ');
    const x = (await capture.waitFor(
      (r) => r.kind === 'exec' && r.comm === 'python3' && r.argv.some((a) => a.includes(m)),
    )) as ExecRecord;
    expect(x.pid).toBe(out.pid);
    const mine = await capture.inNamespace(x.mntns);

    const creates = syscalls(mine, 'open', 'openat').filter((r) => r.strings.name?.endsWith(m));
    expect(creates).toHaveLength(1);
    expect(creates[0]!.args).toMatchObject({ flags: 'O_WRONLY|O_CREAT', mode: 0o640, dirfd: -100 });
    expect(creates[0]!.res).toBeGreaterThanOrEqual(0);
    expect(creates[0]!.strings.name).toBe(`/usr/local/bin/${m}`);

    const renames = syscalls(mine, 'rename', 'renameat', 'renameat2').filter((r) =>
      r.strings.oldpath?.endsWith(m),
    );
    expect(renames).toHaveLength(1);
    expect(renames[0]!.strings).toEqual({
      oldpath: `/usr/local/bin/${m}`,
      newpath: `/usr/local/bin/${m}.new`,
    });
    expect(renames[0]!.res).toBe(0);

    const shadow = syscalls(mine, 'open', 'openat').filter((r) => r.strings.name === '/etc/shadow');
    expect(shadow).toHaveLength(1);
    expect(shadow[0]!.args.flags).toBe('O_RDONLY|O_CLOEXEC');
    // Kernel narrowing: python read hundreds of files below /usr/lib; no default rule can
    // match a read there, so none of those opens was ever printed.
    const opens = syscalls(mine, 'open', 'openat', 'openat2');
    expect(opens.filter((r) => r.strings.name?.startsWith('/usr/lib/'))).toEqual([]);
    expect(opens.length).toBeLessThan(10);

    const connects = syscalls(mine, 'connect').filter((r) => r.socket?.remote?.port === out.port);
    expect(connects).toHaveLength(1);
    expect(connects[0]!.res).toBe(0);
    expect(connects[0]!.socket).toMatchObject({
      family: 2,
      protocol: 6,
      remote: { ip: '127.0.0.1', port: out.port },
      local: { ip: '127.0.0.1', port: out.local },
    });
    expect(connects[0]!.socket!.imode & 0xf000).toBe(0xc000);
    if (out.port6 !== undefined) {
      const six = syscalls(mine, 'connect').find((r) => r.socket?.remote?.port === out.port6);
      expect(six?.socket).toMatchObject({ family: 10, remote: { ip: '::1', port: out.port6 } });
    }

    const ptrace = syscalls(mine, 'ptrace');
    expect(ptrace).toHaveLength(1);
    expect(ptrace[0]!.args).toEqual({ request: 'PTRACE_ATTACH', pid: out.traced });
    expect(ptrace[0]!.res).toBe(out.ptrace);

    const setuid = syscalls(mine, 'setuid').filter((r) => r.pid === out.setuid);
    expect(setuid).toHaveLength(1);
    expect(setuid[0]!.args).toEqual({ uid: 65534 });
    expect(setuid[0]!.res).toBe(0);
    // The ids the thread had when it called: still root.
    expect(setuid[0]!.uid).toBe(0);

    // The process tree's own events: the forks and their exits.
    const forks = mine.filter((r) => r.kind === 'fork' && r.ppid === out.pid).map((r) => r.pid);
    expect(forks).toEqual(expect.arrayContaining([out.traced, out.setuid]));
    expect(mine.some((r) => r.kind === 'exit' && r.pid === out.setuid)).toBe(true);
    expect(capture.undecoded).toEqual([]);
  });

  it('an exec from a memfd (fileless) names the memfd', async () => {
    const m = marker('fileless');
    const script = `
import os, sys
fd = os.memfd_create('rf-fileless', 0)
with open('/usr/bin/true', 'rb') as f:
    os.write(fd, f.read())
os.execv('/proc/self/fd/%d' % fd, [sys.argv[1]])
`;
    await inNewMountNamespace(`/usr/bin/python3 -c "$RF_SCRIPT" ${m}; exit 0`, { RF_SCRIPT: script });
    const x = (await capture.waitFor((r) => r.kind === 'exec' && r.argv[0] === m)) as ExecRecord;
    expect(x.filename).toMatch(/^\/proc\/self\/fd\/\d+$/);
    expect(x.unlinkedName).toBe('memfd:rf-fileless');
    expect(x.argv).toEqual([m]);
  });

  it('the mount namespace in records is the one the process was in', async () => {
    const m = marker('ns');
    const out = await inNewMountNamespace(`readlink /proc/self/ns/mnt; exec /bin/true ${m}`);
    const ns = Number(/\[(\d+)\]/.exec(out)![1]);
    const x = (await capture.waitFor(
      (r) => r.kind === 'exec' && r.filename === '/bin/true' && r.argv[1] === m,
    )) as ExecRecord;
    expect(x.mntns).toBe(ns);
    expect(ns).not.toBe(Number(/\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/mnt'))![1]));
  });
});
