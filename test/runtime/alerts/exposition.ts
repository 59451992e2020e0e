/**
 * A strict reader of the Prometheus text exposition format 0.0.4, as far as Ringfence writes
 * it (HELP, TYPE, samples without timestamps): anything else is an error, so a test that
 * parses our output also checks that it is well formed.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  help: Map<string, string>;
  type: Map<string, string>;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`, 's');
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)$`, 's');
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;

export function parseExposition(text: string): Exposition {
  if (text !== '' && !text.endsWith('\n')) throw new Error('exposition does not end with a newline');
  const out: Exposition = { help: new Map(), type: new Map(), samples: [] };
  const lines = text.split('\n').slice(0, -1);
  for (const [i, line] of lines.entries()) {
    const fail = (why: string): never => {
      throw new Error(`line ${i + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    let m = HELP.exec(line);
    if (m) {
      if (out.help.has(m[1]!)) fail('second HELP');
      out.help.set(m[1]!, unescapeText(m[2]!, fail));
      continue;
    }
    m = TYPE.exec(line);
    if (m) {
      if (out.type.has(m[1]!)) fail('second TYPE');
      if (out.samples.some((s) => s.name === m![1])) fail('TYPE after samples');
      out.type.set(m[1]!, m[2]!);
      continue;
    }
    m = SAMPLE.exec(line);
    if (!m) fail('not HELP, TYPE or a sample');
    const labels: Record<string, string> = {};
    const text = m![2] ?? '';
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < text.length) {
      const l = LABEL.exec(text) ?? fail('bad label');
      if (l[1]! in labels) fail(`label ${l[1]} twice`);
      labels[l[1]!] = unescapeText(l[2]!, fail);
    }
    out.samples.push({ name: m![1]!, labels, value: parseValue(m![3]!) ?? fail('bad value') });
  }
  return out;
}

/** The value of the series with exactly these labels; undefined when there is none. */
export function sampleValue(
  e: Exposition,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort());
  return e.samples.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want)
    ?.value;
}

function unescapeText(s: string, fail: (why: string) => never): string {
  return s.replace(/\\(.?)/gs, (_, c: string) =>
    c === 'n' ? '\n' : c === '\\' || c === '"' ? c : fail(`bad escape \\${c}`),
  );
}

function parseValue(s: string): number | undefined {
  if (s === 'NaN') return Number.NaN;
  if (s === '+Inf') return Number.POSITIVE_INFINITY;
  if (s === '-Inf') return Number.NEGATIVE_INFINITY;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : undefined;
}
