import type { Check } from '../../engine/check.js';
import type { ComposeFile, ComposeService } from '../model.js';
import { isMap } from '../parse-compose.js';
import { hitAtSetting, hitOnService } from '../queries.js';
import { isTrue } from '../service-fields.js';

const CIS = 'https://www.cisecurity.org/benchmark/docker';

function deployLimit(s: ComposeService, key: string): unknown {
  const deploy = s.config.deploy;
  const resources = isMap(deploy) ? deploy.resources : undefined;
  const limits = isMap(resources) ? resources.limits : undefined;
  return isMap(limits) ? limits[key] : undefined;
}

function limitCheck(
  id: string,
  what: string,
  keys: readonly string[],
  deployKey: string,
  meta: { severity: 'MEDIUM' | 'LOW'; cis: string; description: string; remediation: string },
): Check<ComposeFile> {
  return {
    id,
    title: `No ${what} limit`,
    severity: meta.severity,
    description: meta.description,
    remediation: meta.remediation,
    references: ['https://docs.docker.com/reference/compose-file/deploy/#resources', CIS],
    frameworks: { 'cis-docker': meta.cis },
    *run(cf) {
      for (const s of cf.services) {
        if (
          !s.complete ||
          keys.some((k) => s.config[k] !== undefined) ||
          deployLimit(s, deployKey) !== undefined
        )
          continue;
        yield hitOnService(s, `service "${s.name}" has no ${what} limit`);
      }
    },
  };
}

export const noMemoryLimit = limitCheck('RF-DC-015', 'memory', ['mem_limit'], 'memory', {
  severity: 'MEDIUM',
  cis: '5.11',
  description:
    'Without a memory limit one service can take all host memory: a leak or a crafted request then gets other services, or the host, OOM-killed.',
  remediation: 'Set `deploy.resources.limits.memory: 512M` (or the legacy `mem_limit`).',
});

export const noCpuLimit = limitCheck(
  'RF-DC-016',
  'CPU',
  ['cpus', 'cpu_quota', 'cpu_shares', 'cpu_count', 'cpu_percent'],
  'cpus',
  {
    severity: 'LOW',
    cis: '5.12',
    description:
      'Without a CPU limit or weight one busy (or compromised, crypto-mining) service can starve every other service on the host.',
    remediation: "Set `deploy.resources.limits.cpus: '1.5'` (or `cpus`, `cpu_shares`).",
  },
);

export const noPidsLimit = limitCheck('RF-DC-017', 'process', ['pids_limit'], 'pids', {
  severity: 'LOW',
  cis: '5.29',
  description:
    'Without a PIDs limit, a fork bomb or a runaway worker pool in one container exhausts the process table of the whole host.',
  remediation: 'Set `pids_limit: 200` (or `deploy.resources.limits.pids`).',
});

export const oomKillDisabled: Check<ComposeFile> = {
  id: 'RF-DC-033',
  title: 'OOM killer disabled',
  severity: 'MEDIUM',
  description:
    'oom_kill_disable: true stops the kernel from killing the container when it runs out of memory; without a strict memory limit the host kills other processes instead, or hangs.',
  remediation: 'Remove oom_kill_disable and set a memory limit.',
  references: ['https://docs.docker.com/reference/compose-file/services/#oom_kill_disable'],
  *run(cf) {
    for (const s of cf.services) {
      if (isTrue(s.config.oom_kill_disable))
        yield hitAtSetting(s, ['oom_kill_disable'], `service "${s.name}" disables the OOM killer`);
    }
  },
};
