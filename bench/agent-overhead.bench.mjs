// Runtime agent overhead: how much slower work in a container runs while `ringfence agent`
// watches it, against the same work with no tracer in the same run (the floor), and against a
// plain bpftrace one-liner that prints every openat of the container (the reference point:
// capture with no filtering in the kernel and nothing done with the events).
//
// Work, all inside one container of a local Debian 12 minbase image (never pulled):
//   - a realistic workload: `tar -cf - usr | gzip -1` of the container's /usr, extracting that
//     archive again, and `npm install --offline` of the repository's runtime dependencies and a
//     few dev tools packed from node_modules into local tarballs (Node is the host's, mounted),
//     then `rm -rf` of all it wrote (on a tmpfs: disk contention from other work on a shared
//     machine swamped the differences when it went to the container's overlay);
//   - an open() storm: a small C program doing OPENS open/close pairs, mostly of paths no
//     default rule can match (reads below /usr, writes below /tmp, missing libraries) with one
//     read of /etc/shadow and one write below /etc per thousand, so in-kernel filtering shows;
//   - the same storm where every open is a read of /etc/shadow by a program named `sshd`: the
//     kernel cannot test process names, so every event reaches the rule engine (no alert, as
//     sshd may read it): what the agent delivers when nothing is filtered.
// Modes alternate within each round (none, bpftrace, agent; the order rotates per round); each
// tracer is started fresh per round and stopped after it. Times are measured inside the
// container (the storm times its own loop), so `docker exec` costs are not in them. Figures are
// medians over the rounds; each ratio is the median of per-round ratios. Events per second are
// the agent's /metrics deltas (or bpftrace's printed lines) over the phase and its drain.
// Needs root, bpftrace, docker, gcc (and mmdebstrap when the base image is absent).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.env.RF_BENCH_ROUNDS ?? 3);
const OPENS = Number(process.env.RF_BENCH_OPENS ?? 500_000);
/** Which of none, bpftrace, agent to run (ratios need none). */
const MODES = (process.env.RF_BENCH_MODES ?? 'none,bpftrace,agent').split(',');
/** Extra node options for the agent process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const AGENT_NODE_OPTIONS = (process.env.RF_BENCH_AGENT_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
const repo = new URL('..', import.meta.url).pathname;
const out = (s) => process.stdout.write(`${s}\n`);

function skip(reason) {
  out(`SKIP: ${reason}`);
  process.exit(0);
}
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
if (process.getuid?.() !== 0) skip('needs root (bpftrace and the agent attach kernel probes)');
if (!has('bpftrace')) skip('bpftrace is not installed');
if (!has('docker') || spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0)
  skip('docker is not installed or its daemon is not running');
if (!has('gcc')) skip('gcc is not installed (the open() storm is a small C program)');
if (!existsSync('/usr/lib/node_modules/npm/bin/npm-cli.js')) skip('npm is not at /usr/lib/node_modules/npm');

const agentBin = join(repo, 'bin', 'ringfence');
const agentAvailable =
  spawnSync(process.execPath, [agentBin, 'agent', '--help'], { stdio: 'ignore', timeout: 60_000 }).status ===
  0;

// ---- helpers ----------------------------------------------------------------------------------
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sec = (x) => (Number.isFinite(x) ? `${x.toFixed(2)} s` : 'n/a');
const ratio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');
const kps = (x) => (Number.isFinite(x) ? `${(x / 1000).toFixed(1)}k/s` : 'n/a');
const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en') : 'n/a');

/** Runs a command without blocking the event loop (a tracer's output is read meanwhile). */
function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** utime + stime of a process, in seconds (0 when it is gone). */
function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** The process and its descendants: pid → command name. */
function tree(root) {
  const children = new Map();
  const names = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      names.set(Number(d), stat.slice(stat.indexOf('(') + 1, close));
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch {}
  }
  const found = new Map();
  const stack = [root];
  while (stack.length) {
    const p = stack.pop();
    found.set(p, names.get(p) ?? '?');
    stack.push(...(children.get(p) ?? []));
  }
  return found;
}

/** CPU seconds of a tracer's processes: node (and of that, its main thread), bpftrace, others. */
function tracerCpu(root) {
  const split = { node: 0, main: 0, bpftrace: 0, other: 0 };
  for (const [pid, name] of tree(root)) {
    const k =
      name === 'bpftrace' ? 'bpftrace' : name === 'node' || name.startsWith('ringfence') ? 'node' : 'other';
    split[k] += cpuOf(pid);
    if (k === 'node') split.main += cpuOf(`${pid}/task/${pid}`);
  }
  return split;
}

// ---- setup ------------------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'rf-bench-agent-'));
const container = `rf-bench-agent-${process.pid}`;
let containerId = '';
let containerMountNs = 0;
const live = new Set();
let cleaned = false;
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const child of live) child.kill('SIGKILL');
  spawnSync('docker', ['rm', '-f', container], { stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });

const STORM_C = String.raw`
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* openstorm OPENS mixed|shadow PATHLIST: OPENS open()+close() pairs, timed. */
int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: %s OPENS mixed|shadow PATHLIST\n", argv[0]); return 2; }
  long n = atol(argv[1]);
  int shadow = strcmp(argv[2], "shadow") == 0;
  static char *paths[4096];
  int npaths = 0;
  char line[512];
  FILE *f = fopen(argv[3], "r");
  if (!f) { perror(argv[3]); return 1; }
  while (npaths < 4096 && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    if (*line) paths[npaths++] = strdup(line);
  }
  fclose(f);
  if (npaths == 0) { fprintf(stderr, "no paths\n"); return 1; }
  mkdir("/tmp/storm", 0755);
  char tmp[64][32], missing[16][64];
  for (int i = 0; i < 64; i++) snprintf(tmp[i], sizeof tmp[i], "/tmp/storm/f%d", i);
  for (int i = 0; i < 16; i++)
    snprintf(missing[i], sizeof missing[i], "/usr/lib/x86_64-linux-gnu/libmissing%d.so.1", i);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  long failed = 0;
  for (long i = 0; i < n; i++) {
    int fd;
    if (shadow || i % 1000 == 0) fd = open("/etc/shadow", O_RDONLY | O_CLOEXEC);
    else if (i % 1000 == 500) fd = open("/etc/rf-storm.conf", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    else {
      int k = i % 100;
      if (k < 90) fd = open(paths[i % npaths], O_RDONLY | O_CLOEXEC);
      else if (k < 95) fd = open(tmp[i % 64], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      else fd = open(missing[i % 16], O_RDONLY | O_CLOEXEC);
    }
    if (fd >= 0) close(fd); else failed++;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("opens=%ld failed=%ld wall_ns=%lld user_us=%ld sys_us=%ld\n", n, failed,
         (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec),
         (long)(ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec),
         (long)(ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec));
  return 0;
}
`;

const WORKLOAD_SH = `set -e
now() { date +%s.%N; }
export PATH=/opt/node/bin:$PATH HOME=/tmp/w/home
rm -rf /tmp/w/* && mkdir -p /tmp/w/x /tmp/w/proj /tmp/w/home && cp /bench/package.json /tmp/w/proj/
t0=$(now)
tar -C / -cf - usr | gzip -1 > /tmp/w/usr.tgz
t1=$(now)
tar -C /tmp/w/x -xzf /tmp/w/usr.tgz
t2=$(now)
cd /tmp/w/proj
node /opt/node/lib/npm/bin/npm-cli.js install --offline --no-audit --no-fund --ignore-scripts \\
  --loglevel=error --cache /tmp/w/cache >/dev/null
t3=$(now)
files=0
if [ "$1" = count ]; then files=$(find /tmp/w/x /tmp/w/proj/node_modules | wc -l); fi
cd / && rm -rf /tmp/w/*
t4=$(now)
rm -rf /tmp/storm /etc/rf-storm.conf
echo "$t0 $t1 $t2 $t3 $t4 $files"
`;

/** The repository's runtime dependencies and a few dev tools, with everything they need. */
function dependencyClosure() {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')).packages;
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const roots = [...Object.keys(pkg.dependencies ?? {}), 'typescript', 'vitest', 'ajv', 'fast-check'];
  const seen = new Set();
  const resolve = (from, name) => {
    let p = from;
    for (;;) {
      const key = `${p ? `${p}/` : ''}node_modules/${name}`;
      if (lock[key]) return key;
      if (!p) return undefined;
      const i = p.lastIndexOf('/node_modules/');
      p = i < 0 ? '' : p.slice(0, i);
    }
  };
  const walk = (key) => {
    // Optional platform packages for other systems are in the lockfile but not installed.
    if (seen.has(key) || !existsSync(join(repo, key))) return;
    seen.add(key);
    const e = lock[key];
    for (const d of Object.keys({ ...e.dependencies, ...e.optionalDependencies })) {
      const r = resolve(key, d);
      if (r) walk(r);
    }
  };
  for (const r of roots) walk(`node_modules/${r}`);
  return [...seen];
}

async function setup() {
  const base = `rf-test/debian12-${createHash('sha256').update('').digest('hex').slice(0, 12)}:latest`;
  if (spawnSync('docker', ['image', 'inspect', base], { stdio: 'ignore' }).status !== 0) {
    if (!has('mmdebstrap')) skip(`the base image ${base} is absent and mmdebstrap is not installed`);
    out(`building ${base} with mmdebstrap (Debian archive, once per machine)`);
    const r = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; mmdebstrap --variant=minbase --quiet bookworm - http://deb.debian.org/debian | docker import - ${base}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], timeout: 900_000 },
    );
    if (r.status !== 0) throw new Error('mmdebstrap | docker import failed');
  }

  writeFileSync(join(work, 'storm.c'), STORM_C);
  const cc = spawnSync('gcc', ['-O2', '-static', '-o', join(work, 'openstorm'), join(work, 'storm.c')], {
    encoding: 'utf8',
  });
  if (cc.status !== 0) throw new Error(`gcc: ${cc.stderr}`);
  copyFileSync(join(work, 'openstorm'), join(work, 'sshd'));
  spawnSync('chmod', ['755', join(work, 'sshd')]);
  writeFileSync(join(work, 'workload.sh'), WORKLOAD_SH);

  const closure = dependencyClosure();
  mkdirSync(join(work, 'tgz'));
  const packed = spawnSync(
    'npm',
    [
      'pack',
      '--ignore-scripts',
      '--json',
      '--pack-destination',
      join(work, 'tgz'),
      ...closure.map((k) => join(repo, k)),
    ],
    { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, cwd: work },
  );
  if (packed.status !== 0) throw new Error(`npm pack: ${packed.stderr.slice(-2000)}`);
  const dependencies = {};
  for (const p of JSON.parse(packed.stdout)) dependencies[p.name] = `file:/bench/tgz/${p.filename}`;
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify({ name: 'rf-bench-app', version: '1.0.0', private: true, dependencies }, null, 2),
  );

  containerId = await run('docker', [
    'run',
    '-d',
    '--name',
    container,
    '--network',
    'none',
    '--tmpfs',
    '/tmp/w:exec,size=2g',
    '-v',
    `${work}:/bench:ro`,
    '-v',
    '/usr/bin/node:/opt/node/bin/node:ro',
    '-v',
    '/usr/lib/node_modules/npm:/opt/node/lib/npm:ro',
    base,
    'sleep',
    'infinity',
  ]);
  containerId = containerId.trim();
  const pid = (await run('docker', ['inspect', '-f', '{{.State.Pid}}', container])).trim();
  containerMountNs = mountNs(pid);
  // Files the storm reads: spread over the image's /usr/lib and /usr/share.
  const files = (await run('docker', ['exec', container, 'find', '/usr/lib', '/usr/share', '-type', 'f']))
    .split('\n')
    .filter(Boolean);
  const step = Math.max(1, Math.floor(files.length / 2000));
  writeFileSync(join(work, 'paths'), `${files.filter((_, i) => i % step === 0).join('\n')}\n`);
  const usr = (await run('docker', ['exec', container, 'du', '-sm', '/usr'])).split('\t')[0];
  return { base, packages: Object.keys(dependencies).length, usrMiB: Number(usr), readPaths: files.length };
}

// ---- the work ---------------------------------------------------------------------------------
async function workload(count = false) {
  const args = ['exec', container, 'sh', '/bench/workload.sh', ...(count ? ['count'] : [])];
  const [t0, t1, t2, t3, t4, files] = (await run('docker', args)).trim().split(/\s+/).map(Number);
  return { wall: t4 - t0, tgz: t1 - t0, extract: t2 - t1, npm: t3 - t2, rm: t4 - t3, files };
}

async function storm(kind) {
  const prog = kind === 'shadow' ? '/bench/sshd' : '/bench/openstorm';
  const text = await run('docker', ['exec', container, prog, String(OPENS), kind, '/bench/paths']);
  const f = Object.fromEntries(
    text
      .trim()
      .split(' ')
      .map((kv) => kv.split('=').map((x, i) => (i ? Number(x) : x))),
  );
  return { wall: f.wall_ns / 1e9, user: f.user_us / 1e6, sys: f.sys_us / 1e6, failed: f.failed };
}

const PHASES = [
  ['workload', workload],
  ['storm', () => storm('mixed')],
  ['shadow', () => storm('shadow')],
];

/** CPU seconds the container's processes used so far (its cgroup, v2 or v1), total and kernel. */
function containerCpu() {
  for (const dir of [
    `/sys/fs/cgroup/system.slice/docker-${containerId}.scope`,
    `/sys/fs/cgroup/docker/${containerId}`,
  ]) {
    try {
      const stat = Object.fromEntries(
        readFileSync(`${dir}/cpu.stat`, 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split(' ')),
      );
      return { total: Number(stat.usage_usec) / 1e6, sys: Number(stat.system_usec) / 1e6 };
    } catch {}
  }
  try {
    const dir = `/sys/fs/cgroup/cpuacct/docker/${containerId}`;
    return {
      total: Number(readFileSync(`${dir}/cpuacct.usage`, 'utf8')) / 1e9,
      sys: Number(readFileSync(`${dir}/cpuacct.usage_sys`, 'utf8')) / 1e9,
    };
  } catch {
    return { total: Number.NaN, sys: Number.NaN };
  }
}

// ---- tracers ----------------------------------------------------------------------------------
/** The mount namespace inode of a process (`mnt:[INODE]`). */
function mountNs(pid) {
  const m = /\[(\d+)\]/.exec(
    spawnSync('readlink', [`/proc/${pid}/ns/mnt`], { encoding: 'utf8' }).stdout ?? '',
  );
  if (!m) throw new Error(`cannot read the mount namespace of ${pid}`);
  return Number(m[1]);
}

/** Waits until `count()` has not changed for a second (at most 120 s); returns the seconds waited. */
async function drain(count) {
  const t0 = performance.now();
  let last = await count();
  let lastChange = t0;
  while (performance.now() - lastChange < 1000 && performance.now() - t0 < 120_000) {
    await sleep(100);
    const c = await count();
    if (c !== last) {
      last = c;
      lastChange = performance.now();
    }
  }
  return (lastChange - t0) / 1000;
}

function waitFor(child, stream, pattern, what, seconds) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error(`${what} not ready after ${seconds} s: ${text.slice(-2000)}`)),
      seconds * 1000,
    );
    const onData = (d) => {
      text += d;
      if (/internal error/.test(text)) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${what} failed: ${text.slice(-2000)}`));
      } else if (pattern.test(text)) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve();
      }
    };
    stream.on('data', onData);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code ?? sig}) before it was ready: ${text.slice(-2000)}`));
    });
  });
}

async function stop(child, what) {
  if (child.exitCode !== null || child.signalCode !== null)
    return { code: child.exitCode, signal: child.signalCode };
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  child.kill(what === 'bpftrace' ? 'SIGINT' : 'SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const r = await exited;
  clearTimeout(t);
  live.delete(child);
  return r;
}

/**
 * bpftrace printing every openat of the bench's container (its mount namespace: other
 * containers on a shared machine stay out of the count; the agent watches them all).
 */
async function startBpftrace() {
  const prog = `BEGIN { printf("RFREADY\\n"); }
tracepoint:syscalls:sys_enter_openat /curtask->nsproxy->mnt_ns->ns.inum == ${containerMountNs}/ {
  printf("%d %s %s\\n", pid, comm, str(args->filename));
}`;
  const child = spawn('bpftrace', ['-e', prog], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let lines = 0;
  let lost = 0;
  let carry = '';
  const ready = waitFor(child, child.stdout, /RFREADY/, 'bpftrace', 60);
  child.stdout.on('data', (d) => {
    for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
    const text = carry + d.toString('latin1');
    for (const m of text.matchAll(/^Lost (\d+) events$/gm)) lost += Number(m[1]);
    carry = text.slice(text.lastIndexOf('\n') + 1).slice(-200);
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  await ready;
  return {
    name: 'bpftrace',
    pid: child.pid,
    snapshot: async () => ({ events: lines, lost, byType: {} }),
    stop: async () => ({ ...(await stop(child, 'bpftrace')), stderr }),
  };
}

function parseMetrics(text) {
  const m = new Map();
  for (const line of text.split('\n')) {
    if (!line || line[0] === '#') continue;
    const i = line.lastIndexOf(' ');
    m.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return m;
}

async function startAgent(alerts) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...AGENT_NODE_OPTIONS, agentBin, 'agent', '--metrics-port', String(port), '--output', alerts],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  live.add(child);
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-8000);
  });
  const t0 = performance.now();
  await waitFor(child, child.stderr, /ready/, 'ringfence agent', 180);
  const startup = (performance.now() - t0) / 1000;
  const scrape = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    const m = parseMetrics(await res.text());
    const byType = {};
    let events = 0;
    let lost = 0;
    for (const [k, v] of m) {
      if (k.startsWith('ringfence_agent_events_total')) {
        events += v;
        const type = /type="([^"]*)"/.exec(k)?.[1] ?? '';
        byType[type] = (byType[type] ?? 0) + v;
      } else if (k.startsWith('ringfence_agent_events_lost_total')) lost += v;
    }
    return { events, lost, byType };
  };
  return {
    name: 'agent',
    pid: child.pid,
    startup,
    snapshot: scrape,
    stop: async () => ({ ...(await stop(child, 'agent')), stderr }),
  };
}

/**
 * bpftrace processes this bench did not start: another agent or tracer on a shared machine.
 * Their probes slow every container's syscalls, the floor's too, so runs they overlap are marked.
 */
function foreignTracers() {
  const mine = new Set();
  for (const c of live) for (const pid of tree(c.pid).keys()) mine.add(pid);
  const found = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || mine.has(Number(d))) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'bpftrace') found.push(Number(d));
    } catch {}
  }
  return found;
}

/** Waits (at most 3 minutes) until no foreign tracer runs; returns the seconds waited. */
async function waitForQuiet() {
  const t0 = performance.now();
  while (foreignTracers().length > 0 && performance.now() - t0 < 180_000) await sleep(2000);
  return (performance.now() - t0) / 1000;
}

/** Runs every phase under one tracer (or none); returns per-phase times, events and CPU. */
async function runMode(mode, round) {
  const alerts = join(work, `alerts-${round}.jsonl`);
  const waited = await waitForQuiet();
  const tracer =
    mode === 'none' ? null : mode === 'bpftrace' ? await startBpftrace() : await startAgent(alerts);
  const result = { startup: tracer?.startup, waited, foreign: false };
  try {
    if (tracer) {
      // What the tracer sees while the bench's container is idle (other containers, if any).
      const b0 = await tracer.snapshot();
      await sleep(5000);
      result.background = ((await tracer.snapshot()).events - b0.events) / 5;
    }
    for (const [phase, fn] of PHASES) {
      const before = tracer && (await tracer.snapshot());
      const cpu0 = tracer && tracerCpu(tracer.pid);
      if (foreignTracers().length > 0) result.foreign = true;
      const c0 = containerCpu();
      const t0 = performance.now();
      const r = await fn();
      const elapsed = (performance.now() - t0) / 1000;
      const c1 = containerCpu();
      if (foreignTracers().length > 0) result.foreign = true;
      r.cpu = c1.total - c0.total;
      r.ksys = c1.sys - c0.sys;
      if (tracer) {
        const drained = await drain(async () => (await tracer.snapshot()).events);
        const after = await tracer.snapshot();
        const cpu1 = tracerCpu(tracer.pid);
        r.events = after.events - before.events;
        r.lost = after.lost - before.lost;
        r.drain = drained;
        // Delivered per second of the work (timed in the container) plus the drain after it.
        r.rate = r.events / (r.wall + drained);
        r.exec = elapsed;
        r.tracer = Object.fromEntries(Object.keys(cpu1).map((k) => [k, cpu1[k] - cpu0[k]]));
        r.byType = Object.fromEntries(
          Object.keys(after.byType).map((k) => [k, after.byType[k] - (before.byType[k] ?? 0)]),
        );
      }
      result[phase] = r;
    }
  } finally {
    if (tracer) {
      result.exit = await tracer.stop();
      if (mode === 'agent')
        result.alerts = existsSync(alerts)
          ? readFileSync(alerts, 'utf8').split('\n').filter(Boolean).length
          : 0;
    }
  }
  return result;
}

// ---- main -------------------------------------------------------------------------------------
try {
  out(
    `machine: ${cpus().length} cores, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} at start`,
  );
  const info = await setup();
  out(
    `container: ${info.base}, /usr ${info.usrMiB} MiB; npm install of ${info.packages} local tarballs; ` +
      `storm: ${OPENS.toLocaleString('en')} opens per run (reads of ${int(Math.min(info.readPaths, 2000))} files)`,
  );
  if (!agentAvailable)
    out('SKIP agent: `ringfence agent --help` fails (not built yet?): baseline and bpftrace only');
  const modes = MODES.filter((m) => m !== 'agent' || agentAvailable);
  const w = await workload(true); // warm-up: page cache, npm's first run
  out(`warm-up workload: ${sec(w.wall)} (${int(w.files)} files written)`);
  const runs = Object.fromEntries(modes.map((m) => [m, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = modes.map((_, i) => modes[(i + round) % modes.length]);
    for (const mode of order) {
      const r = await runMode(mode, round);
      runs[mode].push(r);
      const parts = PHASES.map(([p]) => {
        const x = r[p];
        let s = `${p} ${sec(x.wall)} (cpu ${sec(x.cpu)})`;
        if (x.events !== undefined)
          s += ` [${int(x.events)} ev, ${kps(x.rate)}, lost ${int(x.lost)}, drain ${x.drain.toFixed(1)} s]`;
        return s;
      });
      out(
        `round ${round + 1} ${mode}: ${parts.join('; ')}` +
          (r.startup ? `; ready after ${r.startup.toFixed(1)} s` : '') +
          (r.background !== undefined ? `; idle ${r.background.toFixed(0)} events/s` : '') +
          (r.alerts !== undefined ? `; ${r.alerts} alerts` : '') +
          (r.exit ? `; exit ${r.exit.code ?? r.exit.signal}` : '') +
          (r.waited >= 1 ? `; waited ${r.waited.toFixed(0)} s for other tracers to end` : '') +
          (r.foreign ? '; ANOTHER TRACER RAN MEANWHILE' : ''),
      );
    }
  }

  // ---- summary ---------------------------------------------------------------------------------
  // Rounds with no foreign tracer in any mode, when there are some; else every round.
  const clean = [...Array(ROUNDS).keys()].filter((i) => modes.every((m) => !runs[m][i].foreign));
  const use = clean.length > 0 ? clean : [...Array(ROUNDS).keys()];
  out('');
  out(
    clean.length === ROUNDS
      ? `all ${ROUNDS} rounds ran with no other tracer on the machine`
      : clean.length > 0
        ? `figures from rounds ${clean.map((i) => i + 1).join(', ')} only: another tracer ran during the others`
        : 'WARNING: another tracer (bpftrace) ran during every round: the floor is slowed too',
  );
  const med = (mode, phase, get) => median(use.map((i) => get(runs[mode][i][phase])));
  const ratioTo = (mode, phase, key) =>
    runs.none ? median(use.map((i) => runs[mode][i][phase][key] / runs.none[i][phase][key])) : Number.NaN;
  out('');
  out(
    '| phase | tracer | wall | × wall | container CPU | × CPU | tracer CPU: node (main thread) + bpftrace |',
  );
  out('|---|---|---|---|---|---|---|');
  for (const [phase] of PHASES)
    for (const mode of modes) {
      const tracer =
        mode === 'none'
          ? ''
          : `${med(mode, phase, (x) => x.tracer.node).toFixed(2)} s (main thread ${med(mode, phase, (x) => x.tracer.main).toFixed(2)} s) + ${med(mode, phase, (x) => x.tracer.bpftrace).toFixed(2)} s`;
      out(
        `| ${phase} | ${mode} | ${sec(med(mode, phase, (x) => x.wall))} | ${ratio(ratioTo(mode, phase, 'wall'))} | ` +
          `${sec(med(mode, phase, (x) => x.cpu))} | ${ratio(ratioTo(mode, phase, 'cpu'))} | ${tracer} |`,
      );
    }
  out('');
  out('| phase | tracer | events delivered | per second | lost (as reported) | drain after the work |');
  out('|---|---|---|---|---|---|');
  for (const [phase] of PHASES)
    for (const mode of modes.filter((m) => m !== 'none'))
      out(
        `| ${phase} | ${mode} | ${int(med(mode, phase, (x) => x.events))} | ${kps(med(mode, phase, (x) => x.rate))} | ` +
          `${int(med(mode, phase, (x) => x.lost))} | ${med(mode, phase, (x) => x.drain).toFixed(1)} s |`,
      );
  out('');
  for (const part of ['tgz', 'extract', 'npm', 'rm'])
    out(
      `workload part ${part}: ${modes.map((m) => `${m} ${sec(med(m, 'workload', (x) => x[part]))}${m === 'none' ? '' : ` (${ratio(median(use.map((i) => runs[m][i].workload[part] / runs.none?.[i]?.workload[part])))})`}`).join(', ')}`,
    );
  out('');
  for (const mode of modes)
    out(
      `${mode}: container kernel CPU ${PHASES.map(([p]) => `${p} ${sec(med(mode, p, (x) => x.ksys))}`).join(', ')}` +
        (mode === 'none'
          ? ''
          : `; events/s while the bench's container is idle: ${median(runs[mode].map((r) => r.background)).toFixed(0)}`),
    );
  if (runs.agent) {
    const last = runs.agent[runs.agent.length - 1];
    for (const [phase] of PHASES)
      out(
        `agent events by type, ${phase} (last round): ${Object.entries(last[phase].byType)
          .filter(([, v]) => v > 0)
          .map(([k, v]) => `${k} ${int(v)}`)
          .join(', ')}`,
      );
    out(
      `agent: ready after ${median(runs.agent.map((r) => r.startup)).toFixed(1)} s (median); ` +
        `alerts per round: ${runs.agent.map((r) => r.alerts).join(', ')}; exits: ${runs.agent.map((r) => r.exit.code ?? r.exit.signal).join(', ')}`,
    );
  }
  out(
    `load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} at end`,
  );
} finally {
  cleanup();
}
