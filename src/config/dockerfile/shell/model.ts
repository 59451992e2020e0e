import type { HeredocBody, RedirectOperator } from './tokens.js';

/** What the checks see of a RUN script: every simple command, and the pipelines joining them. */

export interface ShellWord {
  /** Quotes removed, escapes applied; `$X` and `$(...)` kept as written. */
  value: string;
  quoted: boolean;
  /** Contains a parameter expansion or command substitution. */
  expands: boolean;
}

export interface Redirect {
  op: RedirectOperator;
  fd?: string;
  /** The file (or heredoc delimiter) named after the operator. */
  target?: string;
  heredoc?: HeredocBody;
}

export interface SimpleCommand {
  /**
   * The command that really runs, as a basename: `sudo -E /usr/bin/apt-get install x` has name
   * 'apt-get' (and wrappers ['sudo']). '' for a command made only of assignments or redirections.
   */
  name: string;
  /** Its arguments (after the name), values as in ShellWord. */
  args: string[];
  /** The words name + args. */
  words: ShellWord[];
  /** Commands that ran it: sudo, env, nice, timeout, gosu... outermost first. */
  wrappers: string[];
  /** `NAME=value` words before the command. */
  assignments: string[];
  redirects: Redirect[];
  line: number;
  endLine: number;
  /** 0 at the top of the script; deeper inside `sh -c '...'`, `$(...)`, heredoc scripts. */
  depth: number;
}

export interface Pipeline {
  /** The commands of each stage of the pipeline (a stage can be a group: `(a; b) | c`). */
  stages: SimpleCommand[][];
  /** `set -o pipefail` (or a pipefail SHELL) was in effect. */
  pipefail: boolean;
  line: number;
  endLine: number;
}

export interface ShellScript {
  /** In source order, nested ones right after the command that contains them. */
  commands: SimpleCommand[];
  /** Only real pipelines (two stages or more). */
  pipelines: Pipeline[];
}
