import { describe, expect, it } from 'vitest';
import { FieldRegistry } from '../../../../src/runtime/rules/fields/registry.js';
import { Memo } from '../../../../src/runtime/rules/fields/types.js';
import { compileOutput } from '../../../../src/runtime/rules/formatter.js';
import type { Event } from '../../../../src/types.js';
import { event } from '../make.js';

const registry = new FieldRegistry({ hostname: 'node-1' });
const render = (field: string, e: Event) => compileOutput(`%${field}`, registry).render(e, new Memo());

const full = event({
  // Milliseconds; a binary fraction so the nanoseconds are exact (doubles keep ~0.2 µs here).
  ts: 1_700_000_000_123.25,
  type: 'execve',
  proc: {
    pid: 300,
    ppid: 200,
    tid: 301,
    vpid: 7,
    name: 'curl',
    exe: 'curl',
    exepath: '/usr/bin/curl',
    cmdline: 'curl -s http://x',
    args: ['-s', 'http://x'],
    uid: 1000,
    gid: 1001,
    user: 'app',
    group: 'apps',
    loginuid: 1000,
    loginname: 'alice',
    cwd: '/srv',
    tty: 34816,
    sid: 200,
    pgid: 300,
    startTs: 1_700_000_000_000,
    env: { HOME: '/home/app', LANG: 'C' },
    isExeWritable: false,
    isExeUpperLayer: true,
    isExeFromMemfd: false,
    exeIno: 1234,
    exeCtime: 1_699_999_999_000,
    exeMtime: 1_699_999_998_000,
    capEffective: 'CAP_CHOWN CAP_NET_RAW',
    capPermitted: 'CAP_CHOWN CAP_NET_RAW CAP_SYS_ADMIN',
    capInheritable: '',
    ancestors: [
      {
        pid: 200,
        name: 'sh',
        exe: 'sh',
        exepath: '/usr/bin/dash',
        cmdline: 'sh -c curl -s http://x',
        startTs: 1_699_999_999_500,
      },
      { pid: 100, name: 'node', exe: 'node', exepath: '/usr/local/bin/node', cmdline: 'node server.js' },
    ],
  },
  fd: {
    num: 4,
    name: '10.0.0.5:40000->93.184.216.34:443',
    nameraw: 'raw',
    type: 'ipv4',
    l4proto: 'tcp',
    cip: '10.0.0.5',
    cport: 40000,
    sip: '93.184.216.34',
    sport: 443,
    isServer: false,
    connected: true,
    nameChanged: false,
    cipName: 'me.local',
    sipName: 'example.com',
  },
  evt: { args: { flags: 'O_WRONLY|O_CREAT', mode: '0755', uid: 0 }, res: -2, num: 12, buffer: 'abc' },
  container: {
    id: 'c0ffee123456',
    name: 'web',
    image: 'registry.local:5000/team/app:1.2',
    imageDigest: 'sha256:abc',
    imageId: 'sha256:def',
    runtime: 'docker',
    privileged: true,
    startTs: 1_699_999_990_000,
    labels: { app: 'web', tier: 'front' },
    mounts: [
      {
        source: '/var/run/docker.sock',
        dest: '/var/run/docker.sock',
        mode: '',
        rw: true,
        propagation: 'rprivate',
      },
      { source: '/srv/data', dest: '/data', mode: 'z', rw: false, propagation: 'rprivate' },
    ],
  },
  k8s: { ns: 'prod', pod: 'web-1', podUid: 'uid-1', labels: { app: 'web' } },
});

/** Every field the registry knows, with what it gives for `full` (`<NA>` where Falco would). */
const expected: Record<string, [string, string][]> = {
  'evt.type': [['evt.type', 'execve']],
  'syscall.type': [['syscall.type', 'execve']],
  'evt.dir': [['evt.dir', '<']],
  'evt.num': [['evt.num', '12']],
  'evt.source': [['evt.source', 'syscall']],
  'evt.hostname': [['evt.hostname', 'node-1']],
  'evt.time': [['evt.time', '22:13:20.123250000']],
  'evt.time.s': [['evt.time.s', '22:13:20']],
  'evt.time.iso8601': [['evt.time.iso8601', '2023-11-14T22:13:20.123250000Z']],
  'evt.datetime': [['evt.datetime', '2023-11-14 22:13:20.123250000']],
  'evt.datetime.s': [['evt.datetime.s', '2023-11-14 22:13:20']],
  'evt.rawtime': [['evt.rawtime', '1700000000123250000']],
  'evt.rawtime.s': [['evt.rawtime.s', '1700000000']],
  'evt.rawtime.ns': [['evt.rawtime.ns', '123250000']],
  'evt.res': [['evt.res', 'ENOENT']],
  'evt.rawres': [['evt.rawres', '-2']],
  'evt.failed': [['evt.failed', 'true']],
  'evt.args': [['evt.args', 'flags=O_WRONLY|O_CREAT mode=0755 uid=0']],
  'evt.arg': [
    ['evt.arg.flags', 'O_WRONLY|O_CREAT'],
    ['evt.arg[1]', '0755'],
    ['evt.arg.nothing', '<NA>'],
  ],
  'evt.rawarg': [['evt.rawarg.uid', '0']],
  'evt.is_open_read': [['evt.is_open_read', '<NA>']],
  'evt.is_open_write': [['evt.is_open_write', '<NA>']],
  'evt.is_open_create': [['evt.is_open_create', '<NA>']],
  'evt.is_open_exec': [['evt.is_open_exec', '<NA>']],
  'evt.buffer': [['evt.buffer', 'abc']],
  'evt.buflen': [['evt.buflen', '3']],
  'proc.pid': [['proc.pid', '300']],
  'proc.ppid': [['proc.ppid', '200']],
  'proc.vpid': [['proc.vpid', '7']],
  'thread.tid': [['thread.tid', '301']],
  'thread.ismain': [['thread.ismain', 'false']],
  'proc.name': [['proc.name', 'curl']],
  'proc.exe': [['proc.exe', 'curl']],
  'proc.exepath': [['proc.exepath', '/usr/bin/curl']],
  'proc.args': [['proc.args', '-s http://x']],
  'proc.cmdline': [['proc.cmdline', 'curl -s http://x']],
  'proc.exeline': [['proc.exeline', 'curl -s http://x']],
  'proc.cwd': [['proc.cwd', '/srv']],
  'proc.tty': [['proc.tty', '34816']],
  'proc.sid': [['proc.sid', '200']],
  'proc.sname': [['proc.sname', 'sh']],
  'proc.is_sid_leader': [['proc.is_sid_leader', 'false']],
  'proc.vpgid.name': [['proc.vpgid.name', 'curl']],
  'proc.vpgid.exe': [['proc.vpgid.exe', 'curl']],
  'proc.is_vpgid_leader': [['proc.is_vpgid_leader', 'true']],
  'proc.duration': [['proc.duration', '123250000']],
  'proc.ppid.duration': [['proc.ppid.duration', '623250000']],
  'proc.is_exe_writable': [['proc.is_exe_writable', 'false']],
  'proc.is_exe_upper_layer': [['proc.is_exe_upper_layer', 'true']],
  'proc.is_exe_from_memfd': [['proc.is_exe_from_memfd', 'false']],
  'proc.exe_ino': [['proc.exe_ino', '1234']],
  'proc.exe_ino.ctime': [['proc.exe_ino.ctime', '1699999999000000000']],
  'proc.exe_ino.mtime': [['proc.exe_ino.mtime', '1699999998000000000']],
  'proc.exe_ino.ctime_duration_proc_start': [['proc.exe_ino.ctime_duration_proc_start', '1000000000']],
  'thread.cap_effective': [['thread.cap_effective', 'CAP_CHOWN CAP_NET_RAW']],
  'thread.cap_permitted': [['thread.cap_permitted', 'CAP_CHOWN CAP_NET_RAW CAP_SYS_ADMIN']],
  'thread.cap_inheritable': [['thread.cap_inheritable', '']],
  'user.uid': [['user.uid', '1000']],
  'user.name': [['user.name', 'app']],
  'user.loginuid': [['user.loginuid', '1000']],
  'user.loginname': [['user.loginname', 'alice']],
  'group.gid': [['group.gid', '1001']],
  'group.name': [['group.name', 'apps']],
  'proc.pname': [['proc.pname', 'sh']],
  'proc.pexe': [['proc.pexe', 'sh']],
  'proc.pexepath': [['proc.pexepath', '/usr/bin/dash']],
  'proc.pcmdline': [['proc.pcmdline', 'sh -c curl -s http://x']],
  'proc.aname': [
    ['proc.aname[0]', 'curl'],
    ['proc.aname[1]', 'sh'],
    ['proc.aname[2]', 'node'],
    ['proc.aname[3]', '<NA>'],
    ['proc.aname', 'sh'],
  ],
  'proc.apid': [['proc.apid[2]', '100']],
  'proc.aexe': [['proc.aexe[2]', 'node']],
  'proc.aexepath': [['proc.aexepath[2]', '/usr/local/bin/node']],
  'proc.acmdline': [['proc.acmdline[2]', 'node server.js']],
  'proc.env': [
    ['proc.env', 'HOME=/home/app LANG=C'],
    ['proc.env[HOME]', '/home/app'],
    ['proc.env[constructor]', '<NA>'],
  ],
  'fd.num': [['fd.num', '4']],
  'fd.type': [['fd.type', 'ipv4']],
  'fd.typechar': [['fd.typechar', '4']],
  'fd.name': [['fd.name', '10.0.0.5:40000->93.184.216.34:443']],
  'fd.nameraw': [['fd.nameraw', 'raw']],
  'fd.directory': [['fd.directory', '<NA>']],
  'fd.filename': [['fd.filename', '<NA>']],
  'fd.l4proto': [['fd.l4proto', 'tcp']],
  'fd.sockfamily': [['fd.sockfamily', 'ip']],
  'fd.is_server': [['fd.is_server', 'false']],
  'fd.connected': [['fd.connected', 'true']],
  'fd.name_changed': [['fd.name_changed', 'false']],
  'fd.cip': [['fd.cip', '10.0.0.5']],
  'fd.sip': [['fd.sip', '93.184.216.34']],
  'fd.lip': [['fd.lip', '10.0.0.5']],
  'fd.rip': [['fd.rip', '93.184.216.34']],
  'fd.cport': [['fd.cport', '40000']],
  'fd.sport': [['fd.sport', '443']],
  'fd.lport': [['fd.lport', '40000']],
  'fd.rport': [['fd.rport', '443']],
  'fd.cnet': [['fd.cnet', '10.0.0.5']],
  'fd.snet': [['fd.snet', '93.184.216.34']],
  'fd.lnet': [['fd.lnet', '10.0.0.5']],
  'fd.rnet': [['fd.rnet', '93.184.216.34']],
  'fd.cip.name': [['fd.cip.name', 'me.local']],
  'fd.sip.name': [['fd.sip.name', 'example.com']],
  'fd.lip.name': [['fd.lip.name', 'me.local']],
  'fd.rip.name': [['fd.rip.name', 'example.com']],
  'fd.ip': [['fd.ip', '93.184.216.34']],
  'fd.net': [['fd.net', '93.184.216.34']],
  'fd.port': [['fd.port', '443']],
  'container.id': [['container.id', 'c0ffee123456']],
  'container.name': [['container.name', 'web']],
  'container.image': [['container.image', 'registry.local:5000/team/app:1.2']],
  'container.image.repository': [['container.image.repository', 'registry.local:5000/team/app']],
  'container.image.tag': [['container.image.tag', '1.2']],
  'container.image.digest': [['container.image.digest', 'sha256:abc']],
  'container.image.id': [['container.image.id', 'sha256:def']],
  'container.type': [['container.type', 'docker']],
  'container.privileged': [['container.privileged', 'true']],
  'container.start_ts': [['container.start_ts', '1699999990000000000']],
  'container.duration': [['container.duration', '10123250000']],
  'container.mounts': [
    [
      'container.mounts',
      '/var/run/docker.sock:/var/run/docker.sock::true:rprivate /srv/data:/data:z:false:rprivate',
    ],
  ],
  'container.labels': [['container.labels', 'app:web,tier:front']],
  'container.label': [
    ['container.label.app', 'web'],
    ['container.label[tier]', 'front'],
  ],
  'container.mount': [['container.mount[1]', '/srv/data:/data:z:false:rprivate']],
  'container.mount.source': [['container.mount.source[/data]', '/srv/data']],
  'container.mount.dest': [
    ['container.mount.dest[/var/run/docker.sock]', '/var/run/docker.sock'],
    ['container.mount.dest[/srv/*]', '/data'],
    ['container.mount.dest[/proc*]', '<NA>'],
  ],
  'container.mount.mode': [['container.mount.mode[/srv/data]', 'z']],
  'container.mount.rdwr': [['container.mount.rdwr[0]', 'true']],
  'container.mount.propagation': [['container.mount.propagation[0]', 'rprivate']],
  'k8s.ns.name': [['k8s.ns.name', 'prod']],
  'k8s.pod.name': [['k8s.pod.name', 'web-1']],
  'k8s.pod.id': [['k8s.pod.id', 'uid-1']],
  'k8s.pod.uid': [['k8s.pod.uid', 'uid-1']],
  'k8s.pod.labels': [['k8s.pod.labels', 'app:web']],
  'k8s.pod.label': [['k8s.pod.label.app', 'web']],
};

describe('field registry', () => {
  it('has a checked expectation for every field it knows', () => {
    expect(Object.keys(expected).sort()).toEqual(registry.names());
  });

  for (const [field, cases] of Object.entries(expected)) {
    it(field, () => {
      for (const [written, value] of cases) expect(render(written, full), written).toBe(value);
    });
  }

  it('derives file fields from a file path', () => {
    const file = event({
      fd: { name: '/usr/local/bin/tool', type: 'file', num: 3 },
      evt: { args: { flags: 'O_WRONLY|O_CREAT|O_TRUNC', mode: 493 }, res: 3 },
    });
    expect(render('fd.directory', file)).toBe('/usr/local/bin');
    expect(render('fd.filename', file)).toBe('tool');
    expect(render('fd.typechar', file)).toBe('f');
    expect(render('fd.nameraw', file)).toBe('/usr/local/bin/tool');
    expect(render('evt.is_open_read', file)).toBe('false');
    expect(render('evt.is_open_write', file)).toBe('true');
    expect(render('evt.is_open_create', file)).toBe('true');
    expect(render('evt.is_open_exec', file)).toBe('true');
    expect(render('evt.res', file)).toBe('SUCCESS');
    expect(render('fd.directory', event({ fd: { name: '/x', type: 'file' } }))).toBe('/');
    expect(render('evt.is_open_read', event({ evt: { args: { flags: 'O_RDWR' } } }))).toBe('true');
    expect(render('evt.is_open_write', event({ evt: { args: { flags: 2 } } }))).toBe('true');
    expect(render('evt.is_open_write', event({ type: 'creat', evt: { args: {} } }))).toBe('true');
  });

  it('treats host processes as Falco does', () => {
    const host = event({ container: undefined });
    expect(render('container.id', host)).toBe('host');
    expect(render('container.name', host)).toBe('host');
    expect(render('container.image.repository', host)).toBe('<NA>');
  });

  it('splits image references without a tag or with a digest', () => {
    const repo = (image: string) =>
      render('container.image.repository', event({ container: { id: 'x', image } }));
    const tag = (image: string) => render('container.image.tag', event({ container: { id: 'x', image } }));
    expect([repo('nginx'), tag('nginx')]).toEqual(['nginx', 'latest']);
    expect([repo('localhost:5000/app'), tag('localhost:5000/app')]).toEqual(['localhost:5000/app', 'latest']);
    expect([repo('app@sha256:abc'), tag('app@sha256:abc')]).toEqual(['app', '<NA>']);
    expect([repo('app:1@sha256:abc'), tag('app:1@sha256:abc')]).toEqual(['app', '1']);
    const explicit = event({
      container: { id: 'x', image: 'a:b', imageRepository: 'docker.io/library/a', imageTag: 'b' },
    });
    expect(render('container.image.repository', explicit)).toBe('docker.io/library/a');
  });

  it('reports unknown fields as such, and misuse with a reason', () => {
    expect(registry.resolve('proc.nope', undefined)).toEqual({
      error: "unknown field 'proc.nope'",
      unknown: true,
    });
    expect(registry.resolve('proc.name', '1')).toMatchObject({ unknown: false });
    expect(registry.resolve('evt.arg.flags', 'x')).toMatchObject({ unknown: false });
  });
});
