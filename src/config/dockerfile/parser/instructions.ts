import { ConfigParseError } from '../../engine/check.js';
import type { Expanded } from '../../engine/variables.js';
import type {
  CommandForm,
  CopyInstruction,
  Flag,
  Instruction,
  KeyValue,
  RunInstruction,
  RunMount,
} from '../model.js';
import { tokenize } from '../shell/lexer.js';
import type { ShellScript } from '../shell/model.js';
import { parseArgv, parseShell, SHELLS } from '../shell/parser.js';
import type { Heredoc, LogicalInstruction } from './logical-lines.js';
import { MappedText } from './mapped-text.js';
import { type Escape, type Lookup, processWord, splitWords } from './words.js';

/** What an instruction is parsed against: the file's escape and the variables in scope. */
interface InstructionScope {
  escape: Escape;
  lookup: Lookup;
  stage: number;
  /** The SHELL in effect. */
  shell: string[];
}

export const KEYWORDS = new Set([
  'FROM',
  'RUN',
  'CMD',
  'ENTRYPOINT',
  'HEALTHCHECK',
  'COPY',
  'ADD',
  'ENV',
  'LABEL',
  'ARG',
  'EXPOSE',
  'USER',
  'WORKDIR',
  'VOLUME',
  'SHELL',
  'STOPSIGNAL',
  'MAINTAINER',
  'ONBUILD',
]);

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/i;

export function parseInstruction(li: LogicalInstruction, scope: InstructionScope): Instruction {
  const { flags, rest } = parseFlags(li.args, scope);
  const text = rest.text.trim();
  const base = { line: li.line, endLine: li.endLine, flags, stage: scope.stage, text: li.args.text.trim() };
  const fail = (problem: string): never => {
    throw new ConfigParseError(`${li.keyword} ${problem}`, li.line);
  };
  const word = (raw: string): Expanded => processWord(raw, scope.escape, scope.lookup);
  const words = (): Expanded[] => splitWords(text, scope.escape).map((w) => word(w.text));
  if (text === '' && li.heredocs.length === 0 && li.keyword !== 'CMD' && li.keyword !== 'ENTRYPOINT') {
    fail('requires at least one argument');
  }
  switch (li.keyword) {
    case 'FROM': {
      const parts = splitWords(text, scope.escape);
      if (parts.length !== 1 && !(parts.length === 3 && parts[1]!.text.toLowerCase() === 'as')) {
        fail('requires either one or three arguments (image [AS name])');
      }
      const alias = parts[2]?.text;
      if (alias !== undefined && !STAGE_NAME.test(alias)) fail(`has an invalid stage name "${alias}"`);
      const platform = flagValue(flags, 'platform');
      return {
        ...base,
        keyword: 'FROM',
        image: word(parts[0]!.text),
        imageText: parts[0]!.text,
        ...(platform !== undefined ? { platform } : {}),
        ...(alias !== undefined ? { alias } : {}),
      };
    }
    case 'RUN':
      return parseRun(base, rest, li.heredocs, scope);
    case 'CMD':
      return { ...base, keyword: 'CMD', ...commandForm(text) };
    case 'ENTRYPOINT':
      return { ...base, keyword: 'ENTRYPOINT', ...commandForm(text) };
    case 'HEALTHCHECK': {
      const m = /^(\S+)\s*([\s\S]*)$/.exec(text);
      const mode = m?.[1]?.toUpperCase();
      if (mode === 'NONE') return { ...base, keyword: 'HEALTHCHECK', none: true };
      if (mode !== 'CMD' || !m?.[2]) return fail('requires CMD <command> or NONE');
      return { ...base, keyword: 'HEALTHCHECK', none: false, ...commandForm(m[2]) };
    }
    case 'COPY':
    case 'ADD':
      return parseCopy(li.keyword, base, text, li.heredocs, scope);
    case 'ENV':
    case 'LABEL': {
      const { pairs, legacy } = parsePairs(text, scope, fail);
      return li.keyword === 'ENV'
        ? { ...base, keyword: 'ENV', pairs, legacy }
        : { ...base, keyword: 'LABEL', pairs };
    }
    case 'ARG':
      return {
        ...base,
        keyword: 'ARG',
        args: splitWords(text, scope.escape).map((w) => {
          const eq = w.text.indexOf('=');
          if (eq === -1) return { name: w.text };
          return { name: w.text.slice(0, eq), default: word(w.text.slice(eq + 1)) };
        }),
      };
    case 'EXPOSE':
      return { ...base, keyword: 'EXPOSE', ports: words() };
    case 'USER':
      return { ...base, keyword: 'USER', user: word(text) };
    case 'WORKDIR':
      return { ...base, keyword: 'WORKDIR', path: word(text) };
    case 'STOPSIGNAL':
      return { ...base, keyword: 'STOPSIGNAL', signal: word(text) };
    case 'VOLUME':
      return { ...base, keyword: 'VOLUME', paths: jsonArray(text) ?? words().map((w) => w.value) };
    case 'SHELL': {
      const argv = jsonArray(text);
      if (!argv || argv.length === 0)
        return fail('requires the arguments in JSON form: ["executable", "param"]');
      return { ...base, keyword: 'SHELL', argv };
    }
    case 'MAINTAINER':
      return { ...base, keyword: 'MAINTAINER', name: text };
    case 'ONBUILD': {
      const m = /^(\S+)\s*/.exec(text)!;
      const keyword = m[1]!.toUpperCase();
      if (keyword === 'ONBUILD' || keyword === 'FROM' || keyword === 'MAINTAINER') {
        fail(`cannot trigger ${keyword}`);
      }
      if (!KEYWORDS.has(keyword)) fail(`has an unknown instruction: ${truncate(m[1]!)}`);
      const trigger = parseInstruction(
        {
          keyword,
          args: rest.slice(rest.text.indexOf(m[0]) + m[0].length),
          line: li.line,
          endLine: li.endLine,
          heredocs: [],
        },
        scope,
      );
      return { ...base, keyword: 'ONBUILD', trigger };
    }
    default:
      throw new ConfigParseError(`unknown instruction: ${truncate(li.keyword)}`, li.line);
  }
}

export function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

/** Leading `--name[=value]` words; values unquoted and expanded. */
function parseFlags(args: MappedText, scope: InstructionScope): { flags: Flag[]; rest: MappedText } {
  const flags: Flag[] = [];
  const words = splitWords(args.text, scope.escape);
  let k = 0;
  for (; k < words.length && words[k]!.text.startsWith('--'); k++) {
    const raw = words[k]!.text.slice(2);
    const eq = raw.indexOf('=');
    if (eq === -1) flags.push({ name: raw.toLowerCase() });
    else {
      const value = processWord(raw.slice(eq + 1), scope.escape, scope.lookup).value;
      flags.push({ name: raw.slice(0, eq).toLowerCase(), value });
    }
  }
  if (k === 0) return { flags, rest: args };
  return { flags, rest: k < words.length ? args.slice(words[k]!.start) : new MappedText() };
}

function flagValue(flags: readonly Flag[], name: string): string | undefined {
  return flags.findLast((f) => f.name === name)?.value;
}

function jsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function commandForm(text: string): CommandForm {
  const argv = jsonArray(text.trim());
  return argv ? { form: 'exec', argv } : { form: 'shell', command: text.trim() };
}

function parseRun(
  base: Omit<
    RunInstruction,
    'keyword' | 'shell' | 'script' | 'mounts' | 'heredocs' | 'form' | 'argv' | 'command'
  >,
  rest: MappedText,
  heredocs: Heredoc[],
  scope: InstructionScope,
): RunInstruction {
  const mounts = base.flags.filter((f) => f.name === 'mount' && f.value).map((f) => parseMount(f.value!));
  const common = { ...base, keyword: 'RUN' as const, shell: scope.shell, mounts, heredocs };
  const argv = jsonArray(rest.text.trim());
  if (argv) return { ...common, form: 'exec', argv, script: parseArgv(argv, base.line) };
  const script = shellScript(rest, heredocs, scope.shell);
  return { ...common, form: 'shell', command: rest.text.trim(), ...(script ? { script } : {}) };
}

function parseMount(spec: string): RunMount {
  const options: Record<string, string> = Object.create(null);
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (key) options[key] = eq === -1 ? 'true' : part.slice(eq + 1).trim();
  }
  return { type: options.type ?? 'bind', options };
}

function shellIsPosix(shell: readonly string[]): boolean {
  return SHELLS.has(basename(shell[0] ?? ''));
}

function shellHasPipefail(shell: readonly string[]): boolean {
  return shell.some((a, i) => /^-[a-zA-Z]*o$/.test(a) && shell[i + 1] === 'pipefail');
}

/** The POSIX script a shell-form RUN runs, heredoc bodies included, each part mapped to its line. */
function shellScript(rest: MappedText, heredocs: Heredoc[], shell: string[]): ShellScript | undefined {
  if (!shellIsPosix(shell)) return undefined;
  const options = { pipefail: shellHasPipefail(shell) };
  const first = heredocs[0];
  if (first && onlyHeredocs(rest.text)) {
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first.lines[0]?.text ?? '');
    const interpreter = shebang ? basename(shebang[1]!) : undefined;
    const program = interpreter === 'env' ? basename(shebang?.[2] ?? '') : interpreter;
    if (program !== undefined && !SHELLS.has(program)) return undefined;
    const body = new MappedText();
    for (const l of first.lines) body.append(`${l.text}\n`, l.line);
    return parseShell(body.text, (o) => body.lineAt(o), options);
  }
  const mapped = rest.slice(0);
  for (const h of heredocs) {
    mapped.append('\n', h.lines[0]?.line ?? h.endLine);
    for (const l of h.lines) mapped.append(`${l.text}\n`, l.line);
    mapped.append(h.delimiter, h.endLine);
  }
  return parseShell(mapped.text, (o) => mapped.lineAt(o), options);
}

/** The command line holds nothing but heredoc redirections (`RUN <<EOF`): the body is the script. */
function onlyHeredocs(text: string): boolean {
  const { tokens } = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'redirect' && (t.op === '<<' || t.op === '<<-')) i++;
    else return false;
  }
  return tokens.length > 0;
}

function parseCopy(
  keyword: 'COPY' | 'ADD',
  base: Omit<CopyInstruction, 'keyword' | 'sources' | 'heredocs' | 'dest'>,
  text: string,
  heredocs: Heredoc[],
  scope: InstructionScope,
): CopyInstruction {
  const json = jsonArray(text);
  const items: Expanded[] = json
    ? json.map((value) => ({ value, unresolved: false }))
    : splitWords(text, scope.escape)
        .filter((w) => !/^\d*<<-?/.test(w.text))
        .map((w) => processWord(w.text, scope.escape, scope.lookup));
  const inline = json ? [] : heredocs;
  const dest = items.pop();
  if (!dest || items.length + inline.length === 0) {
    throw new ConfigParseError(`${keyword} requires at least one source and a destination`, base.line);
  }
  const from = flagValue(base.flags, 'from');
  const chmod = flagValue(base.flags, 'chmod');
  const chown = flagValue(base.flags, 'chown');
  return {
    ...base,
    keyword,
    sources: items,
    heredocs: inline,
    dest,
    ...(from !== undefined ? { from } : {}),
    ...(chmod !== undefined ? { chmod } : {}),
    ...(chown !== undefined ? { chown } : {}),
  };
}

/** ENV and LABEL: `key=value ...`, or the legacy `key value with spaces`. */
function parsePairs(
  text: string,
  scope: InstructionScope,
  fail: (problem: string) => never,
): { pairs: KeyValue[]; legacy: boolean } {
  const words = splitWords(text, scope.escape);
  const first = words[0]!;
  if (!first.text.includes('=')) {
    const value = text.slice(first.end).trim();
    if (!value) fail(`needs a value for "${truncate(first.text)}"`);
    return {
      pairs: [
        {
          key: processWord(first.text, scope.escape).value,
          value: processWord(value, scope.escape, scope.lookup),
        },
      ],
      legacy: true,
    };
  }
  const pairs = words.map((w) => {
    const eq = w.text.indexOf('=');
    if (eq <= 0) fail(`expects name=value, got "${truncate(w.text)}"`);
    return {
      key: processWord(w.text.slice(0, eq), scope.escape).value,
      value: processWord(w.text.slice(eq + 1), scope.escape, scope.lookup),
    };
  });
  return { pairs, legacy: false };
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
