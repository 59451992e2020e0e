import type { ImageConfig } from '../../image/source.js';
import type { Instruction } from '../dockerfile/model.js';
import { parseDockerfile } from '../dockerfile/parser/parse-dockerfile.js';
import { goQuotedList } from './go-syntax.js';

/**
 * An image config turned back into the Dockerfile that built it, as far as the config tells:
 * the history's `created_by` lines (the classic builder's `/bin/sh -c #(nop) ENV …` and
 * `|1 A=b /bin/sh -c …`, BuildKit's `RUN /bin/sh -c … # buildkit`, Go-formatted CMD and
 * HEALTHCHECK), then what the config's own fields hold that those lines do not show (a USER
 * or HEALTHCHECK inherited from the base image or set by `docker commit`, environment
 * variables, exposed ports). Only the history after the base image is used, as Trivy guesses
 * it (the last CMD that has layers above it ends the base image): its build steps are the base
 * image maintainer's to fix. Each history entry becomes zero or more lines, checked alone with
 * the Dockerfile parser, so one odd entry cannot spoil the others.
 */

export interface ReconstructedDockerfile {
  text: string;
  /** Per line of `text` (line N at N-1): the history entry it came from; undefined for the FROM line and lines from config fields. */
  origins: (number | undefined)[];
}

/** The base image's name is not recorded: the FROM line names no real image. */
const BASE_IMAGE = 'base-image';
/**
 * ADD/COPY sources the classic builder records only as content hashes (`file:<sha256>`, a bare
 * hash for a URL): written as a variable nothing defines, so their value is unresolved and the
 * checks that would need it (local file or archive? remote URL?) stay silent.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile variable reference
export const UNRECORDED_SOURCE = '${SOURCE_NOT_RECORDED}';

type HistoryEntry = NonNullable<ImageConfig['history']>[number];

const DEFAULT_SHELL = ['/bin/sh', '-c'];
const KEYWORDS = new Set([
  'RUN',
  'ENV',
  'LABEL',
  'ARG',
  'USER',
  'WORKDIR',
  'EXPOSE',
  'VOLUME',
  'HEALTHCHECK',
  'CMD',
  'ENTRYPOINT',
  'COPY',
  'ADD',
  'STOPSIGNAL',
  'MAINTAINER',
  'ONBUILD',
  'SHELL',
]);
/** `[|N NAME=value…] SHELL [OPTIONS] -c SCRIPT`, a RUN as both builders record it. */
const SHELL_RUN =
  /^(?:\|\d+ .*? )??((?:\/[\w.+-]+)*\/?(?:ba|da|a|z|k|mk)?sh(?: (?:-[A-Za-z]*o [\w-]+|[-+][A-Za-z]+))*? -[A-Za-z]*c) /s;
const BUILD_ARGS = /^\|(\d+) /;
const CLASSIC_SOURCE = /^(?:(?:file|dir|multi):)?[0-9a-f]{64}$/;
const SHELL_PATH = /(?:^|\/)(?:ba|da|a|z|k|mk)?sh$/;
const PORT = /\d+(?:-\d+)?(?:\/[A-Za-z]+)?/g;

interface Normalised {
  keyword: string;
  /** The instruction's arguments as recorded. */
  rest: string;
}

/** What the lines so far leave in effect. */
interface State {
  shell: string[];
  user?: string;
  healthcheck: boolean;
  ports: Set<string>;
  env: Map<string, string>;
}

export function historyToDockerfile(config: ImageConfig): ReconstructedDockerfile {
  const lines: string[] = [];
  const origins: (number | undefined)[] = [];
  const state: State = { shell: DEFAULT_SHELL, healthcheck: false, ports: new Set(), env: new Map() };
  const add = (instruction: string[], origin: number | undefined): void => {
    const parsed = parseAlone(instruction);
    if (!parsed) return;
    for (const line of instruction) {
      lines.push(line);
      origins.push(origin);
    }
    for (const i of parsed) track(state, i);
  };

  add([`FROM ${BASE_IMAGE}`], undefined);
  const history = config.history ?? [];
  for (let i = ownHistoryStart(history); i < history.length; i++) {
    const entry = normalise(history[i]!.created_by ?? '');
    if (entry) add(instructionLines(entry, state), i);
  }
  if (config.config)
    for (const instruction of configStateLines(config.config, state)) add(instruction, undefined);
  return { text: `${lines.join('\n')}\n`, origins };
}

/**
 * Trivy's guess at where the base image ends: walking down from the newest entry, past the
 * image's own trailing CMD/ENTRYPOINT/… entries, the first CMD below a layer is the base's last.
 */
export function ownHistoryStart(history: readonly HistoryEntry[]): number {
  let layerAbove = false;
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    if (!h.empty_layer) layerAbove = true;
    else if (layerAbove && normalise(h.created_by ?? '')?.keyword === 'CMD') return i + 1;
  }
  return 0;
}

function normalise(createdBy: string): Normalised | undefined {
  let text = createdBy.replace(/\s+# buildkit\s*$/, '').trim();
  const nop = text.indexOf('#(nop)');
  if (nop !== -1 && /-[A-Za-z]*c\s*$/.test(text.slice(0, nop))) text = text.slice(nop + 6).trim();
  else if (BUILD_ARGS.test(text) || SHELL_RUN.test(text)) return { keyword: 'RUN', rest: text };
  const m = /^([A-Z]+)(?:\s+([\s\S]*))?$/.exec(text);
  if (!m || !KEYWORDS.has(m[1]!)) return undefined;
  return { keyword: m[1]!, rest: m[2] ?? '' };
}

function instructionLines({ keyword, rest }: Normalised, state: State): string[] {
  switch (keyword) {
    case 'RUN':
      return runLines(rest, state.shell);
    case 'ENV':
    case 'LABEL':
      return assignments(keyword, keyValuePairs(rest));
    case 'ARG':
      return argLine(rest);
    case 'EXPOSE': {
      const ports = rest.match(PORT);
      return ports ? [`EXPOSE ${ports.join(' ')}`] : [];
    }
    case 'VOLUME': {
      const paths = rest
        .replace(/^\[|\]$/g, '')
        .trim()
        .split(/\s+/)
        .filter(Boolean);
      return paths.length > 0 ? [`VOLUME ${JSON.stringify(paths)}`] : [];
    }
    case 'CMD':
    case 'ENTRYPOINT': {
      const argv = goQuotedList(rest);
      return argv && argv.length > 0 ? [`${keyword} ${commandForm(argv)}`] : [];
    }
    case 'HEALTHCHECK': {
      const test = goQuotedList(rest);
      return test ? healthcheckLine(test) : [];
    }
    case 'COPY':
    case 'ADD':
      return copyLine(keyword, rest);
    case 'SHELL':
      // RUN entries record the shell they ran with; SHELL lines are written from those.
      return [];
    default:
      return singleLine(`${keyword} ${rest}`);
  }
}

/** One RUN (with a SHELL line first when its shell differs); a multi-line script as a heredoc. */
function runLines(body: string, currentShell: readonly string[]): string[] {
  const m = SHELL_RUN.exec(body);
  const shell = m ? m[1]!.split(' ') : undefined;
  const script = m ? body.slice(m[0].length) : withoutBuildArgs(body);
  if (script.trim() === '') return [];
  const lines: string[] = [];
  if (shell && shell.join(' ') !== currentShell.join(' ')) lines.push(`SHELL ${JSON.stringify(shell)}`);
  if (isPlainLine(script)) lines.push(`RUN ${script}`);
  else {
    const body = script.replace(/\r\n?/g, '\n').split('\n');
    let delimiter = 'RINGFENCE_EOF';
    for (let n = 1; body.some((l) => l.trim() === delimiter); n++) delimiter = `RINGFENCE_EOF_${n}`;
    lines.push(`RUN <<'${delimiter}'`, ...body, delimiter);
  }
  return lines;
}

/** An exec-form RUN: `|N A=b C=d argv…` (values with spaces cannot be told apart; rare). */
function withoutBuildArgs(body: string): string {
  const m = BUILD_ARGS.exec(body);
  if (!m) return body;
  return body.slice(m[0].length).split(' ').slice(Number(m[1])).join(' ');
}

/** `K=v K2=v2` as the builders write ENV and LABEL (values unquoted), or the legacy `K v`. */
function keyValuePairs(text: string): [string, string][] {
  const starts = [...text.matchAll(/(?:^| )([^\s=]+)=/g)];
  if (starts.length === 0) {
    const [key, ...value] = text.trim().split(' ');
    return key ? [[key, value.join(' ')]] : [];
  }
  return starts.map((m, i) => {
    const from = m.index + m[0].length;
    const to = i + 1 < starts.length ? starts[i + 1]!.index : text.length;
    return [m[1]!, text.slice(from, to)];
  });
}

function assignments(keyword: string, pairs: [string, string][]): string[] {
  const written = pairs.filter(([k]) => /^[^\s"'\\$=]+$/.test(k)).map(([k, v]) => `${k}=${quote(v)}`);
  return written.length > 0 ? [`${keyword} ${written.join(' ')}`] : [];
}

function argLine(text: string): string[] {
  const args = text
    .split(/\s+/)
    .map((token) => /^([A-Za-z_]\w*)(?:=(.*))?$/s.exec(token))
    .filter((m) => m !== null)
    .map((m) => (m[2] === undefined ? m[1]! : `${m[1]}=${quote(m[2])}`));
  return args.length > 0 ? [`ARG ${args.join(' ')}`] : [];
}

/** A double-quoted Dockerfile word holding `value` literally (history values are already expanded). */
function quote(value: string): string {
  return `"${value.replace(/[\r\n]+/g, ' ').replace(/[\\"$]/g, '\\$&')}"`;
}

/** Builders record a shell-form CMD as its exec form with the shell in front: undo that. */
function commandForm(argv: readonly string[]): string {
  const command = argv.at(-1)!;
  const shellForm =
    argv.length >= 3 &&
    SHELL_PATH.test(argv[0]!) &&
    /^-[A-Za-z]*c$/.test(argv.at(-2)!) &&
    isPlainLine(command);
  return shellForm ? command : JSON.stringify(argv);
}

function healthcheckLine(test: readonly string[]): string[] {
  const [type, ...args] = test;
  if (type === 'NONE') return ['HEALTHCHECK NONE'];
  if (type === 'CMD' && args.length > 0) return [`HEALTHCHECK CMD ${JSON.stringify(args)}`];
  if (type === 'CMD-SHELL' && args.length === 1) {
    return [
      `HEALTHCHECK CMD ${isPlainLine(args[0]!) ? args[0] : JSON.stringify([...DEFAULT_SHELL, args[0]])}`,
    ];
  }
  return [];
}

function copyLine(keyword: string, text: string): string[] {
  // Inline files (`COPY <<name /dest`) are recorded without their content.
  let words = text.split(/\s+/).filter((w) => w !== '' && !w.includes('<<'));
  if (words.length === 3 && words[1] === 'in') words = [words[0]!, words[2]!]; // classic: `file:<sha256> in /dest`
  words = words.map((w) => (CLASSIC_SOURCE.test(w) ? UNRECORDED_SOURCE : w));
  if (words.filter((w) => !w.startsWith('--')).length < 2) return [];
  return singleLine(`${keyword} ${words.join(' ')}`);
}

/** Lines for what the config holds but the lines so far do not set. */
function configStateLines(c: NonNullable<ImageConfig['config']>, state: State): string[][] {
  const out: string[][] = [];
  const env = (c.Env ?? [])
    .filter((e) => e.indexOf('=') > 0)
    .map((e): [string, string] => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])
    .filter(([k, v]) => state.env.get(k) !== v);
  out.push(assignments('ENV', env));
  const ports = Object.keys(c.ExposedPorts ?? {}).filter((p) => !state.ports.has(normalisePort(p)));
  out.push(instructionLines({ keyword: 'EXPOSE', rest: ports.join(' ') }, state));
  if (!state.healthcheck && c.Healthcheck?.Test?.length) out.push(healthcheckLine(c.Healthcheck.Test));
  const user = c.User ?? '';
  if (user !== (state.user ?? '')) out.push(singleLine(`USER ${user || 'root'}`));
  return out.filter((lines) => lines.length > 0);
}

function track(state: State, i: Instruction): void {
  if (i.keyword === 'SHELL') state.shell = i.argv;
  else if (i.keyword === 'USER') state.user = i.user.value;
  else if (i.keyword === 'HEALTHCHECK') state.healthcheck = true;
  else if (i.keyword === 'EXPOSE') for (const p of i.ports) state.ports.add(normalisePort(p.value));
  else if (i.keyword === 'ENV') for (const p of i.pairs) state.env.set(p.key, p.value.value);
}

function normalisePort(port: string): string {
  return port.includes('/') ? port.toLowerCase() : `${port}/tcp`;
}

/** Text that fits on one instruction line: no line break, no trailing escape joining the next line, no heredoc. */
function isPlainLine(text: string): boolean {
  return !/[\r\n]/.test(text) && !text.includes('<<') && !/\\\s*$/.test(text);
}

function singleLine(text: string): string[] {
  return isPlainLine(text) ? [text] : [];
}

/** The instructions of `lines` when they parse on their own, else undefined. */
function parseAlone(lines: readonly string[]): Instruction[] | undefined {
  try {
    const df = parseDockerfile(`FROM ${BASE_IMAGE}\n${lines.join('\n')}\n`);
    return df.stages[0]?.instructions;
  } catch {
    return undefined;
  }
}
