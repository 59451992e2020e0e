import type { Check } from '../../engine/check.js';
import type { Dockerfile } from '../model.js';
import { commandText, hitInRun, runCommands, runs } from '../queries.js';
import type { SimpleCommand } from '../shell/model.js';
import { SHELLS } from '../shell/parser.js';

export const sudoInRun: Check<Dockerfile> = {
  id: 'RF-DF-010',
  title: 'sudo used in RUN',
  severity: 'MEDIUM',
  description:
    'RUN already runs as the current USER; sudo in a Dockerfile means the image ships sudo (a setuid root binary) and a sudoers setup, with unpredictable TTY and signal behaviour.',
  remediation:
    'Switch users with USER around the commands that need root; at runtime, use gosu or su-exec to drop privileges.',
  references: ['https://docs.docker.com/build/building/best-practices/#user'],
  *run(df) {
    for (const { run, command } of runCommands(df)) {
      if (command.name === 'sudo' || command.wrappers.includes('sudo')) {
        yield hitInRun(run, command, `"${commandText(command)}"`);
      }
    }
  },
};

export const pipeWithoutPipefail: Check<Dockerfile> = {
  id: 'RF-DF-030',
  title: 'Pipe without pipefail',
  severity: 'LOW',
  description:
    'A pipeline fails only if its last command fails: in `curl -fsSL $URL | tar xz` a failed download still gives a successful RUN and a broken image.',
  remediation:
    'Start the script with `set -o pipefail` (bash, ash, dash >= 0.5.11), or set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN.',
  references: ['https://docs.docker.com/build/building/best-practices/#using-pipes'],
  *run(df) {
    for (const run of runs(df)) {
      const unsafe = (run.script?.pipelines ?? []).filter((p) => !p.pipefail);
      const first = unsafe[0];
      if (!first) continue;
      const more = unsafe.length > 1 ? ` (and ${unsafe.length - 1} more in this RUN)` : '';
      const names = first.stages.map((s) => s.map((c) => c.name).join('; ')).join(' | ');
      yield hitInRun(run, first, `pipeline "${names}" runs without pipefail${more}`);
    }
  },
};

const DOWNLOADERS = new Set(['curl', 'wget', 'fetch']);
const INTERPRETERS = new Set([...SHELLS, 'python', 'python2', 'python3', 'perl', 'ruby', 'node', 'php']);
const FETCHED_SCRIPT = /(\$\(|`|<\()\s*(curl|wget)\b/;

function isInterpreter(c: SimpleCommand): boolean {
  return INTERPRETERS.has(c.name) || /^python\d/.test(c.name);
}

export const remoteScriptExecuted: Check<Dockerfile> = {
  id: 'RF-DF-031',
  title: 'Downloaded script executed without verification',
  severity: 'HIGH',
  description:
    'Piping a download straight into a shell or interpreter (`curl ... | sh`, `bash <(curl ...)`, `sh -c "$(wget -O- ...)"`) runs whatever the server returns at build time, unverified: a compromised site, a DNS hijack or a truncated download becomes code running in the build.',
  remediation:
    'Download to a file, verify its checksum or signature (`echo "<sha256>  install.sh" | sha256sum -c -`), then run it; better, install from a package with a pinned version.',
  references: [
    'https://docs.docker.com/build/building/best-practices/#add-or-copy',
    'https://www.cisecurity.org/benchmark/docker',
  ],
  frameworks: { 'cis-docker': '4.11' },
  *run(df) {
    for (const run of runs(df)) {
      for (const p of run.script?.pipelines ?? []) {
        const download = p.stages.findIndex((s) => s.some((c) => DOWNLOADERS.has(c.name)));
        if (download === -1) continue;
        const runner = p.stages
          .slice(download + 1)
          .flat()
          .find(isInterpreter);
        if (runner) {
          const fetcher = p.stages[download]!.find((c) => DOWNLOADERS.has(c.name))!;
          yield hitInRun(run, p, `${fetcher.name} output piped into ${runner.name}`);
        }
      }
      for (const c of run.script?.commands ?? []) {
        if (
          (isInterpreter(c) || c.name === 'source' || c.name === '.') &&
          c.args.some((a) => FETCHED_SCRIPT.test(a))
        ) {
          yield hitInRun(run, c, `${c.name} runs a script fetched in the same command`);
        }
      }
    }
  },
};

export const cdInsteadOfWorkdir: Check<Dockerfile> = {
  id: 'RF-DF-038',
  title: 'cd used instead of WORKDIR',
  severity: 'LOW',
  description:
    'A `cd` lasts only for its RUN; later instructions silently run elsewhere. WORKDIR sets the directory for every following instruction and for the container, and reads as such.',
  remediation:
    'Use `WORKDIR /path` before the commands (it creates the directory), or pass the directory to the tool (`make -C /src`).',
  references: ['https://docs.docker.com/build/building/best-practices/#workdir'],
  *run(df) {
    for (const { run, command } of runCommands(df)) {
      if (command.name === 'cd' && command.depth === 0 && command.args[0] !== '-') {
        yield hitInRun(run, command, `"${commandText(command)}"`);
      }
    }
  },
};
