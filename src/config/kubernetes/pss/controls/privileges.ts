import { containerLabel, type PodTemplate, podContainers } from '../../pod/model.js';
import {
  containerContext,
  containerContextPath,
  inUserNamespace,
  isWindowsPod,
  podContext,
  podContextPath,
} from '../../pod/security-context.js';
import { field, isSet, listOf, recordAt } from '../../values.js';
import type { PssControl, Violation } from '../control.js';
import { PSS_REF } from './references.js';

export const privileged: PssControl = {
  id: 'RF-K8S-001',
  control: 'privileged',
  level: 'baseline',
  title: 'Privileged container',
  severity: 'HIGH',
  description:
    'securityContext.privileged: true gives the container every capability and all host devices, without seccomp or AppArmor confinement: root in it is root on the node.',
  remediation:
    'Remove privileged (or set it to false); add only the specific capabilities the container needs, if any.',
  references: [`${PSS_REF}#baseline`],
  frameworks: { pss: 'baseline/privileged', 'cis-kubernetes': '5.2.2', 'mitre-attack': 'T1611' },
  versions: [
    {
      since: 0,
      evaluate: (pod) =>
        podContainers(pod)
          .filter((c) => field(containerContext(c), 'privileged') === true)
          .map((c) => ({
            path: containerContextPath(c, 'privileged'),
            message: `${containerLabel(c)} sets securityContext.privileged: true`,
            container: c,
          })),
    },
  ],
};

/** Capabilities the baseline level lets a container add (the container runtimes' defaults). */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Added capabilities `allowed` refuses, compared as written (the admission does not normalise `CAP_` or case). */
function addedCapabilities(pod: PodTemplate, allowed: (cap: string) => boolean): Violation[] {
  const found: Violation[] = [];
  for (const c of podContainers(pod)) {
    listOf(field(recordAt(containerContext(c), 'capabilities'), 'add')).forEach((cap, i) => {
      const name = typeof cap === 'string' ? cap : String(cap);
      if (!allowed(name)) {
        found.push({
          path: containerContextPath(c, 'capabilities', 'add', i),
          message: `${containerLabel(c)} adds capability ${name}`,
          container: c,
        });
      }
    });
  }
  return found;
}

export const capabilitiesBaseline: PssControl = {
  id: 'RF-K8S-003',
  control: 'capabilities_baseline',
  level: 'baseline',
  title: 'Capability added beyond the default set',
  severity: 'HIGH',
  description:
    'Capabilities outside the container runtime defaults (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, NET_RAW, BPF...) give root in the container powers over the node: mounting filesystems, changing the network, tracing processes, loading programs into the kernel.',
  remediation:
    'Remove the capability from securityContext.capabilities.add; only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT are allowed.',
  references: [`${PSS_REF}#baseline`],
  frameworks: { pss: 'baseline/capabilities_baseline', 'cis-kubernetes': '5.2.9', 'mitre-attack': 'T1611' },
  versions: [
    { since: 0, evaluate: (pod) => addedCapabilities(pod, (cap) => BASELINE_CAPABILITIES.has(cap)) },
  ],
};

function restrictedCapabilities(pod: PodTemplate): Violation[] {
  const found: Violation[] = [];
  for (const c of podContainers(pod)) {
    const capabilities = recordAt(containerContext(c), 'capabilities');
    const drop = field(capabilities, 'drop');
    if (!listOf(drop).includes('ALL')) {
      found.push(
        isSet(drop)
          ? {
              path: containerContextPath(c, 'capabilities', 'drop'),
              message: `${containerLabel(c)} does not drop ALL capabilities`,
              container: c,
            }
          : {
              path: c.path,
              missing: true,
              message: `${containerLabel(c)} must set securityContext.capabilities.drop: [ALL]`,
              container: c,
            },
      );
    }
  }
  return [...found, ...addedCapabilities(pod, (cap) => cap === 'NET_BIND_SERVICE')];
}

export const capabilitiesRestricted: PssControl = {
  id: 'RF-K8S-018',
  control: 'capabilities_restricted',
  level: 'restricted',
  title: 'Capabilities not dropped',
  severity: 'LOW',
  description:
    'The restricted level wants every container to drop ALL capabilities and add back at most NET_BIND_SERVICE, so that a process that becomes root in the container still holds no privileges (raw sockets, file ownership bypass, setuid).',
  remediation:
    'Set securityContext.capabilities.drop: [ALL] on every container, and add only NET_BIND_SERVICE if it binds a port below 1024.',
  references: [`${PSS_REF}#restricted`],
  frameworks: { pss: 'restricted/capabilities_restricted', 'cis-kubernetes': '5.2.10' },
  versions: [
    { since: 22, evaluate: restrictedCapabilities },
    { since: 25, evaluate: (pod) => (isWindowsPod(pod) ? [] : restrictedCapabilities(pod)) },
  ],
  overrides: ['capabilities_baseline'],
};

function privilegeEscalation(pod: PodTemplate): Violation[] {
  const found: Violation[] = [];
  for (const c of podContainers(pod)) {
    const value = field(containerContext(c), 'allowPrivilegeEscalation');
    if (value === false) continue;
    found.push(
      isSet(value)
        ? {
            path: containerContextPath(c, 'allowPrivilegeEscalation'),
            message: `${containerLabel(c)} sets securityContext.allowPrivilegeEscalation: ${String(value)}`,
            container: c,
          }
        : {
            path: c.path,
            missing: true,
            message: `${containerLabel(c)} must set securityContext.allowPrivilegeEscalation: false`,
            container: c,
          },
    );
  }
  return found;
}

export const allowPrivilegeEscalation: PssControl = {
  id: 'RF-K8S-014',
  control: 'allowPrivilegeEscalation',
  level: 'restricted',
  title: 'Privilege escalation allowed',
  severity: 'MEDIUM',
  description:
    'Unless allowPrivilegeEscalation is false, the no_new_privs flag is not set and a process in the container can gain privileges through setuid or setgid binaries or file capabilities.',
  remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  references: [`${PSS_REF}#restricted`],
  frameworks: {
    pss: 'restricted/allowPrivilegeEscalation',
    'cis-kubernetes': '5.2.6',
    'mitre-attack': 'T1548',
  },
  versions: [
    { since: 8, evaluate: privilegeEscalation },
    { since: 25, evaluate: (pod) => (isWindowsPod(pod) ? [] : privilegeEscalation(pod)) },
  ],
};

/**
 * runAsNonRoot must be true: on the pod (each container inherits it unless it says otherwise)
 * or on every container. Explicit false settings are reported; only when there are none, the
 * containers that inherit nothing.
 */
function nonRoot(pod: PodTemplate): Violation[] {
  const explicit: Violation[] = [];
  const podValue = field(podContext(pod), 'runAsNonRoot');
  if (isSet(podValue) && podValue !== true) {
    explicit.push({
      path: podContextPath('runAsNonRoot'),
      message: `the pod sets securityContext.runAsNonRoot: ${String(podValue)}`,
    });
  }
  const implicit: Violation[] = [];
  for (const c of podContainers(pod)) {
    const value = field(containerContext(c), 'runAsNonRoot');
    if (isSet(value)) {
      if (value !== true) {
        explicit.push({
          path: containerContextPath(c, 'runAsNonRoot'),
          message: `${containerLabel(c)} sets securityContext.runAsNonRoot: ${String(value)}`,
          container: c,
        });
      }
    } else if (podValue !== true) {
      implicit.push({
        path: c.path,
        missing: true,
        message: `${containerLabel(c)} must set securityContext.runAsNonRoot: true, or the pod must`,
        container: c,
      });
    }
  }
  return explicit.length > 0 ? explicit : implicit;
}

export const runAsNonRoot: PssControl = {
  id: 'RF-K8S-015',
  control: 'runAsNonRoot',
  level: 'restricted',
  title: 'Container may run as root',
  severity: 'MEDIUM',
  description:
    'Without runAsNonRoot: true the kubelet starts the container as whatever user the image says, root for most images; with it, the kubelet refuses to start a container that would run as UID 0.',
  remediation:
    'Set securityContext.runAsNonRoot: true on the pod (or on every container), and build the image with a non-root USER or set runAsUser.',
  references: [`${PSS_REF}#restricted`],
  frameworks: { pss: 'restricted/runAsNonRoot', 'cis-kubernetes': '5.2.7', 'mitre-attack': 'T1611' },
  versions: [
    { since: 0, evaluate: nonRoot },
    { since: 35, evaluate: (pod) => (inUserNamespace(pod) ? [] : nonRoot(pod)) },
  ],
};

function rootUser(pod: PodTemplate): Violation[] {
  const found: Violation[] = [];
  if (field(podContext(pod), 'runAsUser') === 0) {
    found.push({ path: podContextPath('runAsUser'), message: 'the pod sets securityContext.runAsUser: 0' });
  }
  for (const c of podContainers(pod)) {
    if (field(containerContext(c), 'runAsUser') === 0) {
      found.push({
        path: containerContextPath(c, 'runAsUser'),
        message: `${containerLabel(c)} sets securityContext.runAsUser: 0`,
        container: c,
      });
    }
  }
  return found;
}

export const runAsUser: PssControl = {
  id: 'RF-K8S-016',
  control: 'runAsUser',
  level: 'restricted',
  title: 'Container runs as UID 0',
  severity: 'MEDIUM',
  description:
    'runAsUser: 0 runs the container as root whatever the image says; root in a container is one kernel bug or one misconfiguration away from root on the node.',
  remediation: 'Set runAsUser to a non-zero UID (e.g. 10001) that owns the files the process needs.',
  references: [`${PSS_REF}#restricted`],
  frameworks: { pss: 'restricted/runAsUser', 'cis-kubernetes': '5.2.7', 'mitre-attack': 'T1611' },
  versions: [
    { since: 23, evaluate: rootUser },
    { since: 35, evaluate: (pod) => (inUserNamespace(pod) ? [] : rootUser(pod)) },
  ],
};
