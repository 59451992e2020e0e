// Rule engine throughput on events already in memory, and end-to-end JSON-lines replay.
// Every figure comes with a floor measured in the same run on the same data:
//   - in memory: a loop that only reads each event's type and process name;
//   - replay: JSON.parse of the same lines alone (already split, in memory).
// Floor and subject run interleaved, five rounds; the figures are medians, and each ratio is
// the median of the per-round ratios, so load from other processes hits both sides alike.
// Rates use process CPU time (one core); wall time is shown too.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url);
const { compileRules } = await import(new URL('runtime/rules/engine.js', dist).href);
const { DEFAULT_RULES_FILE } = await import(new URL('runtime/rules/default-rules.js', dist).href);
const { JsonLinesReplay } = await import(new URL('runtime/sources/replay.js', dist).href);

const EVENTS = Number(process.env.RF_BENCH_EVENTS ?? 1_000_000);
const REPLAY_LINES = Number(process.env.RF_BENCH_REPLAY_LINES ?? 300_000);
const falcoDir = new URL('../../shared/corpora/falco-rules/', import.meta.url).pathname;

// ---- a realistic event mix: mostly benign opens, execs and connects from containers --------
let seed = 42;
/** mulberry32: a small, well-mixed PRNG, so the mix is the same in every run. */
const rand = (n) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (((t ^ (t >>> 14)) >>> 0) % n) | 0;
};
const pick = (xs) => xs[rand(xs.length)];
const images = [
  'nginx:1.25',
  'node:20-bookworm',
  'python:3.12-slim',
  'postgres:16',
  'redis:7',
  'registry.local/shop/api:4.2',
];
const containers = Array.from({ length: 20 }, (_, i) => ({
  id: `c0${i.toString(16).padStart(2, '0')}f1a9c2b7`,
  name: `svc-${i}`,
  image: images[i % images.length],
  startTs: 1_700_000_000_000,
}));
const programs = [
  'nginx',
  'node',
  'python3',
  'postgres',
  'redis-server',
  'java',
  'sh',
  'bash',
  'tar',
  'gzip',
  'curl',
  'cat',
  'ls',
  'grep',
];
const shim = {
  pid: 900,
  name: 'containerd-shim',
  exepath: '/usr/bin/containerd-shim-runc-v2',
  cmdline: 'containerd-shim -namespace moby',
};
const processes = Array.from({ length: 200 }, (_, i) => {
  const name = programs[i % programs.length];
  const args = name === 'sh' ? ['-c', 'run-parts /etc/periodic'] : ['--config', `/etc/${name}/${name}.conf`];
  return {
    pid: 1000 + i,
    ppid: 900,
    tid: 1000 + i,
    vpid: 10 + i,
    name,
    exe: name,
    exepath: `/usr/bin/${name}`,
    cmdline: [name, ...args].join(' '),
    args,
    uid: i % 3 === 0 ? 0 : 1000,
    gid: 1000,
    user: i % 3 === 0 ? 'root' : 'app',
    tty: 0,
    ancestors: [
      {
        pid: 800 + (i % 20),
        name: pick(['node', 'sh', 'python3', 'runsv']),
        exepath: '/usr/bin/x',
        cmdline: 'x',
      },
      shim,
    ],
  };
});
const servers = processes.filter((p) =>
  ['nginx', 'node', 'python3', 'java', 'postgres', 'redis-server', 'curl'].includes(p.name),
);
const root = processes.find((p) => p.uid === 0 && p.name === 'nginx');
const readPaths = [
  '/usr/lib/x86_64-linux-gnu/libc.so.6',
  '/etc/ld.so.cache',
  '/proc/self/status',
  '/app/index.js',
  '/etc/hosts',
  '/etc/passwd',
  '/usr/share/zoneinfo/UTC',
  '/srv/data/page.html',
  '/sys/fs/cgroup/cpu.max',
  '/etc/ssl/certs/ca-certificates.crt',
];
const writePaths = [
  '/var/log/app/access.log',
  '/tmp/upload-1234',
  '/srv/data/cache/item',
  '/dev/null',
  '/run/app.pid',
];
const threats = [
  { type: 'execve', proc: { ...processes[7], name: 'bash', tty: 34816, ancestors: [shim] } },
  {
    type: 'openat',
    proc: processes[11],
    fd: { num: 3, name: '/etc/shadow', type: 'file' },
    evt: { args: { flags: 'O_RDONLY' }, res: 3 },
  },
  {
    type: 'execve',
    proc: {
      ...processes[12],
      name: 'xmrig',
      cmdline: 'xmrig -o stratum+tcp://pool:3333',
      args: ['-o', 'stratum+tcp://pool:3333'],
    },
  },
];

function makeEvent(i) {
  const proc = pick(processes);
  const container = i % 10 === 0 ? undefined : containers[proc.pid % containers.length];
  const ts = 1_700_000_100_000 + i * 0.01;
  const k = rand(1000);
  if (k < 1) return { ts, evt: { res: 0 }, ...threats[rand(threats.length)], container: containers[0] };
  if (k < 550)
    return {
      ts,
      type: 'openat',
      proc,
      fd: { num: 5, name: pick(readPaths), type: 'file' },
      evt: { args: { flags: 'O_RDONLY|O_CLOEXEC' }, res: 5 },
      container,
    };
  if (k < 650)
    return {
      ts,
      type: 'openat',
      proc,
      fd: { num: 6, name: pick(writePaths), type: 'file' },
      evt: { args: { flags: 'O_WRONLY|O_CREAT|O_APPEND' }, res: 6 },
      container,
    };
  if (k < 800) return { ts, type: 'execve', proc, evt: { res: 0 }, container };
  if (k < 950) {
    const client = pick(servers);
    const sip = pick(['10.0.3.7', '10.96.0.10', '172.17.0.3', '140.82.112.3', '151.101.1.69']);
    const sport = pick([443, 5432, 6379, 53, 8080]);
    const fd = {
      type: 'ipv4',
      l4proto: 'tcp',
      cip: '172.17.0.2',
      cport: 40000 + (i % 20000),
      sip,
      sport,
      name: `172.17.0.2:40000->${sip}:${sport}`,
    };
    return { ts, type: 'connect', proc: client, fd, evt: { res: 0 }, container };
  }
  // Other captured calls, benign: a pipe onto stdout, root dropping privileges, temp files going.
  const other = rand(3);
  if (other === 0)
    return { ts, type: 'dup2', proc, fd: { type: 'pipe', num: 4 }, evt: { res: 1 }, container };
  if (other === 1) return { ts, type: 'setuid', proc: root, evt: { args: { uid: 1000 }, res: 0 }, container };
  return { ts, type: 'unlinkat', proc, evt: { args: { name: '/tmp/upload-1234' }, res: 0 }, container };
}

function cpuSeconds(t0) {
  const u = process.cpuUsage(t0);
  return (u.user + u.system) / 1e6;
}

async function measure(run) {
  globalThis.gc?.();
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const check = await run();
  return { cpu: cpuSeconds(c0), wall: (performance.now() - w0) / 1000, check };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Floor and subject, interleaved for five rounds: median times and median per-round ratios. */
async function compare(floorRun, subjectRun) {
  const f = [];
  const s = [];
  for (let round = 0; round < 5; round++) {
    f.push(await measure(floorRun));
    s.push(await measure(subjectRun));
  }
  const pick = (xs, k) => median(xs.map((x) => x[k]));
  return {
    floor: { cpu: pick(f, 'cpu'), wall: pick(f, 'wall') },
    subject: { cpu: pick(s, 'cpu'), wall: pick(s, 'wall'), check: s[0].check },
    ratio: {
      cpu: median(s.map((x, i) => x.cpu / f[i].cpu)),
      wall: median(s.map((x, i) => x.wall / f[i].wall)),
    },
  };
}

const rate = (n, s) => `${(n / s / 1e6).toFixed(2)}M/s`;
const out = (s) => process.stdout.write(`${s}\n`);
const percent = (n) => `${((100 * n) / EVENTS).toFixed(2)}%`;

// ---- in memory --------------------------------------------------------------------------------
const events = Array.from({ length: EVENTS }, (_, i) => makeEvent(i));
const floorRun = () => {
  let n = 0;
  for (let i = 0; i < events.length; i++) if (events[i].type.length + events[i].proc.name.length > 0) n++;
  return n;
};
out(
  `events in memory: ${EVENTS.toLocaleString('en')} (55% reads, 10% writes, 15% execs, 15% connects, 5% other, 0.1% threats)`,
);

const rulesets = [
  ['ringfence default rules', [{ file: DEFAULT_RULES_FILE, text: readFileSync(DEFAULT_RULES_FILE, 'utf8') }]],
];
if (existsSync(falcoDir)) {
  const falco = ['falco_rules.yaml', 'falco-incubating_rules.yaml'].map((f) => ({
    file: f,
    text: readFileSync(join(falcoDir, f), 'utf8'),
  }));
  rulesets.push(['falco stable + incubating', falco]);
} else out(`SKIP falco rules: ${falcoDir} is absent`);

let engineForReplay;
for (const [label, texts] of rulesets) {
  const c0 = process.cpuUsage();
  const loaded = compileRules(texts);
  const compileMs = cpuSeconds(c0) * 1000;
  const { ruleset } = loaded;
  engineForReplay ??= ruleset;
  const r = await compare(floorRun, () => {
    let alerts = 0;
    for (let i = 0; i < events.length; i++) alerts += ruleset.evaluate(events[i]).length;
    return alerts;
  });
  out(
    `${label}: ${loaded.counts.compiled} rules, compiled in ${compileMs.toFixed(0)} ms; ` +
      `${rate(EVENTS, r.subject.cpu)} cpu, ${rate(EVENTS, r.subject.wall)} wall; ` +
      `${r.ratio.cpu.toFixed(1)}x floor (floor ${rate(EVENTS, r.floor.cpu)} cpu); ` +
      `${r.subject.check} alerts (${percent(r.subject.check)} of events)`,
  );
}

// ---- end to end: JSON-lines file -> replay -> rules ------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'rf-bench-replay-'));
try {
  const lines = Array.from({ length: REPLAY_LINES }, (_, i) => JSON.stringify(makeEvent(i)));
  const path = join(dir, 'events.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const bytes = lines.reduce((n, l) => n + l.length + 1, 0);
  const r = await compare(
    () => {
      let n = 0;
      for (let i = 0; i < lines.length; i++) if (JSON.parse(lines[i]).ts > 0) n++;
      return n;
    },
    async () => {
      let alerts = 0;
      const source = new JsonLinesReplay(path);
      for await (const batch of source.batches()) {
        for (const e of batch.events) alerts += engineForReplay.evaluate(e).length;
      }
      if (source.stats.events !== REPLAY_LINES)
        throw new Error(`replayed ${source.stats.events} of ${REPLAY_LINES}`);
      return alerts;
    },
  );
  out(
    `replay file: ${REPLAY_LINES.toLocaleString('en')} lines, ${(bytes / REPLAY_LINES).toFixed(0)} bytes per line`,
  );
  out(
    `floor (JSON.parse of the lines, in memory): ${rate(REPLAY_LINES, r.floor.cpu)} cpu, ${rate(REPLAY_LINES, r.floor.wall)} wall`,
  );
  out(
    `replay + ringfence rules (read, split, parse, check, evaluate): ${rate(REPLAY_LINES, r.subject.cpu)} cpu, ` +
      `${rate(REPLAY_LINES, r.subject.wall)} wall; ${r.ratio.cpu.toFixed(2)}x floor (cpu), ` +
      `${r.ratio.wall.toFixed(2)}x floor (wall); ${r.subject.check} alerts`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
