import type { Hit } from '../engine/check.js';
import type { Dockerfile, Instruction, RunInstruction, Stage } from './model.js';
import type { SimpleCommand } from './shell/model.js';

/** Questions Dockerfile checks ask of the model, and how they report a place. */

export function finalStage(df: Dockerfile): Stage {
  return df.stages.at(-1)!;
}

/** The final stage and the stages it is built on (FROM <stage>): what ends up in the image. */
export function shippedStages(df: Dockerfile): Stage[] {
  const out: Stage[] = [];
  const seen = new Set<number>();
  for (let s: Stage | undefined = finalStage(df); s && !seen.has(s.index); ) {
    seen.add(s.index);
    out.push(s);
    s = s.baseStage === undefined ? undefined : df.stages[s.baseStage];
  }
  return out;
}

/** A stage's instructions followed by those of the stages built on it, up to `stage`, oldest first. */
export function effectiveInstructions(df: Dockerfile, stage: Stage): Instruction[] {
  return shippedChain(df, stage).flatMap((s) => s.instructions);
}

function shippedChain(df: Dockerfile, stage: Stage): Stage[] {
  const chain: Stage[] = [];
  const seen = new Set<number>();
  for (let s: Stage | undefined = stage; s && !seen.has(s.index); ) {
    seen.add(s.index);
    chain.unshift(s);
    s = s.baseStage === undefined ? undefined : df.stages[s.baseStage];
  }
  return chain;
}

/** Every instruction of the file, ONBUILD triggers included. */
export function* allInstructions(df: Dockerfile): Generator<Instruction> {
  for (const i of df.instructions) {
    yield i;
    if (i.keyword === 'ONBUILD') yield i.trigger;
  }
}

export function* runs(df: Dockerfile, stages?: readonly Stage[]): Generator<RunInstruction> {
  const wanted = stages ? new Set(stages.map((s) => s.index)) : undefined;
  for (const i of allInstructions(df)) {
    if (i.keyword === 'RUN' && (!wanted || wanted.has(i.stage))) yield i;
  }
}

interface RunCommand {
  run: RunInstruction;
  command: SimpleCommand;
}

/** Every simple command of every RUN (of `stages`, when given), nested ones included. */
export function* runCommands(df: Dockerfile, stages?: readonly Stage[]): Generator<RunCommand> {
  for (const run of runs(df, stages)) {
    for (const command of run.script?.commands ?? []) yield { run, command };
  }
}

export function hitAt(
  i: { line: number; endLine: number },
  message: string,
  details?: Record<string, unknown>,
): Hit {
  return { line: i.line, endLine: i.endLine, message, ...(details ? { details } : {}) };
}

/** A hit on part of a RUN (a command, a pipeline): its own lines, with the whole RUN as the suppression scope. */
export function hitInRun(run: RunInstruction, part: { line: number; endLine: number }, message: string): Hit {
  return { line: part.line, endLine: part.endLine, message, scope: { line: run.line, endLine: run.endLine } };
}

/** `apt-get install -y curl` as it would be typed, for messages. */
export function commandText(command: SimpleCommand): string {
  const text = [...command.wrappers, command.name, ...command.args].join(' ');
  return text.length > 80 ? `${text.slice(0, 79)}...` : text;
}
