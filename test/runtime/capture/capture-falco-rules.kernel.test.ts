import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KernelRecord, SyscallRecord } from '../../../src/runtime/capture/decode.js';
import { needs, sharedDir } from '../../helpers/components.js';
import { Capture, marker, python } from './harness.js';

/**
 * The capture program generated for Falco's own three rule files (stable, incubating,
 * sandbox), run by real bpftrace. Their open filter searches paths for more `contains`
 * literals than one BPF program's stack holds, so this also proves the program loads.
 */

const shared = sharedDir();
const FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];

const syscalls = (records: KernelRecord[], ...types: string[]) =>
  records.filter((r): r is SyscallRecord => r.kind === 'syscall' && types.includes(r.type));

describe.skipIf(needs('bpftrace') || !shared)("capture with Falco's rules (real bpftrace)", () => {
  let capture: Capture;

  beforeAll(async () => {
    capture = await Capture.start(FILES.map((f) => join(shared!, 'corpora/falco-rules', f)));
  }, 60_000);

  afterAll(async () => {
    await capture?.stop();
  });

  it('captures the file, network and process types the rules name', () => {
    expect(capture.plan.captured).toEqual(
      expect.arrayContaining([
        'openat',
        'unlinkat',
        'renameat2',
        'chmod',
        'fchmodat',
        'connect',
        'ptrace',
        'setuid',
      ]),
    );
    expect(capture.plan.anyTypeRules).toEqual([]);
  });

  it('unlink, rename, chmod, a create and a connect arrive with their arguments', async () => {
    const m = marker('falco');
    const script = `# ${m}
import json, os, socket, sys
d = '/usr/local/bin'
p = d + '/' + sys.argv[1]
fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.close(fd)
os.chmod(p, 0o4755)
os.rename(p, p + '.moved')
os.unlink(p + '.moved')
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1)
c = socket.socket(); c.connect(srv.getsockname())
print(json.dumps({'pid': os.getpid(), 'port': srv.getsockname()[1]}))
`;
    const out = await python(script, [m], 'mount -t tmpfs rf-test /usr/local/bin && ');
    const x = await capture.execWith(m);
    const mine = await capture.inNamespace(x.mntns);
    const p = `/usr/local/bin/${m}`;

    const create = syscalls(mine, 'open', 'openat').find((r) => r.strings.name === p);
    expect(create?.args).toMatchObject({
      flags: 'O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC',
      mode: 0o600,
      dirfd: -100,
    });

    const chmod = syscalls(mine, 'chmod', 'fchmodat').find((r) => r.strings.filename === p);
    expect(chmod?.args.mode).toBe(0o4755);
    expect(chmod?.res).toBe(0);

    const rename = syscalls(mine, 'rename', 'renameat', 'renameat2').find((r) => r.strings.oldpath === p);
    expect(rename?.strings.newpath).toBe(`${p}.moved`);

    const unlink = syscalls(mine, 'unlink', 'unlinkat').find(
      (r) => (r.strings.path ?? r.strings.name) === `${p}.moved`,
    );
    expect(unlink?.res).toBe(0);
    if (unlink?.type === 'unlinkat') expect(unlink.args).toEqual({ dirfd: -100, flags: 0 });

    const connect = syscalls(mine, 'connect').find((r) => r.socket?.remote?.port === out.port);
    expect(connect?.socket?.remote).toEqual({ ip: '127.0.0.1', port: out.port });
    expect(capture.undecoded).toEqual([]);
  });

  it('the kernel finds a contains literal wherever it sits in the path words, and drops the rest', async () => {
    // Falco reads `fd.name contains id_rsa` on opens (read or failed): the kernel looks for
    // it in 8-byte words, so it is tried at every offset; a near miss must not pass, and a
    // boring read below /usr/lib must not reach user space at all.
    const m = marker('contains');
    const hits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 13].map((k) => `/nonexistent-rf/${'a'.repeat(k)}id_rsa`);
    const misses = [0, 3, 7].map((k) => `/nonexistent-rf/${'a'.repeat(k)}id_rs`);
    const script = `# ${m}
import json, os, sys
for p in json.loads(sys.argv[1]):
    try:
        open(p, 'rb')
    except OSError:
        pass
open('/usr/lib/os-release', 'rb').read(1)
print(json.dumps({}))
`;
    await python(script, [JSON.stringify([...hits, ...misses])]);
    const x = await capture.execWith(m);
    const names = syscalls(await capture.inNamespace(x.mntns), 'open', 'openat').map((r) => r.strings.name);
    for (const h of hits) expect(names).toContain(h);
    for (const miss of misses) expect(names).not.toContain(miss);
    expect(names.filter((n) => n?.startsWith('/usr/lib/'))).toEqual([]);
  });
});
