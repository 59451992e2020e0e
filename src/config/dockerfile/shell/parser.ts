import { parseArguments } from './arguments.js';
import { tokenize } from './lexer.js';
import type { Pipeline, Redirect, ShellScript, SimpleCommand } from './model.js';
import type { Token, WordToken } from './tokens.js';

/**
 * Parses shell text (a RUN script) into simple commands and pipelines, looking through compound
 * commands (if/while/for/case, groups, subshells), `sh -c '...'`, `su -c`, heredoc scripts fed
 * to a shell, and command substitutions. Tolerant: unexpected tokens are skipped, never thrown.
 */

interface ShellOptions {
  /** The shell runs with pipefail from the start (SHELL ["/bin/bash", "-o", "pipefail", "-c"]). */
  pipefail?: boolean;
}

export const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);

const MAX_DEPTH = 8;
const RESERVED = new Set([
  '{',
  '}',
  '!',
  'if',
  'then',
  'elif',
  'else',
  'fi',
  'while',
  'until',
  'do',
  'done',
  'for',
  'select',
  'case',
  'esac',
]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

interface Wrapper {
  withValue: readonly string[];
  /** Positional arguments before the wrapped command (timeout's duration, gosu's user). */
  positionals: number;
}
const WRAPPERS: ReadonlyMap<string, Wrapper> = new Map([
  [
    'sudo',
    {
      withValue: [
        '-u',
        '-g',
        '-C',
        '-D',
        '-h',
        '-p',
        '-r',
        '-t',
        '-U',
        '--user',
        '--group',
        '--chdir',
        '--prompt',
      ],
      positionals: 0,
    },
  ],
  ['doas', { withValue: ['-u', '-C'], positionals: 0 }],
  ['env', { withValue: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'], positionals: 0 }],
  ['nice', { withValue: ['-n', '--adjustment'], positionals: 0 }],
  ['ionice', { withValue: ['-c', '-n', '-p', '--class', '--classdata'], positionals: 0 }],
  ['nohup', { withValue: [], positionals: 0 }],
  ['time', { withValue: ['-f', '-o', '--format', '--output'], positionals: 0 }],
  ['command', { withValue: [], positionals: 0 }],
  ['exec', { withValue: ['-a'], positionals: 0 }],
  ['stdbuf', { withValue: ['-i', '-o', '-e'], positionals: 0 }],
  ['timeout', { withValue: ['-s', '-k', '--signal', '--kill-after'], positionals: 1 }],
  ['gosu', { withValue: [], positionals: 1 }],
  ['su-exec', { withValue: [], positionals: 1 }],
]);

type LineAt = (offset: number) => number;

interface Context {
  lineAt: LineAt;
  depth: number;
  pipefail: boolean;
  out: ShellScript;
  /** Characters nested parses may still read: text nested in text must not cost more than a few times its size. */
  budget: { chars: number };
}

function budgetFor(text: string): { chars: number } {
  return { chars: 4 * text.length + 10_000 };
}

export function parseShell(text: string, lineAt: LineAt, options: ShellOptions = {}): ShellScript {
  const out: ShellScript = { commands: [], pipelines: [] };
  parseInto(text, { lineAt, depth: 0, pipefail: options.pipefail ?? false, out, budget: budgetFor(text) });
  return out;
}

/** An exec-form argv (`RUN ["sh", "-c", "..."]`) as one simple command, its scripts parsed too. */
export function parseArgv(argv: readonly string[], line: number, options: ShellOptions = {}): ShellScript {
  const out: ShellScript = { commands: [], pipelines: [] };
  const words: WordToken[] = argv.map((value) => ({
    type: 'word',
    start: 0,
    end: 0,
    value,
    offsets: [],
    quoted: true,
    expands: false,
    substitutions: [],
    spaceBefore: true,
  }));
  const parser = new Parser(words, '', {
    lineAt: () => line,
    depth: 0,
    pipefail: options.pipefail ?? false,
    out,
    budget: budgetFor(argv.join(' ')),
  });
  parser.parseList(new Set());
  return out;
}

function parseInto(text: string, ctx: Context): void {
  if (ctx.depth > MAX_DEPTH || ctx.budget.chars < text.length) return;
  ctx.budget.chars -= text.length;
  new Parser(tokenize(text).tokens, text, ctx).parseList(new Set());
}

class Parser {
  private pos = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly text: string,
    private readonly ctx: Context,
  ) {}

  parseList(stop: ReadonlySet<string>): void {
    for (;;) {
      this.skipSeparators();
      const t = this.tokens[this.pos];
      if (!t || this.isStop(t, stop)) return;
      const before = this.pos;
      this.parseAndOr(stop);
      if (this.pos === before) this.pos++;
    }
  }

  private parseAndOr(stop: ReadonlySet<string>): void {
    this.parsePipeline(stop);
    for (;;) {
      const t = this.tokens[this.pos];
      if (t?.type !== 'op' || (t.op !== '&&' && t.op !== '||')) return;
      this.pos++;
      this.skipNewlines();
      this.parsePipeline(stop);
    }
  }

  private parsePipeline(stop: ReadonlySet<string>): void {
    const t = this.tokens[this.pos];
    if (t?.type === 'word' && !t.quoted && t.value === '!') this.pos++;
    const stages: SimpleCommand[][] = [];
    for (;;) {
      const first = this.ctx.out.commands.length;
      this.parseCommand(stop);
      stages.push(this.ctx.out.commands.slice(first).filter((c) => c.depth === this.ctx.depth));
      const next = this.tokens[this.pos];
      if (next?.type !== 'op' || (next.op !== '|' && next.op !== '|&')) break;
      this.pos++;
      this.skipNewlines();
    }
    const all = stages.flat();
    if (stages.length >= 2 && all.length > 0) {
      const pipeline: Pipeline = {
        stages,
        pipefail: this.ctx.pipefail,
        line: Math.min(...all.map((c) => c.line)),
        endLine: Math.max(...all.map((c) => c.endLine)),
      };
      this.ctx.out.pipelines.push(pipeline);
    }
  }

  private parseCommand(stop: ReadonlySet<string>): void {
    const t = this.tokens[this.pos];
    if (!t) return;
    if (t.type === 'op' && t.op === '(') {
      this.pos++;
      this.parseList(new Set([')']));
      this.expectOp(')');
      this.skipRedirects();
      return;
    }
    if (t.type === 'word' && !t.quoted && RESERVED.has(t.value)) {
      this.parseCompound(t.value, stop);
      return;
    }
    this.parseSimple();
  }

  private parseCompound(word: string, stop: ReadonlySet<string>): void {
    this.pos++;
    switch (word) {
      case '{':
        this.parseList(new Set(['}']));
        this.expectWord('}');
        break;
      case 'if':
        this.parseList(new Set(['then']));
        this.expectWord('then');
        this.parseList(new Set(['elif', 'else', 'fi']));
        while (this.peekWord('elif')) {
          this.pos++;
          this.parseList(new Set(['then']));
          this.expectWord('then');
          this.parseList(new Set(['elif', 'else', 'fi']));
        }
        if (this.peekWord('else')) {
          this.pos++;
          this.parseList(new Set(['fi']));
        }
        this.expectWord('fi');
        break;
      case 'while':
      case 'until':
        this.parseList(new Set(['do']));
        this.parseDoGroup();
        break;
      case 'for':
      case 'select':
        while (this.pos < this.tokens.length && !this.peekWord('do')) {
          const t = this.tokens[this.pos]!;
          if (t.type === 'word' && t.value === 'done') return;
          this.pos++;
        }
        this.parseDoGroup();
        break;
      case 'case':
        this.parseCase();
        break;
      default:
        // A closing word where none is open (`fi`, `done`...), or `!` alone: nothing to run.
        if (stop.has(word)) this.pos--;
    }
    this.skipRedirects();
  }

  private parseDoGroup(): void {
    this.expectWord('do');
    this.parseList(new Set(['done']));
    this.expectWord('done');
  }

  private parseCase(): void {
    while (this.pos < this.tokens.length && !this.peekWord('in')) this.pos++;
    this.pos++;
    for (;;) {
      this.skipSeparators();
      const t = this.tokens[this.pos];
      if (!t || (t.type === 'word' && t.value === 'esac')) break;
      while (this.pos < this.tokens.length) {
        const p = this.tokens[this.pos]!;
        this.pos++;
        if (p.type === 'op' && p.op === ')') break;
      }
      this.parseList(new Set([';;', 'esac']));
      const end = this.tokens[this.pos];
      if (end?.type === 'op' && end.op === ';;') this.pos++;
    }
    this.expectWord('esac');
  }

  private parseSimple(): void {
    const words: WordToken[] = [];
    const assignments: string[] = [];
    const redirects: Redirect[] = [];
    let start = Number.POSITIVE_INFINITY;
    let end = 0;
    for (;;) {
      const t = this.tokens[this.pos];
      if (!t || t.type === 'op') break;
      start = Math.min(start, t.start);
      end = Math.max(end, t.end);
      this.pos++;
      if (t.type === 'redirect') {
        const target = this.tokens[this.pos];
        const redirect: Redirect = { op: t.op, ...(t.fd ? { fd: t.fd } : {}) };
        if (target?.type === 'word') {
          redirect.target = target.value;
          end = Math.max(end, target.end);
          this.pos++;
        }
        if (t.heredoc) redirect.heredoc = t.heredoc;
        redirects.push(redirect);
      } else if (words.length === 0 && !t.quoted && ASSIGNMENT.test(t.value)) {
        assignments.push(t.value);
        this.parseSubstitutions(t);
      } else {
        words.push(t);
      }
    }
    if (words.length === 0 && assignments.length === 0 && redirects.length === 0) return;
    const { wrappers, command } = unwrap(words);
    const cmd: SimpleCommand = {
      name: basename(command[0]?.value ?? ''),
      args: command.slice(1).map((w) => w.value),
      words: command.map((w) => ({ value: w.value, quoted: w.quoted, expands: w.expands })),
      wrappers,
      assignments,
      redirects,
      line: this.ctx.lineAt(start === Number.POSITIVE_INFINITY ? 0 : start),
      endLine: this.ctx.lineAt(Math.max(start === Number.POSITIVE_INFINITY ? 0 : start, end - 1)),
      depth: this.ctx.depth,
    };
    this.ctx.out.commands.push(cmd);
    this.applySet(cmd);
    const nested = this.nestedScript(cmd, command);
    for (const w of words) if (w !== nested?.word) this.parseSubstitutions(w);
    if (nested) parseInto(nested.text, nested.ctx);
  }

  private applySet(cmd: SimpleCommand): void {
    if (cmd.name !== 'set') return;
    for (let i = 0; i < cmd.args.length; i++) {
      const arg = cmd.args[i]!;
      if (!/^[-+][a-zA-Z]*o$/.test(arg) || cmd.args[i + 1] !== 'pipefail') continue;
      this.ctx.pipefail = arg.startsWith('-');
    }
  }

  private parseSubstitutions(word: WordToken): void {
    for (const s of word.substitutions) {
      const lineAt = this.ctx.lineAt;
      const inner = this.text.slice(s.start, s.end);
      parseInto(inner, { ...this.ctx, depth: this.ctx.depth + 1, lineAt: (i) => lineAt(s.start + i) });
    }
  }

  /**
   * The script a command runs in a new shell, if any: `sh -c 'script'`, `su -c 'script'`, or a
   * shell reading a heredoc from stdin. `word` is the argument holding it (its substitutions
   * are part of the script, not to be parsed a second time at this level).
   */
  private nestedScript(
    cmd: SimpleCommand,
    command: WordToken[],
  ): { word?: WordToken; ctx: Context; text: string } | undefined {
    if (!SHELLS.has(cmd.name) && cmd.name !== 'su') return undefined;
    const args = parseArguments(cmd.args, { withValue: ['-o', '-O', '+O', '--rcfile', '--init-file'] });
    const pipefail = args.values('-o').includes('pipefail');
    const scriptIndex = cmd.args.findIndex((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a) || a === '--command');
    const base: Context = { ...this.ctx, depth: this.ctx.depth + 1, pipefail };
    const lineAt = this.ctx.lineAt;
    if (scriptIndex !== -1) {
      const word = command[scriptIndex + 2];
      if (!word) return undefined;
      const offsets = word.offsets;
      const at = (i: number): number => lineAt(offsets[Math.min(i, offsets.length - 1)] ?? word.start);
      return { word, text: word.value, ctx: { ...base, lineAt: at } };
    }
    if (cmd.name === 'su' || args.positionals.length > 0) return undefined;
    const heredoc = cmd.redirects.find((r) => r.heredoc && (r.fd === undefined || r.fd === '0'))?.heredoc;
    if (!heredoc) return undefined;
    return { text: heredoc.text, ctx: { ...base, lineAt: (i) => lineAt(heredoc.start + i) } };
  }

  private skipSeparators(): void {
    for (;;) {
      const t = this.tokens[this.pos];
      if (t?.type !== 'op' || (t.op !== ';' && t.op !== '\n' && t.op !== '&')) return;
      this.pos++;
    }
  }

  private skipNewlines(): void {
    while (this.tokens[this.pos]?.type === 'op' && (this.tokens[this.pos] as { op: string }).op === '\n')
      this.pos++;
  }

  private skipRedirects(): void {
    while (this.tokens[this.pos]?.type === 'redirect') {
      this.pos++;
      if (this.tokens[this.pos]?.type === 'word') this.pos++;
    }
  }

  private isStop(t: Token, stop: ReadonlySet<string>): boolean {
    if (t.type === 'op') return stop.has(t.op);
    return t.type === 'word' && !t.quoted && stop.has(t.value);
  }

  private peekWord(value: string): boolean {
    const t = this.tokens[this.pos];
    return t?.type === 'word' && !t.quoted && t.value === value;
  }

  private expectWord(value: string): void {
    if (this.peekWord(value)) this.pos++;
  }

  private expectOp(op: string): void {
    const t = this.tokens[this.pos];
    if (t?.type === 'op' && t.op === op) this.pos++;
  }
}

/** Strips sudo, env, nice, timeout... returning what they run (and their names, outermost first). */
function unwrap(words: WordToken[]): { wrappers: string[]; command: WordToken[] } {
  const wrappers: string[] = [];
  let rest = words;
  for (;;) {
    const name = basename(rest[0]?.value ?? '');
    const wrapper = WRAPPERS.get(name);
    if (!wrapper) break;
    const withValue = new Set(wrapper.withValue);
    let i = 1;
    while (i < rest.length) {
      const v = rest[i]!.value;
      if (v === '--') {
        i++;
        break;
      }
      if (!v.startsWith('-') || v === '-') break;
      i += withValue.has(v) ? 2 : 1;
    }
    if (name === 'env') while (i < rest.length && ASSIGNMENT.test(rest[i]!.value)) i++;
    i += wrapper.positionals;
    if (i >= rest.length) break;
    wrappers.push(name);
    rest = rest.slice(i);
  }
  return { wrappers, command: rest };
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
