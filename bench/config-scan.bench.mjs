// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the generated files contain Dockerfile and Compose variables
// `ringfence config` over 10,000 generated manifests (Kubernetes YAML, Compose files,
// Dockerfiles), against a floor measured in the same run: reading every file and parsing the
// YAML ones, nothing else. Each measurement runs in its own process so peak RSS is its own.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FILES = 10_000;
const RUNS = 3;
const self = new URL(import.meta.url).pathname;

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4], process.argv[5]);
else await main();

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'rf-bench-config-'));
  try {
    const mix = generate(dir);
    console.log(
      `${FILES} files: ${mix.k8s} Kubernetes YAML, ${mix.compose} Compose, ${mix.dockerfile} Dockerfiles, ${(mix.bytes / 1048576).toFixed(1)} MiB`,
    );
    const floor = median(Array.from({ length: RUNS }, () => measure('floor', dir)));
    const engine = median(Array.from({ length: RUNS }, () => measure('engine', dir)));
    const scan = median(Array.from({ length: RUNS }, () => measure('scan', dir)));
    const row = (name, m) =>
      `${name.padEnd(32)} wall ${m.ms.toFixed(0).padStart(6)} ms  CPU ${m.cpu.toFixed(0).padStart(6)} ms  ${(FILES / (m.cpu / 1000)).toFixed(0).padStart(5)} files/CPU-s  peak RSS ${(m.rss / 1048576).toFixed(0).padStart(4)} MiB`;
    const ratio = (m) =>
      `wall ${(m.ms / floor.ms).toFixed(2)}x, CPU ${(m.cpu / floor.cpu).toFixed(2)}x, peak RSS ${(m.rss / floor.rss).toFixed(2)}x`;
    console.log(row('floor (read + YAML parse)', floor));
    console.log(row('scan engine (no report)', engine));
    console.log(row('ringfence config --format json', scan));
    console.log(`ratio to floor: engine ${ratio(engine)}`);
    console.log(`ratio to floor: ringfence config ${ratio(scan)}`);
    console.log(
      `scan result: ${scan.scanned} files scanned, ${scan.findings} findings, ${scan.errors} errors`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measure(kind, dir) {
  const r = spawnSync(process.execPath, [self, '--child', kind, dir, join(dir, `..${kind}.json`)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${kind} run failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

/** Median wall and CPU time of the runs, and the highest peak RSS. */
function median(runs) {
  const mid = (key) => [...runs].sort((a, b) => a[key] - b[key])[Math.floor(runs.length / 2)][key];
  return { ...runs[0], ms: mid('ms'), cpu: mid('cpu'), rss: Math.max(...runs.map((r) => r.rss)) };
}

async function child(kind, dir, out) {
  const start = performance.now();
  const result = { scanned: 0, findings: 0, errors: 0 };
  if (kind === 'floor') {
    const { parseAllDocuments, LineCounter } = await import('yaml');
    for (const path of walk(dir)) {
      const text = readFileSync(path, 'utf8');
      if (/\.ya?ml$/.test(path)) parseAllDocuments(text, { lineCounter: new LineCounter() });
      result.scanned++;
    }
  } else if (kind === 'engine') {
    const { scanConfig } = await import('../dist/config/scan-config.js');
    const report = await scanConfig(dir);
    Object.assign(result, {
      scanned: report.artifact.files,
      findings: report.findings.length + report.suppressed.length,
      errors: report.errors.length,
    });
  } else {
    const { run } = await import('../dist/cli/main.js');
    const code = await run(['config', dir, '--format', 'json', '--output', out, '--quiet']);
    if (code !== 0) throw new Error(`ringfence config exited ${code}`);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    Object.assign(result, {
      scanned: report.artifact.files,
      findings: report.findings.length + report.suppressed.length,
      errors: report.errors.length,
    });
    rmSync(out, { force: true });
  }
  const ms = performance.now() - start;
  const usage = process.resourceUsage();
  const cpu = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  console.log(JSON.stringify({ ms, cpu, rss: usage.maxRSS * 1024, ...result }));
}

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path);
    else if (e.isFile()) yield path;
  }
}

/** Deterministic pseudo-random numbers, so every run scans the same tree. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(dir) {
  const rnd = prng(42);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const mix = { k8s: 0, compose: 0, dockerfile: 0, bytes: 0 };
  const put = (path, text) => {
    writeFileSync(path, text);
    mix.bytes += Buffer.byteLength(text);
  };
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, `team-${i % 20}`, `svc-${Math.floor(i / 20) % 25}`, `app-${i}`);
    mkdirSync(sub, { recursive: true });
    const roll = rnd();
    if (roll < 0.6) {
      mix.k8s++;
      put(join(sub, 'deploy.yaml'), kubernetes(i, rnd, pick));
    } else if (roll < 0.85) {
      mix.compose++;
      put(join(sub, 'docker-compose.yml'), compose(i, rnd, pick));
      if (rnd() < 0.3) put(join(sub, '.env'), `TAG=1.${i % 30}\nDB_PASSWORD=pw${i}\n`);
    } else {
      mix.dockerfile++;
      put(join(sub, 'Dockerfile'), dockerfile(i, rnd, pick));
    }
  }
  return mix;
}

function kubernetes(i, rnd, pick) {
  const name = `app-${i}`;
  const image = pick([
    'nginx:1.27',
    'nginx',
    'ghcr.io/acme/api:2.3.1',
    'redis:latest',
    `registry.example.com/team/${name}:${i}`,
  ]);
  const secure = rnd() < 0.5;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${pick(['default', 'prod', 'staging'])}
  labels: {app: ${name}, tier: ${pick(['web', 'worker', 'db'])}}
spec:
  replicas: ${1 + (i % 5)}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      automountServiceAccountToken: ${secure ? 'false' : 'true'}
      ${rnd() < 0.1 ? 'hostNetwork: true' : 'dnsPolicy: ClusterFirst'}
      containers:
        - name: main
          image: ${image}
          ports: [{containerPort: ${8000 + (i % 100)}}]
          env:
            - {name: LOG_LEVEL, value: info}
            - {name: DB_PASSWORD, value: ${secure ? '""' : `pw${i}`}}
          securityContext:
            privileged: ${rnd() < 0.05}
            runAsNonRoot: ${secure}
            readOnlyRootFilesystem: ${secure}
            allowPrivilegeEscalation: ${!secure}
            capabilities: {drop: [ALL]}
          resources:
            limits: {cpu: 500m, memory: 256Mi}
            requests: {cpu: 100m, memory: 128Mi}
          volumeMounts: [{name: data, mountPath: /data}]
      volumes:
        - name: data
          ${rnd() < 0.05 ? 'hostPath: {path: /var/run/docker.sock}' : 'emptyDir: {}'}
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: ${pick(['ClusterIP', 'NodePort', 'LoadBalancer'])}
  selector: {app: ${name}}
  ports: [{port: 80, targetPort: ${8000 + (i % 100)}}]
`;
}

function compose(i, rnd, pick) {
  const hardened = rnd() < 0.4;
  return `x-common: &common
  restart: ${pick(['always', 'unless-stopped', '"on-failure:5"'])}
  logging: {driver: json-file, options: {max-size: 10m}}
services:
  web:
    <<: *common
    image: ${pick(['nginx:1.27', 'nginx', 'nginx:latest', 'nginx:${TAG:-1.27}'])}
    ports:
      - "${hardened ? '127.0.0.1:' : ''}${8000 + (i % 1000)}:80"
    volumes:
      - ./html:/usr/share/nginx/html:ro
${rnd() < 0.1 ? '      - /var/run/docker.sock:/var/run/docker.sock\n' : ''}${hardened ? '    read_only: true\n    cap_drop: [ALL]\n    security_opt: ["no-new-privileges:true"]\n    user: "101:101"\n    deploy: {resources: {limits: {memory: 128M, cpus: "0.5", pids: 100}}}\n' : ''}  db:
    <<: *common
    image: postgres:16
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: ${rnd() < 0.5 ? 'hunter2' : '${DB_PASSWORD}'}
    ports: ["${hardened ? '127.0.0.1:' : ''}5432:5432"]
${rnd() < 0.05 ? '    privileged: true\n' : ''}  worker:
    extends: web
    command: ["worker", "--queue", "jobs-${i}"]
`;
}

function dockerfile(i, rnd, pick) {
  return `# syntax=docker/dockerfile:1
ARG NODE=${pick(['20', '20.11-bookworm', 'latest'])}
FROM node:\${NODE} AS build
WORKDIR /src
COPY package*.json ./
RUN ${pick(['npm ci', 'npm install', 'npm ci --omit=dev'])}
COPY . .
RUN npm run build && \\
    npm prune --omit=dev
FROM debian:12-slim
RUN apt-get update \\
  && apt-get install -y ${rnd() < 0.5 ? '--no-install-recommends ' : ''}ca-certificates curl \\
  ${rnd() < 0.5 ? '&& rm -rf /var/lib/apt/lists/*' : ''}
RUN <<EOF
set -e
curl -fsSL https://example.com/tool-${i}.tgz | tar xz -C /usr/local/bin
${rnd() < 0.2 ? 'curl -fsSL https://get.example.com | sh' : 'echo ok'}
EOF
COPY --from=build /src/dist /app
${rnd() < 0.6 ? 'USER 10001' : ''}
EXPOSE ${pick(['8080', '22', '3000'])}
HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/health"]
CMD ${pick(['["node", "/app/server.js"]', 'node /app/server.js'])}
`;
}
