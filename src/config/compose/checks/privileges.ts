import type { Check } from '../../engine/check.js';
import type { ComposeFile } from '../model.js';
import { hitAtSetting, hitOnService } from '../queries.js';
import { capabilities, isTrue, securityOptions } from '../service-fields.js';

const CIS = 'https://www.cisecurity.org/benchmark/docker';
const SERVICE_REF = 'https://docs.docker.com/reference/compose-file/services/';

export const privileged: Check<ComposeFile> = {
  id: 'RF-DC-001',
  title: 'Privileged container',
  severity: 'HIGH',
  description:
    'privileged: true gives the container every capability, all host devices and no seccomp or AppArmor confinement; root in it is root on the host in all but name.',
  remediation:
    'Remove privileged; add only the specific capabilities (cap_add) or devices the service really needs.',
  references: [`${SERVICE_REF}#privileged`, CIS],
  frameworks: { 'cis-docker': '5.5' },
  *run(cf) {
    for (const s of cf.services) {
      if (isTrue(s.config.privileged))
        yield hitAtSetting(s, ['privileged'], `service "${s.name}" is privileged`);
    }
  },
};

const DANGEROUS = new Set([
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_PTRACE',
  'SYS_BOOT',
  'SYS_TIME',
  'NET_ADMIN',
  'DAC_READ_SEARCH',
  'BPF',
  'PERFMON',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'LINUX_IMMUTABLE',
  'SYSLOG',
]);

export const dangerousCapability: Check<ComposeFile> = {
  id: 'RF-DC-002',
  title: 'Dangerous capability added',
  severity: 'HIGH',
  description:
    'Capabilities such as SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN, DAC_READ_SEARCH or ALL let a process in the container break out of it or take over the host network (mounting filesystems, loading kernel modules, reading any file, tracing other processes).',
  remediation:
    'Drop the capability; if a narrow one is truly needed, add only that one and start from `cap_drop: [ALL]`.',
  references: [`${SERVICE_REF}#cap_add`, 'https://man7.org/linux/man-pages/man7/capabilities.7.html', CIS],
  frameworks: { 'cis-docker': '5.4' },
  *run(cf) {
    for (const s of cf.services) {
      for (const cap of capabilities(s.config.cap_add)) {
        if (DANGEROUS.has(cap.name))
          yield hitAtSetting(s, ['cap_add', cap.index], `service "${s.name}" adds ${cap.name}`);
      }
    }
  },
};

export const capabilitiesNotDropped: Check<ComposeFile> = {
  id: 'RF-DC-003',
  title: 'Default capabilities not dropped',
  severity: 'LOW',
  description:
    "Containers start with Docker's default capability set (CHOWN, DAC_OVERRIDE, FOWNER, NET_RAW, SETUID, SETGID, ...) that most services never use and that an attacker can.",
  remediation:
    'Add `cap_drop: [ALL]` and give back only what the service needs with cap_add (often nothing, or NET_BIND_SERVICE).',
  references: [`${SERVICE_REF}#cap_drop`, CIS],
  frameworks: { 'cis-docker': '5.4' },
  *run(cf) {
    for (const s of cf.services) {
      if (!s.complete || capabilities(s.config.cap_drop).some((c) => c.name === 'ALL')) continue;
      yield s.config.cap_drop !== undefined
        ? hitAtSetting(s, ['cap_drop'], `service "${s.name}" drops some capabilities but not ALL`)
        : hitOnService(s, `service "${s.name}" does not drop capabilities`);
    }
  },
};

function securityOptionCheck(
  id: string,
  title: string,
  option: string,
  value: RegExp,
  meta: { description: string; remediation: string; cis: string; severity: 'HIGH' | 'MEDIUM' },
): Check<ComposeFile> {
  return {
    id,
    title,
    severity: meta.severity,
    description: meta.description,
    remediation: meta.remediation,
    references: [`${SERVICE_REF}#security_opt`, CIS],
    frameworks: { 'cis-docker': meta.cis },
    *run(cf) {
      for (const s of cf.services) {
        for (const opt of securityOptions(s)) {
          if (opt.name === option && value.test(opt.value)) {
            yield hitAtSetting(
              s,
              ['security_opt', opt.index],
              `service "${s.name}" sets ${option}:${opt.value}`,
            );
          }
        }
      }
    },
  };
}

export const seccompUnconfined = securityOptionCheck(
  'RF-DC-023',
  'Seccomp disabled',
  'seccomp',
  /^unconfined$/,
  {
    severity: 'HIGH',
    cis: '5.22',
    description:
      "seccomp:unconfined removes Docker's default system-call filter, re-opening kernel interfaces (keyctl, bpf, unshare, mount, ...) behind many container escapes.",
    remediation:
      'Remove it; if a system call is missing, ship a custom profile that adds only that call: `seccomp:./profile.json`.',
  },
);

export const apparmorUnconfined = securityOptionCheck(
  'RF-DC-024',
  'AppArmor disabled',
  'apparmor',
  /^unconfined$/,
  {
    severity: 'HIGH',
    cis: '5.2',
    description:
      'apparmor:unconfined runs the container without the docker-default AppArmor profile that blocks writes to /proc and /sys and mounts.',
    remediation: 'Remove it, or use a custom AppArmor profile: `apparmor:my-profile`.',
  },
);

export const selinuxDisabled = securityOptionCheck(
  'RF-DC-025',
  'SELinux separation disabled',
  'label',
  /^disable$/,
  {
    severity: 'MEDIUM',
    cis: '5.3',
    description:
      'label:disable turns off SELinux labelling for the container, removing the separation between it, other containers and the host on SELinux systems.',
    remediation: 'Remove it; relabel volumes with the :z or :Z mount option instead.',
  },
);

export const noNewPrivilegesMissing: Check<ComposeFile> = {
  id: 'RF-DC-026',
  title: 'no-new-privileges not set',
  severity: 'MEDIUM',
  description:
    'Without no-new-privileges, a process in the container can gain privileges through setuid/setgid binaries (su, sudo, passwd, or one an attacker plants).',
  remediation: 'Add `security_opt: ["no-new-privileges:true"]`.',
  references: [`${SERVICE_REF}#security_opt`, CIS],
  frameworks: { 'cis-docker': '5.26' },
  *run(cf) {
    for (const s of cf.services) {
      const opt = securityOptions(s).findLast((o) => o.name === 'no-new-privileges');
      if (opt && !isTrue(opt.value)) {
        yield hitAtSetting(
          s,
          ['security_opt', opt.index],
          `service "${s.name}" sets no-new-privileges:${opt.value}`,
        );
      } else if (!opt && s.complete) {
        yield hitOnService(s, `service "${s.name}" does not set no-new-privileges`);
      }
    }
  },
};

export const writableRootFilesystem: Check<ComposeFile> = {
  id: 'RF-DC-027',
  title: 'Root filesystem is writable',
  severity: 'LOW',
  description:
    'With a writable root filesystem an intruder can change the application, drop tools and persist until the container is recreated.',
  remediation:
    'Set `read_only: true` and give the service tmpfs or volumes for the paths it writes (`tmpfs: [/tmp]`).',
  references: [`${SERVICE_REF}#read_only`, CIS],
  frameworks: { 'cis-docker': '5.13' },
  *run(cf) {
    for (const s of cf.services) {
      if (isTrue(s.config.read_only)) continue;
      if (s.config.read_only !== undefined)
        yield hitAtSetting(
          s,
          ['read_only'],
          `service "${s.name}" sets read_only: ${String(s.config.read_only)}`,
        );
      else if (s.complete) yield hitOnService(s, `service "${s.name}" does not set read_only`);
    }
  },
};

export const runsAsRoot: Check<ComposeFile> = {
  id: 'RF-DC-028',
  title: 'Service runs as root',
  severity: 'MEDIUM',
  description:
    'user: root (or 0) runs the container process as root, overriding any unprivileged USER the image sets.',
  remediation:
    'Run as an unprivileged user: `user: "10001:10001"` (and make the files it writes belong to that user).',
  references: [`${SERVICE_REF}#user`, CIS],
  *run(cf) {
    for (const s of cf.services) {
      const user = s.config.user;
      if ((typeof user === 'string' || typeof user === 'number') && /^(root|0)(:.*)?$/.test(String(user))) {
        yield hitAtSetting(s, ['user'], `service "${s.name}" runs as ${String(user)}`);
      }
    }
  },
};

export const userNotSet: Check<ComposeFile> = {
  id: 'RF-DC-029',
  title: 'Service user not set',
  severity: 'LOW',
  description:
    "Without user, the container runs as the image's USER, which is root for most images unless they were built otherwise.",
  remediation:
    'Set an unprivileged user explicitly: `user: "10001:10001"`, or make sure the image sets a non-root USER.',
  references: [`${SERVICE_REF}#user`],
  *run(cf) {
    for (const s of cf.services) {
      if (s.complete && s.config.user === undefined)
        yield hitOnService(s, `service "${s.name}" does not set user`);
    }
  },
};
