import type { Expanded } from '../engine/variables.js';
import type { Directive } from './parser/directives.js';
import type { Heredoc } from './parser/logical-lines.js';
import type { ShellScript } from './shell/model.js';

/** A parsed Dockerfile, as every Dockerfile check receives it. */
export interface Dockerfile {
  directives: Directive[];
  escape: '\\' | '`';
  /** Every instruction in file order, global ARGs included (ONBUILD triggers are inside their ONBUILD). */
  instructions: Instruction[];
  /** ARGs before the first FROM. */
  globalArgs: ArgInstruction[];
  stages: Stage[];
}

export interface Stage {
  /** 0-based position. */
  index: number;
  /** `FROM ... AS name`, lower-cased as BuildKit compares it. */
  name?: string;
  from: FromInstruction;
  /** The earlier stage this one builds on (`FROM <stage name>`). */
  baseStage?: number;
  /** The instructions after FROM, in order. */
  instructions: Instruction[];
  line: number;
  endLine: number;
}

export interface Flag {
  /** Without the dashes: 'from', 'mount', 'chmod'. */
  name: string;
  /** Quotes removed, variables expanded where BuildKit expands them; undefined for `--link`. */
  value?: string;
}

interface Base {
  line: number;
  endLine: number;
  flags: Flag[];
  /** Index of the stage it belongs to; -1 before the first FROM. */
  stage: number;
  /** The argument text as written (continuations joined). */
  text: string;
}

/** Exec form (`["a", "b"]`) or shell form (`a b`) of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD. */
export type CommandForm = { form: 'exec'; argv: string[] } | { form: 'shell'; command: string };

export interface FromInstruction extends Base {
  keyword: 'FROM';
  image: Expanded;
  /** The image name as written, before expansion. */
  imageText: string;
  platform?: string;
  /** As written. */
  alias?: string;
}

export interface RunMount {
  type: string;
  /** Every key=value of the --mount flag. */
  options: Record<string, string>;
}

export type RunInstruction = Base &
  CommandForm & {
    keyword: 'RUN';
    /** The shell running a shell-form RUN (SHELL, else /bin/sh -c). */
    shell: string[];
    /**
     * Commands and pipelines, when the script is POSIX shell (shell form with a POSIX SHELL,
     * heredoc scripts without a foreign #! line, or exec form as a single command).
     */
    script?: ShellScript;
    mounts: RunMount[];
    heredocs: Heredoc[];
  };

export type CmdInstruction = Base & CommandForm & { keyword: 'CMD' };
export type EntrypointInstruction = Base & CommandForm & { keyword: 'ENTRYPOINT' };

export type HealthcheckInstruction = Base & { keyword: 'HEALTHCHECK' } & (
    | { none: true }
    | ({ none: false } & CommandForm)
  );

export interface CopyInstruction extends Base {
  keyword: 'COPY' | 'ADD';
  /** Sources other than heredocs. */
  sources: Expanded[];
  /** Inline files (`COPY <<EOF /dest`). */
  heredocs: Heredoc[];
  dest: Expanded;
  /** --from, expanded. */
  from?: string;
  chmod?: string;
  chown?: string;
}

export interface KeyValue {
  key: string;
  value: Expanded;
}

export interface EnvInstruction extends Base {
  keyword: 'ENV';
  pairs: KeyValue[];
  /** The deprecated `ENV key value` form. */
  legacy: boolean;
}

export interface LabelInstruction extends Base {
  keyword: 'LABEL';
  pairs: KeyValue[];
}

export interface ArgInstruction extends Base {
  keyword: 'ARG';
  args: { name: string; default?: Expanded }[];
}

export interface ExposeInstruction extends Base {
  keyword: 'EXPOSE';
  ports: Expanded[];
}

export interface UserInstruction extends Base {
  keyword: 'USER';
  user: Expanded;
}

export interface WorkdirInstruction extends Base {
  keyword: 'WORKDIR';
  path: Expanded;
}

export interface VolumeInstruction extends Base {
  keyword: 'VOLUME';
  paths: string[];
}

export interface ShellInstruction extends Base {
  keyword: 'SHELL';
  argv: string[];
}

export interface StopsignalInstruction extends Base {
  keyword: 'STOPSIGNAL';
  signal: Expanded;
}

export interface MaintainerInstruction extends Base {
  keyword: 'MAINTAINER';
  name: string;
}

export interface OnbuildInstruction extends Base {
  keyword: 'ONBUILD';
  trigger: Instruction;
}

export type Instruction =
  | FromInstruction
  | RunInstruction
  | CmdInstruction
  | EntrypointInstruction
  | HealthcheckInstruction
  | CopyInstruction
  | EnvInstruction
  | LabelInstruction
  | ArgInstruction
  | ExposeInstruction
  | UserInstruction
  | WorkdirInstruction
  | VolumeInstruction
  | ShellInstruction
  | StopsignalInstruction
  | MaintainerInstruction
  | OnbuildInstruction;

export type Keyword = Instruction['keyword'];
