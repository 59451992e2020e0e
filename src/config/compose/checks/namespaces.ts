import type { Check } from '../../engine/check.js';
import type { ComposeFile } from '../model.js';
import { hitAtSetting } from '../queries.js';

function hostNamespace(
  id: string,
  key: string,
  what: string,
  meta: { severity: 'HIGH' | 'MEDIUM'; cis: string; description: string; remediation: string },
): Check<ComposeFile> {
  return {
    id,
    title: `Host ${what} namespace shared`,
    severity: meta.severity,
    description: meta.description,
    remediation: meta.remediation,
    references: [
      `https://docs.docker.com/reference/compose-file/services/#${key}`,
      'https://www.cisecurity.org/benchmark/docker',
    ],
    frameworks: { 'cis-docker': meta.cis },
    *run(cf) {
      for (const s of cf.services) {
        if (s.config[key] === 'host') yield hitAtSetting(s, [key], `service "${s.name}" sets ${key}: host`);
      }
    },
  };
}

export const hostNetwork = hostNamespace('RF-DC-004', 'network_mode', 'network', {
  severity: 'HIGH',
  cis: '5.10',
  description:
    "network_mode: host puts the container on the host's network stack: it can bind any host port, reach services listening on localhost, and sniff traffic with NET_RAW.",
  remediation: 'Use a bridge network and publish only the ports needed (bound to a specific address).',
});

export const hostPid = hostNamespace('RF-DC-005', 'pid', 'PID', {
  severity: 'HIGH',
  cis: '5.16',
  description:
    'pid: host lets the container see and signal every process on the host, and read their environment and command lines.',
  remediation: 'Remove `pid: host`.',
});

export const hostIpc = hostNamespace('RF-DC-006', 'ipc', 'IPC', {
  severity: 'HIGH',
  cis: '5.17',
  description:
    "ipc: host shares the host's shared memory and semaphores: the container can read or corrupt other processes' IPC data.",
  remediation:
    'Remove `ipc: host`; share IPC between specific services with `ipc: "service:name"` if they need it.',
});

export const hostUts = hostNamespace('RF-DC-007', 'uts', 'UTS', {
  severity: 'MEDIUM',
  cis: '5.21',
  description:
    "uts: host shares the host's hostname and domain name; the container can change the host's hostname.",
  remediation: 'Remove `uts: host`.',
});

export const hostUserns = hostNamespace('RF-DC-008', 'userns_mode', 'user', {
  severity: 'MEDIUM',
  cis: '5.31',
  description:
    'userns_mode: host opts out of user-namespace remapping on a daemon that uses it: root in the container is root on the host again.',
  remediation: 'Remove `userns_mode: host`.',
});

export const hostCgroup = hostNamespace('RF-DC-034', 'cgroup', 'cgroup', {
  severity: 'MEDIUM',
  cis: '5.25',
  description:
    "cgroup: host shares the host's cgroup namespace, exposing the host's cgroup hierarchy to the container.",
  remediation: 'Remove `cgroup: host` (the default is a private cgroup namespace).',
});
