import type { Check, Hit } from '../../engine/check.js';
import type { Dockerfile } from '../model.js';
import { allInstructions, hitAt, hitInRun, runCommands } from '../queries.js';

interface ModeEffect {
  worldWritable: boolean;
  setuid: boolean;
}

/** What a chmod mode (octal or symbolic) grants; undefined when it is not a mode we can read. */
function modeEffect(mode: string): ModeEffect | undefined {
  if (/^[0-7]{1,4}$/.test(mode)) {
    const digits = mode.padStart(4, '0');
    const special = Number(digits[0]);
    const others = Number(digits[3]);
    return { worldWritable: (others & 2) !== 0 && (special & 1) === 0, setuid: (special & 6) !== 0 };
  }
  if (!/^([ugoa]*[-+=][rwxXst]*)(,[ugoa]*[-+=][rwxXst]*)*$/.test(mode)) return undefined;
  const effect: ModeEffect = { worldWritable: false, setuid: false };
  const sticky = /[+=][rwxXs]*t/.test(mode);
  for (const clause of mode.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause)!;
    const [who, op, perms] = [m[1]!, m[2]!, m[3]!];
    if (op === '-') continue;
    if ((who.includes('o') || who.includes('a')) && perms.includes('w') && !sticky)
      effect.worldWritable = true;
    if (perms.includes('s')) effect.setuid = true;
  }
  return effect;
}

/** Modes set by chmod in RUN and by COPY/ADD --chmod, with where they were set. */
function* modes(df: Dockerfile): Generator<{ mode: string; hit: (message: string) => Hit }> {
  for (const { run, command } of runCommands(df)) {
    if (command.name !== 'chmod') continue;
    const mode = command.args.find((a) => !/^-[RfvcH]+$|^--/.test(a));
    if (mode) yield { mode, hit: (message) => hitInRun(run, command, message) };
  }
  for (const i of allInstructions(df)) {
    if ((i.keyword === 'COPY' || i.keyword === 'ADD') && i.chmod) {
      yield { mode: i.chmod, hit: (message) => hitAt(i, message) };
    }
  }
}

export const worldWritable: Check<Dockerfile> = {
  id: 'RF-DF-042',
  title: 'World-writable permissions',
  severity: 'MEDIUM',
  description:
    'A world-writable file or directory (chmod 777, o+w) can be changed by any user in the container: a compromised unprivileged process can then replace programs, scripts or configuration that more privileged ones run.',
  remediation:
    'Give ownership to the user that needs to write (`COPY --chown=app:app`, `chown`) and keep modes at 755/644 or tighter. Shared temporary directories should carry the sticky bit (1777).',
  references: ['https://docs.docker.com/reference/dockerfile/#copy---chown---chmod'],
  *run(df) {
    for (const { mode, hit } of modes(df)) {
      if (modeEffect(mode)?.worldWritable) yield hit(`mode ${mode} makes files world-writable`);
    }
  },
};

export const setuidAdded: Check<Dockerfile> = {
  id: 'RF-DF-047',
  title: 'setuid or setgid bit added',
  severity: 'MEDIUM',
  description:
    'A setuid/setgid program runs with the privileges of its owner (usually root) whoever starts it: every such binary is a way to escalate from an unprivileged process in the container.',
  remediation:
    'Do not add setuid/setgid bits; grant a specific capability with setcap if one is really needed, and consider removing existing ones: `RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`.',
  references: ['https://www.cisecurity.org/benchmark/docker'],
  frameworks: { 'cis-docker': '4.8' },
  *run(df) {
    for (const { mode, hit } of modes(df)) {
      if (modeEffect(mode)?.setuid) yield hit(`mode ${mode} sets the setuid/setgid bit`);
    }
  },
};
