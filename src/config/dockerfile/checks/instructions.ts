import type { Check } from '../../engine/check.js';
import type { Dockerfile, Instruction, Keyword } from '../model.js';
import { allInstructions, effectiveInstructions, finalStage, hitAt, runs } from '../queries.js';

function* overridden(
  df: Dockerfile,
  keyword: Keyword,
): Generator<{ earlier: Instruction; last: Instruction }> {
  for (const stage of df.stages) {
    const all = stage.instructions.filter((i) => i.keyword === keyword);
    const last = all.at(-1);
    for (const earlier of all.slice(0, -1)) yield { earlier, last: last! };
  }
}

function onlyLastTakesEffect(id: string, keyword: 'CMD' | 'ENTRYPOINT' | 'HEALTHCHECK'): Check<Dockerfile> {
  return {
    id,
    title: `Multiple ${keyword} instructions in one stage`,
    severity: 'LOW',
    description: `Only the last ${keyword} of a stage takes effect; the earlier ones do nothing and mislead whoever reads the file.`,
    remediation: `Keep a single ${keyword} per stage.`,
    references: [`https://docs.docker.com/reference/dockerfile/#${keyword.toLowerCase()}`],
    *run(df) {
      for (const { earlier, last } of overridden(df, keyword)) {
        yield hitAt(
          earlier,
          `${keyword} at line ${earlier.line} is overridden by the ${keyword} at line ${last.line}`,
        );
      }
    },
  };
}

export const multipleCmd = onlyLastTakesEffect('RF-DF-033', 'CMD');
export const multipleEntrypoint = onlyLastTakesEffect('RF-DF-034', 'ENTRYPOINT');
export const multipleHealthcheck = onlyLastTakesEffect('RF-DF-035', 'HEALTHCHECK');

export const shellFormEntrypoint: Check<Dockerfile> = {
  id: 'RF-DF-036',
  title: 'ENTRYPOINT or CMD in shell form',
  severity: 'LOW',
  description:
    'In shell form the container runs `/bin/sh -c "<command>"`: the shell may be PID 1 and not pass on SIGTERM, so `docker stop` waits and then kills the application without a clean shutdown; a shell-form ENTRYPOINT also ignores CMD and `docker run` arguments.',
  remediation:
    'Use the exec (JSON) form: `ENTRYPOINT ["/app/server"]`, `CMD ["node", "server.js"]`; if a shell is needed, end the script with `exec "$@"`.',
  references: [
    'https://docs.docker.com/reference/dockerfile/#shell-and-exec-form',
    'https://docs.docker.com/reference/build-checks/json-args-recommended/',
  ],
  *run(df) {
    const effective = effectiveInstructions(df, finalStage(df));
    const entrypoint = effective.findLast((i) => i.keyword === 'ENTRYPOINT');
    const cmd = effective.findLast((i) => i.keyword === 'CMD');
    if (entrypoint?.keyword === 'ENTRYPOINT' && entrypoint.form === 'shell' && entrypoint.command) {
      yield hitAt(entrypoint, `ENTRYPOINT ${entrypoint.command}`);
    } else if (cmd?.keyword === 'CMD' && cmd.form === 'shell' && cmd.command) {
      yield hitAt(cmd, `CMD ${cmd.command}`);
    }
  },
};

export const relativeWorkdir: Check<Dockerfile> = {
  id: 'RF-DF-037',
  title: 'Relative WORKDIR',
  severity: 'LOW',
  description:
    'A relative WORKDIR depends on the WORKDIR before it, possibly set by the base image; the directory the rest of the build uses can change when the base image does.',
  remediation: 'Use absolute paths: `WORKDIR /app`.',
  references: ['https://docs.docker.com/reference/dockerfile/#workdir'],
  *run(df) {
    for (const i of allInstructions(df)) {
      if (i.keyword !== 'WORKDIR' || i.path.unresolved) continue;
      const p = i.path.value;
      if (!p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p) && !p.startsWith('\\'))
        yield hitAt(i, `WORKDIR ${p} is relative`);
    }
  },
};

interface PortSpec {
  first: number;
  last: number;
  protocol: string;
}

function parsePortSpec(spec: string): PortSpec | undefined {
  const m = /^(\d+)(?:-(\d+))?(?:\/(\w+))?$/.exec(spec);
  if (!m) return undefined;
  return { first: Number(m[1]), last: Number(m[2] ?? m[1]), protocol: (m[3] ?? 'tcp').toLowerCase() };
}

function* exposed(df: Dockerfile) {
  for (const i of allInstructions(df)) {
    if (i.keyword !== 'EXPOSE') continue;
    for (const port of i.ports) if (!port.unresolved) yield { instruction: i, spec: port.value };
  }
}

export const exposesSsh: Check<Dockerfile> = {
  id: 'RF-DF-039',
  title: 'SSH port exposed',
  severity: 'MEDIUM',
  description:
    'Exposing port 22 announces an SSH server in the container: one more privileged daemon to patch and guard, and a way in that bypasses `docker exec` auditing.',
  remediation: 'Remove the SSH server and `EXPOSE 22`; use `docker exec` / `kubectl exec` for access.',
  references: ['https://docs.docker.com/reference/dockerfile/#expose'],
  *run(df) {
    for (const { instruction, spec } of exposed(df)) {
      const p = parsePortSpec(spec);
      if (p && p.protocol === 'tcp' && p.first <= 22 && 22 <= p.last)
        yield hitAt(instruction, `EXPOSE ${spec}`);
    }
  },
};

export const invalidExpose: Check<Dockerfile> = {
  id: 'RF-DF-040',
  title: 'Invalid EXPOSE port',
  severity: 'MEDIUM',
  description:
    'EXPOSE takes ports 1-65535 (or a low-high range) with an optional /tcp, /udp or /sctp; anything else fails the build or documents a port that cannot exist.',
  remediation:
    'Write the container port as `8080`, `8080/udp` or `8000-8010`; publish host ports at run time, not in the Dockerfile.',
  references: ['https://docs.docker.com/reference/dockerfile/#expose'],
  *run(df) {
    for (const { instruction, spec } of exposed(df)) {
      const p = parsePortSpec(spec);
      const valid =
        p &&
        p.first >= 1 &&
        p.last <= 65535 &&
        p.first <= p.last &&
        ['tcp', 'udp', 'sctp'].includes(p.protocol);
      if (!valid) yield hitAt(instruction, `EXPOSE ${spec} is not a valid port`);
    }
  },
};

export const maintainerDeprecated: Check<Dockerfile> = {
  id: 'RF-DF-041',
  title: 'MAINTAINER is deprecated',
  severity: 'LOW',
  description:
    'MAINTAINER has been deprecated for years and is ignored by image tooling that reads OCI annotations.',
  remediation: 'Use a label: `LABEL org.opencontainers.image.authors="team@example.com"`.',
  references: ['https://docs.docker.com/reference/dockerfile/#maintainer-deprecated'],
  *run(df) {
    for (const i of allInstructions(df))
      if (i.keyword === 'MAINTAINER') yield hitAt(i, `MAINTAINER ${i.name}`);
  },
};

export const debianFrontendInEnv: Check<Dockerfile> = {
  id: 'RF-DF-051',
  title: 'DEBIAN_FRONTEND set with ENV',
  severity: 'LOW',
  description:
    'ENV DEBIAN_FRONTEND=noninteractive stays set in every container started from the image, silently changing how apt and debconf behave for whoever uses it later.',
  remediation:
    'Set it for the build only: `ARG DEBIAN_FRONTEND=noninteractive`, or per command (`RUN DEBIAN_FRONTEND=noninteractive apt-get install ...`).',
  references: ['https://docs.docker.com/build/building/best-practices/#env'],
  *run(df) {
    for (const i of allInstructions(df)) {
      if (i.keyword === 'ENV' && i.pairs.some((p) => p.key === 'DEBIAN_FRONTEND'))
        yield hitAt(i, 'ENV DEBIAN_FRONTEND');
    }
  },
};

export const insecureRun: Check<Dockerfile> = {
  id: 'RF-DF-053',
  title: 'RUN --security=insecure',
  severity: 'HIGH',
  description:
    'RUN --security=insecure runs the step as a privileged container with all capabilities and host devices: the build step can take over the build host.',
  remediation:
    'Remove the flag; find a way to do the step without privileges (or do it outside the image build).',
  references: ['https://docs.docker.com/reference/dockerfile/#run---security'],
  *run(df) {
    for (const run of runs(df)) {
      if (run.flags.some((f) => f.name === 'security' && f.value === 'insecure'))
        yield hitAt(run, 'RUN --security=insecure');
    }
  },
};

export const legacyEnvForm: Check<Dockerfile> = {
  id: 'RF-DF-054',
  title: 'ENV in the legacy "key value" form',
  severity: 'LOW',
  description:
    '`ENV key value` sets one variable to the whole rest of the line, spaces included, which is easy to misread; the form is deprecated.',
  remediation: 'Write `ENV key=value` (quote values with spaces).',
  references: ['https://docs.docker.com/reference/build-checks/legacy-key-value-format/'],
  *run(df) {
    for (const i of allInstructions(df)) {
      if (i.keyword === 'ENV' && i.legacy)
        yield hitAt(i, `ENV ${i.text.length > 70 ? `${i.text.slice(0, 69)}...` : i.text}`);
    }
  },
};
