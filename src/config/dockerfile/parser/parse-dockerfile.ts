import { ConfigParseError } from '../../engine/check.js';
import { splitLines } from '../../engine/source-text.js';
import type { ArgInstruction, Dockerfile, Instruction, Stage } from '../model.js';
import { parseDirectives } from './directives.js';
import { KEYWORDS, parseInstruction, truncate } from './instructions.js';
import { logicalLines } from './logical-lines.js';

const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** What is in scope at a point of the file: ARG and ENV values (undefined: declared, value not known). */
interface StageScope {
  args: Map<string, string | undefined>;
  env: Map<string, string | undefined>;
  shell: string[];
}

/**
 * Parses a Dockerfile the way BuildKit reads it: parser directives, continuations, heredocs,
 * instructions and their flags, stages, and ARG/ENV expansion with BuildKit's scoping (global
 * ARGs are visible to FROM, and inside a stage only once re-declared; ENV beats ARG; a stage
 * built on another inherits its ENV and SHELL). Throws ConfigParseError for what BuildKit rejects.
 */
export function parseDockerfile(text: string): Dockerfile {
  const lines = splitLines(text);
  const { directives, escape: esc } = parseDirectives(lines);
  const logical = logicalLines(lines, 0, esc);
  if (logical.length === 0) throw new ConfigParseError('the file has no instructions');

  const globals = new Map<string, string | undefined>();
  const globalArgs: ArgInstruction[] = [];
  const instructions: Instruction[] = [];
  const stages: Stage[] = [];
  const finalScopes: StageScope[] = [];
  let scope: StageScope = { args: new Map(), env: new Map(), shell: DEFAULT_SHELL };

  for (const li of logical) {
    if (!KEYWORDS.has(li.keyword))
      throw new ConfigParseError(`unknown instruction: ${truncate(li.keyword)}`, li.line);
    if (li.keyword === 'FROM') {
      const from = parseInstruction(li, {
        escape: esc,
        lookup: (n) => globals.get(n),
        stage: stages.length,
        shell: DEFAULT_SHELL,
      });
      if (from.keyword !== 'FROM') continue;
      const baseStage = stages.findIndex(
        (s) => s.name !== undefined && s.name === from.image.value.toLowerCase(),
      );
      const parent = baseStage === -1 ? undefined : finalScopes[baseStage];
      scope = {
        args: new Map(),
        env: new Map(parent?.env ?? []),
        shell: parent?.shell ?? (esc === '`' ? [] : DEFAULT_SHELL),
      };
      const stage: Stage = {
        index: stages.length,
        ...(from.alias !== undefined ? { name: from.alias.toLowerCase() } : {}),
        from,
        ...(baseStage !== -1 ? { baseStage } : {}),
        instructions: [],
        line: from.line,
        endLine: from.endLine,
      };
      stages.push(stage);
      finalScopes.push(scope);
      instructions.push(from);
      continue;
    }
    if (stages.length === 0 && li.keyword !== 'ARG') {
      throw new ConfigParseError(
        `${li.keyword} before the first FROM (only ARG may come before it)`,
        li.line,
      );
    }
    const current = scope;
    const lookup = (name: string): string | undefined =>
      current.env.has(name)
        ? current.env.get(name)
        : stages.length === 0
          ? globals.get(name)
          : current.args.get(name);
    const instruction = parseInstruction(li, {
      escape: esc,
      lookup,
      stage: stages.length - 1,
      shell: current.shell,
    });
    instructions.push(instruction);
    const stage = stages.at(-1);
    if (stage) {
      stage.instructions.push(instruction);
      stage.endLine = instruction.endLine;
    }
    if (instruction.keyword === 'ARG') {
      for (const arg of instruction.args) {
        const value = arg.default && !arg.default.unresolved ? arg.default.value : undefined;
        if (!stage) globals.set(arg.name, value);
        else current.args.set(arg.name, arg.default ? value : globals.get(arg.name));
      }
      if (!stage) globalArgs.push(instruction);
    } else if (instruction.keyword === 'ENV') {
      for (const pair of instruction.pairs) {
        current.env.set(pair.key, pair.value.unresolved ? undefined : pair.value.value);
      }
    } else if (instruction.keyword === 'SHELL') {
      current.shell = instruction.argv;
    }
  }
  if (stages.length === 0) throw new ConfigParseError('no FROM instruction');
  return { directives, escape: esc, instructions, globalArgs, stages };
}
