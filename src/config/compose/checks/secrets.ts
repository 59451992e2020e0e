import type { Check } from '../../engine/check.js';
import { hasUrlCredentials, looksLikeSecretName, looksLikeSecretValue } from '../../secret-names.js';
import type { ComposeFile, ComposeService } from '../model.js';
import { hitAtSetting } from '../queries.js';
import { type EnvVar, type Path, variables } from '../service-fields.js';

interface SecretVar extends EnvVar {
  /** Where the value comes from when it is not typed into the file: `${VAR}`, or the shell running compose. */
  from?: string;
}

function* secretVariables(cf: ComposeFile, service: ComposeService, path: Path): Generator<SecretVar> {
  for (const v of variables(service, path)) {
    const holder = service.holder(v.path);
    const raw = holder ? cf.interpolation.rawOf(holder.container, holder.key) : undefined;
    if (v.value === undefined) {
      if (looksLikeSecretName(v.name)) yield { ...v, from: 'the environment docker compose runs in' };
    } else if (raw !== undefined) {
      if (looksLikeSecretName(v.name)) yield { ...v, from: raw.slice(raw.indexOf('$')) };
    } else if (looksLikeSecretValue(v.value) && (looksLikeSecretName(v.name) || hasUrlCredentials(v.value))) {
      yield v;
    }
  }
}

const SECRETS_REF = 'https://docs.docker.com/compose/how-tos/use-secrets/';

export const hardCodedSecret: Check<ComposeFile> = {
  id: 'RF-DC-012',
  title: 'Secret written into environment',
  severity: 'HIGH',
  description:
    'A password, token or key typed into the Compose file is in version control, in every copy of the repository, and in `docker inspect` of the container.',
  remediation:
    'Use Compose secrets (`secrets:` with `file:` or `environment:` sources, mounted under /run/secrets) and point the application at the file (many images read `*_FILE` variables, e.g. POSTGRES_PASSWORD_FILE).',
  references: [SECRETS_REF, 'https://docs.docker.com/reference/compose-file/secrets/'],
  *run(cf) {
    for (const s of cf.services) {
      for (const v of secretVariables(cf, s, ['environment'])) {
        if (v.from === undefined) {
          yield hitAtSetting(s, v.path, `service "${s.name}" sets ${v.name} to a literal value`);
        }
      }
    }
  },
};

export const secretInEnvironment: Check<ComposeFile> = {
  id: 'RF-DC-013',
  title: 'Secret passed as an environment variable',
  severity: 'LOW',
  description:
    'Environment variables leak easily: `docker inspect`, /proc/<pid>/environ, crash reports, child processes and debug pages all show them. Secrets mounted as files under /run/secrets do not.',
  remediation: 'Use Compose secrets and `*_FILE` variables instead of passing the value in environment.',
  references: [SECRETS_REF],
  *run(cf) {
    for (const s of cf.services) {
      for (const v of secretVariables(cf, s, ['environment'])) {
        if (v.from !== undefined)
          yield hitAtSetting(s, v.path, `service "${s.name}" passes ${v.name} from ${v.from}`);
      }
    }
  },
};

export const secretBuildArg: Check<ComposeFile> = {
  id: 'RF-DC-014',
  title: 'Secret passed as a build argument',
  severity: 'MEDIUM',
  description:
    'Build arguments end up in the image history (`docker history`), build logs and the build cache.',
  remediation:
    'Use build secrets: `build: { secrets: [npm_token] }` with `RUN --mount=type=secret,id=npm_token` in the Dockerfile.',
  references: [
    'https://docs.docker.com/reference/compose-file/build/#secrets',
    'https://docs.docker.com/build/building/secrets/',
  ],
  *run(cf) {
    for (const s of cf.services) {
      for (const v of secretVariables(cf, s, ['build', 'args'])) {
        if (v.value !== undefined)
          yield hitAtSetting(s, v.path, `service "${s.name}" passes build argument ${v.name}`);
      }
    }
  },
};
