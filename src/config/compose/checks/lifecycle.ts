import type { Check } from '../../engine/check.js';
import type { ComposeFile } from '../model.js';
import { isMap } from '../parse-compose.js';
import { hitAtSetting } from '../queries.js';
import { isTrue } from '../service-fields.js';

const CIS = 'https://www.cisecurity.org/benchmark/docker';

export const unboundedRestart: Check<ComposeFile> = {
  id: 'RF-DC-031',
  title: 'Restart policy without a retry limit',
  severity: 'LOW',
  description:
    'restart: always / unless-stopped (or on-failure without a count, or a deploy restart_policy without max_attempts) restarts a crashing container forever: a crash loop keeps consuming resources and can hide an ongoing attack.',
  remediation:
    'Use `restart: on-failure:5` (or `deploy.restart_policy` with `condition: on-failure` and `max_attempts: 5`), and alert on restarts.',
  references: ['https://docs.docker.com/reference/compose-file/services/#restart', CIS],
  frameworks: { 'cis-docker': '5.15' },
  *run(cf) {
    for (const s of cf.services) {
      const restart = s.config.restart;
      if (restart === 'always' || restart === 'unless-stopped' || restart === 'on-failure') {
        yield hitAtSetting(s, ['restart'], `service "${s.name}" sets restart: ${restart}`);
      }
      const deploy = s.config.deploy;
      const policy = isMap(deploy) ? deploy.restart_policy : undefined;
      if (isMap(policy) && policy.condition !== 'none' && policy.max_attempts === undefined) {
        yield hitAtSetting(
          s,
          ['deploy', 'restart_policy'],
          `service "${s.name}" restarts with no max_attempts`,
        );
      }
    }
  },
};

export const healthcheckDisabled: Check<ComposeFile> = {
  id: 'RF-DC-032',
  title: 'Health check disabled',
  severity: 'LOW',
  description:
    'Disabling the health check (including one the image defines) leaves a hung service looking healthy: it keeps getting traffic and dependants start against it.',
  remediation: 'Remove `disable: true` / `test: ["NONE"]`, and define a check that exercises the service.',
  references: ['https://docs.docker.com/reference/compose-file/services/#healthcheck', CIS],
  frameworks: { 'cis-docker': '5.27' },
  *run(cf) {
    for (const s of cf.services) {
      const hc = s.config.healthcheck;
      if (!isMap(hc)) continue;
      const test = Array.isArray(hc.test) ? hc.test[0] : hc.test;
      if (isTrue(hc.disable))
        yield hitAtSetting(s, ['healthcheck', 'disable'], `service "${s.name}" disables its health check`);
      else if (test === 'NONE')
        yield hitAtSetting(s, ['healthcheck', 'test'], `service "${s.name}" disables its health check`);
    }
  },
};
