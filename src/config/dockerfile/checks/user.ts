import { splitReference } from '../../../image/registry/reference.js';
import type { Check } from '../../engine/check.js';
import type { Dockerfile, UserInstruction } from '../model.js';
import { effectiveInstructions, finalStage, hitAt, hitInRun, runCommands } from '../queries.js';
import { parseArguments } from '../shell/arguments.js';

const ROOT = /^(root|0)(:.*)?$/;

export const finalUserIsRoot: Check<Dockerfile> = {
  id: 'RF-DF-001',
  title: 'Container runs as root',
  severity: 'HIGH',
  description:
    'The final stage either sets no USER (so the container runs as the base image user, which is root unless the image says otherwise) or its last USER is root. A process running as root inside a container is root on the host once it escapes, and can change everything inside the image.',
  remediation:
    'Create an unprivileged user (`RUN useradd -r -u 10001 app`) and switch to it with `USER 10001` (a numeric id lets Kubernetes verify runAsNonRoot) before CMD/ENTRYPOINT.',
  references: [
    'https://docs.docker.com/reference/dockerfile/#user',
    'https://www.cisecurity.org/benchmark/docker',
  ],
  frameworks: { 'cis-docker': '4.1' },
  *run(df) {
    const stage = finalStage(df);
    const users = effectiveInstructions(df, stage).filter((i): i is UserInstruction => i.keyword === 'USER');
    const last = users.at(-1);
    if (last) {
      if (!last.user.unresolved && ROOT.test(last.user.value)) {
        yield hitAt(last, `the last USER of the final stage is "${last.user.value}"`);
      }
      return;
    }
    const image = stage.from.image;
    const tag = splitReference(image.value)?.tag ?? '';
    if (/nonroot|rootless/i.test(tag) || /nonroot|rootless/i.test(image.value)) return;
    yield hitAt(stage.from, `the final stage (FROM ${image.value || stage.from.imageText}) never sets USER`);
  },
};

export const useraddHighUidWithoutNoLogInit: Check<Dockerfile> = {
  id: 'RF-DF-046',
  title: 'useradd with a high UID and without -l',
  severity: 'LOW',
  description:
    'useradd records every new user in the sparse files /var/log/lastlog and /var/log/faillog, sized by the UID. Image layers do not keep files sparse, so a large UID adds megabytes to gigabytes of zeros to the image.',
  remediation: 'Pass `-l` (`--no-log-init`) to useradd, or choose a UID below 65536.',
  references: [
    'https://github.com/moby/moby/issues/5419',
    'https://man7.org/linux/man-pages/man8/useradd.8.html',
  ],
  *run(df) {
    for (const { run, command } of runCommands(df)) {
      if (command.name !== 'useradd') continue;
      const args = parseArguments(command.args, {
        withValue: [
          '-u',
          '--uid',
          '-g',
          '--gid',
          '-G',
          '--groups',
          '-d',
          '--home-dir',
          '-s',
          '--shell',
          '-c',
          '--comment',
          '-e',
          '-f',
          '-K',
          '-k',
          '-p',
          '-R',
          '-P',
          '-Z',
          '-b',
        ],
      });
      if (args.has('-l', '--no-log-init')) continue;
      const uid = Number(args.values('-u', '--uid').at(-1));
      if (Number.isInteger(uid) && uid > 65535) {
        yield hitInRun(run, command, `useradd -u ${uid} without -l`);
      }
    }
  },
};
