import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { DockerClient } from '../../docker/client.js';
import { UserError } from '../../util/errors.js';
import { log } from '../../util/log.js';
import { type AlertSinkOptions, type AlertSinks, createAlertSinks } from '../alerts/index.js';
import { BpftraceSupervisor, type Outage } from '../capture/bpftrace.js';
import { decodeRecord, type KernelRecord } from '../capture/decode.js';
import type { RawRecord } from '../capture/lines.js';
import { type Formula, openPasses } from '../capture/narrow.js';
import { planCapture } from '../capture/plan.js';
import { preflight } from '../capture/preflight.js';
import { ReorderWindow } from '../capture/reorder.js';
import { ContainerdMetadata } from '../enrich/containerd.js';
import { ContainerResolver } from '../enrich/containers.js';
import { type ContainerInfo, DockerMetadata } from '../enrich/docker.js';
import type { ContainerRef, Runtime } from '../enrich/runtime-paths.js';
import { Metrics, serveMetrics } from '../metrics.js';
import { resolvePath } from '../proc/path.js';
import { ProcessTree } from '../proc/process-tree.js';
import { UserNames } from '../proc/users.js';
import { loadRuleFiles, type Priority, type Ruleset } from '../rules/engine.js';
import { formatProblem } from '../rules/validate.js';
import { isInUpperLayer } from './drift.js';
import { execEvent, type Identity, openFacts, type Placement, syscallEvent } from './events.js';

/**
 * `ringfence agent`: kernel capture (bpftrace, supervised) → records in time order → process
 * tree and container placement → events → rules → alert outputs. Runs until `signal` aborts.
 */

export interface AgentOptions {
  ruleFiles: string[];
  /** Capture host processes too. */
  host: boolean;
  sinks: AlertSinkOptions;
  metricsPort?: number;
  minPriority?: Priority;
  /** Docker Engine socket for container metadata (default: DOCKER_HOST or /var/run/docker.sock). */
  dockerSocket?: string;
  /** containerd socket for containers Docker does not run (default /run/containerd/containerd.sock, when present). */
  containerdSocket?: string;
}

const DEFAULT_CONTAINERD_SOCKET = '/run/containerd/containerd.sock';

/** Where container metadata comes from, per runtime. */
type MetadataSources = Partial<
  Record<Runtime, { get(id: string): ContainerInfo | undefined; lookup(id: string): Promise<unknown> }>
>;

/** bpftrace prints per CPU: records are held this long to put them back in order. */
const REORDER_MS = 50;
/** An event of a container the runtime has not described yet waits at most this long for it. */
const METADATA_WAIT_MS = 1500;
/** Lost-event notices are gathered over this interval. */
const LOST_REPORT_MS = 10_000;

export async function runAgent(o: AgentOptions, signal: AbortSignal): Promise<void> {
  const loaded = await loadRuleFiles(o.ruleFiles, o.minPriority ? { minPriority: o.minPriority } : {});
  for (const p of loaded.problems) if (p.severity === 'error') log.warn(formatProblem(p));
  if (loaded.counts.compiled === 0) throw new UserError(`no rule in ${o.ruleFiles.join(', ')} compiled`);
  const ruleset = loaded.ruleset;
  const host = preflight();

  const metrics = new Metrics();
  const m = agentMetrics(metrics);
  const sinks = createAlertSinks(o.sinks, metrics);
  const server: Server | undefined =
    o.metricsPort === undefined ? undefined : await serveMetrics(o.metricsPort, metrics);

  const token = randomBytes(12).toString('hex');
  const plan = planCapture(ruleset, {
    token,
    host: o.host,
    hostMountNamespace: host.hostMountNamespace,
    agentPid: process.pid,
    tracepoints: host.tracepoints,
  });
  if (plan.unavailable.length > 0)
    log.warn(
      `this kernel cannot capture ${plan.unavailable.join(', ')}: rules on those events will not fire`,
    );

  const tree = new ProcessTree();
  tree.seed((s) => o.host || (s.mntns !== undefined && s.mntns !== host.hostMountNamespace));
  const resolver = new ContainerResolver(host.hostMountNamespace);
  const users = new UserNames();
  const docker = dockerMetadata(o.dockerSocket, resolver);
  await docker?.start();

  const containerdSocket = o.containerdSocket ?? DEFAULT_CONTAINERD_SOCKET;
  const sources: MetadataSources = {
    ...(docker ? { docker } : {}),
    ...(o.containerdSocket !== undefined || existsSync(containerdSocket)
      ? { containerd: new ContainerdMetadata(containerdSocket) }
      : {}),
  };
  const pipeline = new Pipeline(ruleset, tree, resolver, users, sources, plan.filters, sinks, m);
  const reorder = new ReorderWindow<KernelRecord>(REORDER_MS, (records) => pipeline.push(records));
  const epochOffsetMs = Date.now() - Number(process.hrtime.bigint()) / 1e6;
  let lostSince = Date.now();
  let lost = 0;
  const lostTimer = setInterval(() => {
    if (lost === 0) return;
    const now = Date.now();
    sinks.captureProblem({ kind: 'lost', from: lostSince, to: now, lost });
    log.warn(
      `kernel capture lost ${lost} records (events and their strings) in the last ${Math.round((now - lostSince) / 1000)} s`,
    );
    lost = 0;
    lostSince = now;
  }, LOST_REPORT_MS);

  let fatal: Error | undefined;
  const stopped = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  let failed: () => void = () => {};
  const failure = new Promise<void>((resolve) => {
    failed = resolve;
  });
  const supervisor = new BpftraceSupervisor(
    { bpftrace: host.bpftrace, program: plan.text, token },
    {
      records(raw: RawRecord[]) {
        const decoded: KernelRecord[] = [];
        for (const r of raw) {
          const k = decodeRecord(r, epochOffsetMs);
          if (k) decoded.push(k);
        }
        reorder.add(decoded);
      },
      lost(count) {
        m.lost.inc({}, count);
        lost += count;
      },
      recovered(outage: Outage) {
        m.restarts.inc();
        sinks.captureProblem({ kind: 'gap', from: outage.from, to: outage.to, reason: outage.reason });
        log.warn(
          `kernel capture is back after ${((outage.to - outage.from) / 1000).toFixed(1)} s without it (${outage.reason})`,
        );
      },
      failed(err) {
        fatal = err;
        failed();
      },
    },
  );
  try {
    await supervisor.start();
    process.stderr.write(
      `ringfence: agent ready: ${plan.captured.length} event types captured for ${ruleset.rules.filter((r) => r.enabled).length} rules` +
        `${o.host ? ' (containers and host)' : ' (containers)'}\n`,
    );
    await Promise.race([stopped, failure]);
  } finally {
    clearInterval(lostTimer);
    await supervisor.stop();
    reorder.flush();
    await pipeline.drained();
    docker?.stop();
    await sinks.close();
    server?.close();
  }
  if (fatal) throw new UserError(`kernel capture failed: ${fatal.message}`);
}

function dockerMetadata(socket: string | undefined, resolver: ContainerResolver): DockerMetadata | undefined {
  const request = new DockerClient({ ...(socket ? { socketPath: socket } : {}), timeoutMs: 5000 });
  if (!existsSync(request.socketPath)) {
    log.warn(`no Docker daemon at ${request.socketPath}: containers are identified, but not named`);
    return undefined;
  }
  const events = new DockerClient({ socketPath: request.socketPath, timeoutMs: 0 });
  return new DockerMetadata(request, events, {
    started(info: ContainerInfo) {
      if (info.pid > 0) resolver.learn({ id: info.fullId, runtime: 'docker' }, info.pid);
    },
    ended(id) {
      resolver.forget(id);
    },
    connection(connected) {
      if (connected) log.info('docker: following container events');
      else
        log.warn(
          `docker: lost the daemon at ${request.socketPath}; retrying (container names may be missing meanwhile)`,
        );
    },
  });
}

function agentMetrics(metrics: Metrics) {
  return {
    events: metrics.counter('ringfence_agent_events_total', 'Events evaluated by the rules', ['type']),
    lost: metrics.counter(
      'ringfence_agent_events_lost_total',
      'Records bpftrace reported lost (an event is one record, plus one per string it carries)',
      [],
    ),
    restarts: metrics.counter(
      'ringfence_agent_capture_restarts_total',
      'Times kernel capture stopped and was restarted',
      [],
    ),
  };
}
type AgentMetrics = ReturnType<typeof agentMetrics>;

/**
 * Records in time order → events → rules → outputs. Batches are handled one at a time; a
 * batch whose containers the runtime has not described yet waits for them (bounded), so
 * every event of a container carries its name and image.
 */
class Pipeline {
  private queue: Promise<void> = Promise.resolve();
  private lastIdentity: { mntns: number; who: Identity; ts: number } | undefined;
  private lastEvict = 0;

  constructor(
    private readonly ruleset: Ruleset,
    private readonly tree: ProcessTree,
    private readonly resolver: ContainerResolver,
    private readonly users: UserNames,
    private readonly sources: MetadataSources,
    private readonly filters: ReadonlyMap<string, Formula>,
    private readonly sinks: AlertSinks,
    private readonly m: AgentMetrics,
  ) {}

  push(records: KernelRecord[]): void {
    this.queue = this.queue
      .then(() => this.batch(records))
      .catch((err: Error) => log.error(`agent: ${err.message}`));
  }

  drained(): Promise<void> {
    return this.queue;
  }

  private async batch(records: KernelRecord[]): Promise<void> {
    const refs = records.map((r) =>
      r.kind === 'exec'
        ? this.resolver.resolve(r.pid, r.mntns, r.cgroupId, true)
        : this.resolver.resolve(r.pid, r.mntns, this.tree.peek(r.pid)?.cgroupId),
    );
    const unknown: Promise<unknown>[] = [];
    const asked = new Set<string>();
    for (const ref of refs) {
      const source = ref && this.sources[ref.runtime];
      if (!source || asked.has(ref.id) || source.get(ref.id)) continue;
      asked.add(ref.id);
      unknown.push(source.lookup(ref.id));
    }
    if (unknown.length > 0) await withTimeout(Promise.all(unknown), METADATA_WAIT_MS);
    for (const [i, r] of records.entries()) this.record(r, refs[i]);
    const now = Date.now();
    if (now - this.lastEvict > 1000) {
      this.tree.evict(now);
      this.lastEvict = now;
    }
  }

  private record(r: KernelRecord, ref: ContainerRef | undefined): void {
    switch (r.kind) {
      case 'fork':
        this.tree.fork(r.pid, r.ppid, r.ts, r.mntns, r.comm);
        return;
      case 'exit':
        this.tree.exit(r.pid, r.ts);
        return;
      case 'exec': {
        const memfd = r.unlinkedName?.startsWith('memfd:') ?? false;
        const exepath = memfd ? r.unlinkedName! : resolvePath(r.filename, this.tree.peek(r.pid)?.proc.cwd);
        const upperDir = this.info(ref)?.upperDir;
        const state = this.tree.exec({
          pid: r.pid,
          ppid: r.ppid,
          ts: r.ts,
          mntns: r.mntns,
          comm: r.comm,
          parentComm: r.parentComm,
          argv: r.argv,
          exepath,
          isExeFromMemfd: memfd,
          ...(upperDir && !memfd ? { isExeUpperLayer: isInUpperLayer(upperDir, exepath) } : {}),
          exeIno: r.exeIno,
          exeCtime: r.exeCtime,
          tty: r.tty,
          loginuid: r.loginuid,
          vpid: r.vpid,
          cgroupId: r.cgroupId,
        });
        this.evaluate(execEvent(r, state, this.identity(r), this.placement(ref)));
        return;
      }
      case 'syscall': {
        const state = this.tree.get(r.pid, r.mntns, r.ts);
        // Opens the kernel kept because it could not read their path as absolute.
        const filter = r.spec.open ? this.filters.get(r.type) : undefined;
        if (filter !== undefined && filter !== true && !openPasses(filter, openFacts(r, state.proc.cwd)))
          return;
        if (r.type === 'chdir' || r.type === 'fchdir') {
          if (r.res === 0) this.tree.chdir(r.pid, r.type === 'chdir' ? r.strings.path : undefined);
        }
        this.evaluate(syscallEvent(r, state, this.identity(r), this.placement(ref)));
        return;
      }
    }
  }

  /** Ids with their names; the last one is reused for a second while records keep the same ids (a burst). */
  private identity(r: KernelRecord): Identity {
    const last = this.lastIdentity;
    if (
      last &&
      last.mntns === r.mntns &&
      last.who.uid === r.uid &&
      last.who.gid === r.gid &&
      r.ts - last.ts < 1000
    )
      return last.who;
    const who: Identity = {
      uid: r.uid,
      gid: r.gid,
      ...optional('user', this.users.user(r.pid, r.mntns, r.uid)),
      ...optional('group', this.users.group(r.pid, r.mntns, r.gid)),
    };
    this.lastIdentity = { mntns: r.mntns, who, ts: r.ts };
    return who;
  }

  private info(ref: ContainerRef | undefined): ContainerInfo | undefined {
    return ref ? this.sources[ref.runtime]?.get(ref.id) : undefined;
  }

  private placement(ref: ContainerRef | undefined): Placement {
    if (!ref) return {};
    const info = this.info(ref);
    if (info) return { container: info.container, ...(info.k8s ? { k8s: info.k8s } : {}) };
    return {
      container: { id: ref.id.slice(0, 12), runtime: ref.runtime },
      ...(ref.podUid ? { k8s: { podUid: ref.podUid } } : {}),
    };
  }

  private evaluate(e: ReturnType<typeof execEvent>): void {
    this.m.events.inc({ type: e.type });
    for (const alert of this.ruleset.evaluate(e)) this.sinks.emit(alert);
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
