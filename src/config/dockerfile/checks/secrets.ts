import type { Check } from '../../engine/check.js';
import { hasUrlCredentials, looksLikeSecretName, looksLikeSecretValue } from '../../secret-names.js';
import type { Dockerfile } from '../model.js';
import { allInstructions, hitAt } from '../queries.js';

export const secretInEnv: Check<Dockerfile> = {
  id: 'RF-DF-005',
  title: 'Secret stored in ENV',
  severity: 'HIGH',
  description:
    'ENV values are written into the image configuration: `docker inspect` and anyone who can pull the image read them, and every container started from it gets them. A password, token or key here (typed in, or copied in from a build argument) is published with the image.',
  remediation:
    'Give secrets to the build with `RUN --mount=type=secret,...` and to containers at run time (Docker/Compose secrets, Kubernetes Secrets mounted as files, `--env-file` kept out of the image).',
  references: [
    'https://docs.docker.com/build/building/secrets/',
    'https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/',
    'https://www.cisecurity.org/benchmark/docker',
  ],
  frameworks: { 'cis-docker': '4.10' },
  *run(df) {
    for (const i of allInstructions(df)) {
      if (i.keyword !== 'ENV') continue;
      for (const p of i.pairs) {
        if (!p.value.unresolved && !looksLikeSecretValue(p.value.value)) continue;
        if (looksLikeSecretName(p.key)) {
          yield hitAt(
            i,
            p.value.unresolved
              ? `ENV ${p.key} copies a build-time value into the image`
              : `ENV ${p.key} holds a literal value`,
          );
        } else if (hasUrlCredentials(p.value.value)) {
          yield hitAt(i, `ENV ${p.key} holds a URL with a password`);
        }
      }
    }
  },
};

export const secretInArg: Check<Dockerfile> = {
  id: 'RF-DF-006',
  title: 'Secret passed as a build argument',
  severity: 'MEDIUM',
  description:
    'Build arguments are not secret: their values appear in `docker history` of the image (for every RUN that sees them), in build logs and in the build cache.',
  remediation:
    'Use a secret mount instead: `RUN --mount=type=secret,id=token,env=TOKEN ...` with `docker build --secret id=token,env=TOKEN`.',
  references: [
    'https://docs.docker.com/build/building/secrets/',
    'https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/',
    'https://www.cisecurity.org/benchmark/docker',
  ],
  frameworks: { 'cis-docker': '4.10' },
  *run(df) {
    for (const i of allInstructions(df)) {
      if (i.keyword !== 'ARG') continue;
      for (const a of i.args) {
        if (looksLikeSecretName(a.name)) {
          yield hitAt(
            i,
            a.default?.value ? `ARG ${a.name} has a default value in the Dockerfile` : `ARG ${a.name}`,
          );
        } else if (a.default && hasUrlCredentials(a.default.value)) {
          yield hitAt(i, `ARG ${a.name} defaults to a URL with a password`);
        }
      }
    }
  },
};
