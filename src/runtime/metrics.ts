import { createServer, type Server } from 'node:http';
import { inputError } from '../util/errors.js';
import { log } from '../util/log.js';

/**
 * Counters and gauges with labels, rendered in the Prometheus text exposition format 0.0.4.
 * The hot path is `labels(...)` once, then `inc()` on the series it returns: a number added
 * to a field. `inc({type: 'execve'})` also works without building a string (a map per label).
 */

export type Labels = Readonly<Record<string, string>>;
export type MetricType = 'counter' | 'gauge';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** One series: a metric with one set of label values. */
abstract class Series {
  protected current = 0;
  constructor(readonly labelValues: readonly string[]) {}

  get value(): number {
    return this.current;
  }
}

export class CounterSeries extends Series {
  inc(n = 1): void {
    if (!(n >= 0 && n < Number.POSITIVE_INFINITY))
      throw new RangeError(`counter increment ${n} is not a finite non-negative number`);
    this.current += n;
  }
}

export class GaugeSeries extends Series {
  set(v: number): void {
    this.current = v;
  }

  inc(n = 1): void {
    this.current += n;
  }

  dec(n = 1): void {
    this.current -= n;
  }
}

/** A metric family: its series, found by label values through one map per label. */
abstract class Family<S extends Series> {
  abstract readonly type: MetricType;
  private readonly all: S[] = [];
  private sorted = true;
  private readonly root = new Map<string, unknown>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  protected abstract create(labelValues: readonly string[]): S;

  /** The series for these label values, created at zero on first use. Keep it on hot paths. */
  labels(labels: Labels = {}): S {
    const names = this.labelNames;
    let node = this.root;
    for (let i = 0; i < names.length - 1; i++) {
      const v = labelValue(this.name, names[i]!, labels);
      let next = node.get(v) as Map<string, unknown> | undefined;
      if (!next) {
        next = new Map();
        node.set(v, next);
      }
      node = next;
    }
    const last = names.length ? labelValue(this.name, names[names.length - 1]!, labels) : '';
    let series = node.get(last) as S | undefined;
    if (!series) {
      series = this.create(names.map((n) => labels[n]!));
      node.set(last, series);
      this.all.push(series);
      this.sorted = false;
    }
    return series;
  }

  /** HELP, TYPE and one line per series, series ordered by their label values. */
  render(out: string[]): void {
    if (!this.sorted) {
      this.all.sort((a, b) => compareValues(a.labelValues, b.labelValues));
      this.sorted = true;
    }
    out.push(`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`);
    for (const s of this.all) {
      const labels = this.labelNames.map((n, i) => `${n}="${escapeLabelValue(s.labelValues[i]!)}"`).join(',');
      out.push(`${this.name}${labels ? `{${labels}}` : ''} ${formatValue(s.value)}`);
    }
  }
}

export class Counter extends Family<CounterSeries> {
  readonly type = 'counter';

  protected create(labelValues: readonly string[]): CounterSeries {
    return new CounterSeries(labelValues);
  }

  inc(labels: Labels = {}, n = 1): void {
    this.labels(labels).inc(n);
  }
}

export class Gauge extends Family<GaugeSeries> {
  readonly type = 'gauge';

  protected create(labelValues: readonly string[]): GaugeSeries {
    return new GaugeSeries(labelValues);
  }

  set(labels: Labels, v: number): void {
    this.labels(labels).set(v);
  }
}

/** The metrics of one process; several modules register on the same instance. */
export class Metrics {
  private readonly families = new Map<string, Counter | Gauge>();

  /** Registers a counter, or returns the one already registered with the same name, help and labels. */
  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.register(
      name,
      help,
      labelNames,
      'counter',
      () => new Counter(name, help, [...labelNames]),
    ) as Counter;
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.register(
      name,
      help,
      labelNames,
      'gauge',
      () => new Gauge(name, help, [...labelNames]),
    ) as Gauge;
  }

  /** The exposition text: families ordered by name, each ending in a newline. */
  render(): string {
    const out: string[] = [];
    for (const name of [...this.families.keys()].sort()) this.families.get(name)!.render(out);
    return out.length ? `${out.join('\n')}\n` : '';
  }

  private register(
    name: string,
    help: string,
    labelNames: readonly string[],
    type: MetricType,
    make: () => Counter | Gauge,
  ): Counter | Gauge {
    const known = this.families.get(name);
    if (known) {
      if (known.type !== type || known.help !== help || known.labelNames.join(',') !== labelNames.join(','))
        throw new Error(`metric ${name} is already registered as a different ${known.type}`);
      return known;
    }
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name ${JSON.stringify(name)}`);
    for (const l of labelNames)
      if (!LABEL_NAME.test(l) || l.startsWith('__'))
        throw new Error(`metric ${name}: invalid label name ${JSON.stringify(l)}`);
    if (new Set(labelNames).size !== labelNames.length)
      throw new Error(`metric ${name}: repeated label name`);
    const family = make();
    this.families.set(name, family);
    return family;
  }
}

function labelValue(metric: string, name: string, labels: Labels): string {
  const v = labels[name];
  if (typeof v !== 'string') throw new Error(`metric ${metric}: label ${name} has no string value`);
  return v;
}

function compareValues(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return 0;
}

/** Label values escape backslash, double quote and line feed. */
export function escapeLabelValue(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** HELP text escapes backslash and line feed. */
function escapeHelp(v: string): string {
  return v.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

/**
 * Serves `GET /metrics` (the exposition text) and `GET /healthz` (`ok`) on host:port; port 0
 * picks a free one (read it from `server.address()`). A port that cannot be bound is a
 * UserError naming it.
 */
export function serveMetrics(port: number, metrics: Metrics, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const body = path === '/metrics' ? metrics.render() : path === '/healthz' ? 'ok\n' : undefined;
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
        .end('method not allowed\n');
      return;
    }
    res.writeHead(200, {
      'content-type': path === '/metrics' ? EXPOSITION_CONTENT_TYPE : 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException): void =>
      reject(inputError(`metrics ${host}:${port}`, `cannot listen (${err.code ?? err.message})`, err));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      server.on('error', (err) => log.warn(`metrics server: ${err.message}`));
      resolve(server);
    });
  });
}
