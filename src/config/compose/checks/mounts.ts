import type { Check } from '../../engine/check.js';
import type { ComposeFile } from '../model.js';
import { hitAtSetting } from '../queries.js';
import { type Mount, mounts, stringList } from '../service-fields.js';

const CIS = 'https://www.cisecurity.org/benchmark/docker';
const VOLUMES_REF = 'https://docs.docker.com/reference/compose-file/services/#volumes';

const RUNTIME_SOCKET = /(^|\/)(docker|containerd|crio|podman|cri-dockerd|dockershim)\.sock$/;

function bindSource(m: Mount): string | undefined {
  if (m.type !== 'bind' || m.source === undefined) return undefined;
  return m.source.length > 1 ? m.source.replace(/\/+$/, '') : m.source;
}

export const runtimeSocketMounted: Check<ComposeFile> = {
  id: 'RF-DC-009',
  title: 'Container runtime socket mounted',
  severity: 'CRITICAL',
  description:
    'Whoever can talk to docker.sock (or containerd/CRI-O/Podman sockets) can start a privileged container with the host filesystem mounted: mounting it gives the service, and anyone who compromises it, root on the host. Read-only does not help; it is an API socket.',
  remediation:
    'Do not mount the socket. If a tool needs the Docker API, put a filtering proxy in front of it that allows only the calls it needs, or use rootless Docker.',
  references: [VOLUMES_REF, CIS],
  frameworks: { 'cis-docker': '5.32' },
  *run(cf) {
    for (const s of cf.services) {
      for (const m of mounts(s)) {
        const src = bindSource(m);
        if (src && RUNTIME_SOCKET.test(src))
          yield hitAtSetting(s, m.path, `service "${s.name}" mounts ${src}`);
      }
    }
  },
};

const SENSITIVE_DIRS = new Set([
  '/',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib64',
  '/proc',
  '/sys',
  '/usr',
  '/bin',
  '/sbin',
  '/var',
  '/var/lib',
  '/var/run',
  '/run',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/lib/kubelet',
  '/root',
]);
const CREDENTIAL_DIR = /(^|\/)\.(ssh|aws|kube|docker|gnupg)(\/|$)|(^|\/)\.config\/gcloud(\/|$)/;

/** Why a bind-mount source is sensitive, or undefined. */
function sensitivity(src: string, readOnly: boolean): string | undefined {
  if (SENSITIVE_DIRS.has(src)) return `the host's ${src === '/' ? 'root filesystem' : src}`;
  if (CREDENTIAL_DIR.test(src)) return `credentials (${src})`;
  if (!readOnly && /^\/(proc|sys)\//.test(src)) return `${src} writable`;
  return undefined;
}

export const sensitiveHostPath: Check<ComposeFile> = {
  id: 'RF-DC-010',
  title: 'Sensitive host path mounted',
  severity: 'HIGH',
  description:
    'Bind-mounting host system directories (/, /etc, /proc, /sys, /boot, /dev, /usr, /var/run, /var/lib/docker...) or credential directories (~/.ssh, ~/.aws, ~/.kube) lets the container read host secrets or change the host itself; even read-only, / exposes /etc/shadow and every key on the host.',
  remediation:
    'Mount only the specific files or directories the service needs, read-only where possible (`./config:/etc/app:ro`), or use named volumes.',
  references: [VOLUMES_REF, CIS],
  frameworks: { 'cis-docker': '5.6' },
  *run(cf) {
    for (const s of cf.services) {
      for (const m of mounts(s)) {
        const src = bindSource(m);
        if (!src || RUNTIME_SOCKET.test(src)) continue;
        const why = sensitivity(src, m.readOnly);
        if (why)
          yield hitAtSetting(
            s,
            m.path,
            `service "${s.name}" mounts ${why}${m.readOnly ? ' (read-only)' : ''}`,
          );
      }
    }
  },
};

export const sharedPropagation: Check<ComposeFile> = {
  id: 'RF-DC-011',
  title: 'Mount propagation set to shared',
  severity: 'MEDIUM',
  description:
    'With shared (or rshared) propagation, mounts made inside the container appear on the host and the other way round: the container can mount over host paths.',
  remediation: 'Use the default private propagation; use rslave only if the service must see host mounts.',
  references: [VOLUMES_REF, CIS],
  frameworks: { 'cis-docker': '5.20' },
  *run(cf) {
    for (const s of cf.services) {
      for (const m of mounts(s)) {
        if (m.propagation === 'shared' || m.propagation === 'rshared') {
          yield hitAtSetting(
            s,
            m.path,
            `service "${s.name}" mounts ${m.source ?? m.target ?? ''} with ${m.propagation} propagation`,
          );
        }
      }
    }
  },
};

export const hostDevices: Check<ComposeFile> = {
  id: 'RF-DC-030',
  title: 'Host device exposed to the container',
  severity: 'MEDIUM',
  description:
    'devices (and device_cgroup_rules) give the container direct access to host devices: raw disks, memory, or hardware whose drivers become attack surface.',
  remediation:
    'Remove devices the service does not need; prefer a narrow device (a single GPU render node) over broad rules.',
  references: ['https://docs.docker.com/reference/compose-file/services/#devices', CIS],
  frameworks: { 'cis-docker': '5.18' },
  *run(cf) {
    for (const s of cf.services) {
      const devices = Array.isArray(s.config.devices) ? s.config.devices : [];
      for (const [i, d] of devices.entries()) {
        const name =
          typeof d === 'string' ? d.split(':')[0] : String((d as { source?: unknown })?.source ?? 'device');
        yield hitAtSetting(s, ['devices', i], `service "${s.name}" maps host device ${name}`);
      }
      for (const [i, rule] of stringList(s.config.device_cgroup_rules).entries()) {
        yield hitAtSetting(s, ['device_cgroup_rules', i], `service "${s.name}" allows devices "${rule}"`);
      }
    }
  },
};
