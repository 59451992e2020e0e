import { containerLabel, type PodTemplate, podContainers } from '../../pod/model.js';
import {
  containerContext,
  containerContextPath,
  eachSetting,
  inUserNamespace,
  isWindowsPod,
  podContext,
  podContextPath,
} from '../../pod/security-context.js';
import { type Fields, field, isRecord, isSet, listOf, recordAt, stringOf } from '../../values.js';
import type { PssControl, Violation } from '../control.js';
import { PSS_REF } from './references.js';

/** A `{ type: ... }` profile (seccompProfile, appArmorProfile) whose type is not one of `allowed`. */
function profileTypeViolations(pod: PodTemplate, key: string, allowed: readonly string[]): Violation[] {
  return eachSetting(pod, key, (value, path, who, container) => {
    const type = field(value, 'type');
    if (typeof type === 'string' && allowed.includes(type)) return [];
    const typePath = isSet(type) ? [...path, 'type'] : path;
    const shown = isSet(type) ? String(type) : '(none)';
    return [
      { path: typePath, message: `${who} sets ${key}.type ${shown}`, ...(container ? { container } : {}) },
    ];
  });
}

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function annotations(pod: PodTemplate): [string, unknown][] {
  const found = recordAt(pod.metadata, 'annotations');
  return found ? Object.entries(found) : [];
}

function appArmorViolations(pod: PodTemplate): Violation[] {
  const found = profileTypeViolations(pod, 'appArmorProfile', ['RuntimeDefault', 'Localhost']);
  for (const [key, value] of annotations(pod)) {
    if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX) || typeof value !== 'string') continue;
    if (value === '' || value === 'runtime/default' || value.startsWith('localhost/')) continue;
    found.push({ path: ['metadata', 'annotations', key], message: `annotation ${key} is "${value}"` });
  }
  return found;
}

export const appArmorProfile: PssControl = {
  id: 'RF-K8S-007',
  control: 'appArmorProfile',
  level: 'baseline',
  title: 'AppArmor profile disabled or overridden',
  severity: 'MEDIUM',
  description:
    "An AppArmor profile of type Unconfined (or an annotation naming anything but runtime/default or a localhost/ profile) removes the runtime's default profile, which blocks writes to /proc and /sys, mounts and other routes out of the container.",
  remediation:
    'Use appArmorProfile.type RuntimeDefault (or Localhost with a profile loaded on the nodes), or remove the setting.',
  references: [`${PSS_REF}#baseline`, 'https://kubernetes.io/docs/tutorials/security/apparmor/'],
  frameworks: { pss: 'baseline/appArmorProfile', 'mitre-attack': 'T1611' },
  versions: [{ since: 0, evaluate: appArmorViolations }],
};

const SELINUX_TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t'];

function seLinuxViolations(pod: PodTemplate, allowedTypes: readonly string[]): Violation[] {
  return eachSetting(pod, 'seLinuxOptions', (value, path, who, container) => {
    const options: Fields = isRecord(value) ? value : {};
    const found: Violation[] = [];
    const add = (key: string, what: string) =>
      found.push({ path: [...path, key], message: `${who} ${what}`, ...(container ? { container } : {}) });
    const type = stringOf(options.type) ?? '';
    if (!allowedTypes.includes(type)) add('type', `sets seLinuxOptions.type ${type}`);
    if (stringOf(options.user)) add('user', `sets seLinuxOptions.user ${String(options.user)}`);
    if (stringOf(options.role)) add('role', `sets seLinuxOptions.role ${String(options.role)}`);
    return found;
  });
}

export const seLinuxOptions: PssControl = {
  id: 'RF-K8S-008',
  control: 'seLinuxOptions',
  level: 'baseline',
  title: 'SELinux options weaken the container label',
  severity: 'MEDIUM',
  description:
    'Setting an SELinux user or role, or a type other than the container types (container_t, container_init_t, container_kvm_t, and from 1.31 container_engine_t), can run the container under a label the host policy trusts, such as spc_t (unconfined).',
  remediation: 'Remove seLinuxOptions.user and .role, and use one of the container types, or none.',
  references: [`${PSS_REF}#baseline`],
  frameworks: { pss: 'baseline/seLinuxOptions', 'mitre-attack': 'T1611' },
  versions: [
    { since: 0, evaluate: (pod) => seLinuxViolations(pod, SELINUX_TYPES_1_0) },
    { since: 31, evaluate: (pod) => seLinuxViolations(pod, SELINUX_TYPES_1_31) },
  ],
};

function unmaskedProcMount(pod: PodTemplate): Violation[] {
  const found: Violation[] = [];
  for (const c of podContainers(pod)) {
    const value = field(containerContext(c), 'procMount');
    if (isSet(value) && value !== 'Default') {
      found.push({
        path: containerContextPath(c, 'procMount'),
        message: `${containerLabel(c)} sets securityContext.procMount: ${String(value)}`,
        container: c,
      });
    }
  }
  return found;
}

const PROC_MOUNT_META = {
  description:
    'procMount: Unmasked mounts /proc without the masked and read-only paths the runtime normally sets (/proc/kcore, /proc/sys, /proc/sysrq-trigger...), exposing kernel interfaces to the container.',
  remediation: 'Remove procMount or set it to Default.',
} as const;

export const procMount: PssControl = {
  id: 'RF-K8S-009',
  control: 'procMount',
  level: 'baseline',
  title: 'Unmasked /proc mount',
  severity: 'MEDIUM',
  ...PROC_MOUNT_META,
  references: [`${PSS_REF}#baseline`],
  frameworks: { pss: 'baseline/procMount', 'mitre-attack': 'T1611' },
  versions: [
    { since: 0, evaluate: unmaskedProcMount },
    { since: 35, evaluate: (pod) => (inUserNamespace(pod) ? [] : unmaskedProcMount(pod)) },
  ],
};

export const procMountRestricted: PssControl = {
  id: 'RF-K8S-019',
  control: 'procMount_restricted',
  level: 'restricted',
  title: 'Unmasked /proc mount in a user namespace',
  severity: 'LOW',
  ...PROC_MOUNT_META,
  references: [`${PSS_REF}#restricted`],
  frameworks: { pss: 'restricted/procMount_restricted', 'mitre-attack': 'T1611' },
  versions: [{ since: 35, evaluate: unmaskedProcMount }],
  overrides: ['procMount'],
};

const SECCOMP_TYPES = ['RuntimeDefault', 'Localhost'];
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function validSeccompAnnotation(value: string): boolean {
  return value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
}

/** Before 1.19 the admission reads only the seccomp annotations, of the pod and of each container by name. */
function seccompAnnotationViolations(pod: PodTemplate): Violation[] {
  const meta = recordAt(pod.metadata, 'annotations');
  const keys = [
    SECCOMP_POD_ANNOTATION,
    ...podContainers(pod).map((c) => SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name),
  ];
  const found: Violation[] = [];
  for (const key of new Set(keys)) {
    if (!meta || !Object.hasOwn(meta, key)) continue;
    const value = stringOf(meta[key]) ?? '';
    if (!validSeccompAnnotation(value)) {
      found.push({ path: ['metadata', 'annotations', key], message: `annotation ${key} is "${value}"` });
    }
  }
  return found;
}

export const seccompProfileBaseline: PssControl = {
  id: 'RF-K8S-010',
  control: 'seccompProfile_baseline',
  level: 'baseline',
  title: 'Seccomp explicitly disabled',
  severity: 'MEDIUM',
  description:
    'A seccomp profile of type Unconfined removes the system-call filter, re-opening kernel interfaces (keyctl, bpf, unshare, mount...) behind many container escapes. Before 1.19 the admission judges the seccomp annotations instead.',
  remediation:
    'Use seccompProfile.type RuntimeDefault (or Localhost with a profile on the nodes), or remove the setting.',
  references: [`${PSS_REF}#baseline`, 'https://kubernetes.io/docs/tutorials/security/seccomp/'],
  frameworks: { pss: 'baseline/seccompProfile_baseline', 'cis-kubernetes': '5.7.2', 'mitre-attack': 'T1611' },
  versions: [
    { since: 0, evaluate: seccompAnnotationViolations },
    { since: 19, evaluate: (pod) => profileTypeViolations(pod, 'seccompProfile', SECCOMP_TYPES) },
  ],
};

/**
 * Every container must end up with RuntimeDefault or Localhost: its own setting, or the pod's.
 * Explicitly wrong settings are reported; only when there are none, the containers left without one.
 */
function seccompRequired(pod: PodTemplate): Violation[] {
  const explicit = profileTypeViolations(pod, 'seccompProfile', SECCOMP_TYPES);
  if (explicit.length > 0) return explicit;
  const podType = field(recordAt(podContext(pod), 'seccompProfile'), 'type');
  if (typeof podType === 'string' && SECCOMP_TYPES.includes(podType)) return [];
  return podContainers(pod)
    .filter((c) => !isSet(field(containerContext(c), 'seccompProfile')))
    .map((c) => ({
      path: c.path,
      missing: true,
      message: `${containerLabel(c)} must set securityContext.seccompProfile.type RuntimeDefault or Localhost, or the pod must`,
      container: c,
    }));
}

export const seccompProfileRestricted: PssControl = {
  id: 'RF-K8S-017',
  control: 'seccompProfile_restricted',
  level: 'restricted',
  title: 'Seccomp profile not set',
  severity: 'LOW',
  description:
    'The restricted level wants a seccomp profile on every container (RuntimeDefault or Localhost, on the pod or the container): without one, some runtimes and older kubelets run the container with no system-call filter at all.',
  remediation: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod.',
  references: [`${PSS_REF}#restricted`, 'https://kubernetes.io/docs/tutorials/security/seccomp/'],
  frameworks: { pss: 'restricted/seccompProfile_restricted', 'cis-kubernetes': '5.7.2' },
  versions: [
    { since: 19, evaluate: seccompRequired },
    { since: 25, evaluate: (pod) => (isWindowsPod(pod) ? [] : seccompRequired(pod)) },
  ],
  overrides: ['seccompProfile_baseline'],
};

const SAFE_SYSCTLS_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const SAFE_SYSCTLS_1_27 = [...SAFE_SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SAFE_SYSCTLS_1_29 = [
  ...SAFE_SYSCTLS_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SAFE_SYSCTLS_1_32 = [...SAFE_SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SAFE_SYSCTLS_1_37 = [
  ...SAFE_SYSCTLS_1_32,
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
];

function unsafeSysctls(allowed: readonly string[]): (pod: PodTemplate) => Violation[] {
  const safe = new Set(allowed);
  return (pod) =>
    listOf(field(podContext(pod), 'sysctls')).flatMap((sysctl, i) => {
      const name = stringOf(field(sysctl, 'name')) ?? '';
      return safe.has(name)
        ? []
        : [{ path: podContextPath('sysctls', i), message: `the pod sets sysctl "${name}"` }];
    });
}

export const sysctls: PssControl = {
  id: 'RF-K8S-011',
  control: 'sysctls',
  level: 'baseline',
  title: 'Unsafe sysctl',
  severity: 'MEDIUM',
  description:
    'Only namespaced sysctls known to be isolated per pod are safe; others change kernel settings shared with the node and other pods, or can starve them. The safe list grows with the Kubernetes version.',
  remediation: 'Remove the sysctl, or set it on the nodes themselves if it is really needed.',
  references: [`${PSS_REF}#baseline`, 'https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/'],
  frameworks: { pss: 'baseline/sysctls' },
  versions: [
    { since: 0, evaluate: unsafeSysctls(SAFE_SYSCTLS_1_0) },
    { since: 27, evaluate: unsafeSysctls(SAFE_SYSCTLS_1_27) },
    { since: 29, evaluate: unsafeSysctls(SAFE_SYSCTLS_1_29) },
    { since: 32, evaluate: unsafeSysctls(SAFE_SYSCTLS_1_32) },
    { since: 37, evaluate: unsafeSysctls(SAFE_SYSCTLS_1_37) },
  ],
};
