import type { PodCheck } from '../pod/check.js';
import { hitAt, hitOnContainer } from '../pod/hits.js';
import { containerLabel, podContainers } from '../pod/model.js';
import {
  containerContext,
  containerContextPath,
  eachSetting,
  podContextPath,
} from '../pod/security-context.js';
import { field, isSet, listOf, recordAt } from '../values.js';

const SECURITY_CONTEXT_REF = 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/';

export const writableRootFilesystem: PodCheck = {
  id: 'RF-K8S-026',
  title: 'Root filesystem is writable',
  severity: 'LOW',
  description:
    'With a writable root filesystem an intruder can change the application, drop tools and binaries and keep them until the pod is replaced.',
  remediation:
    'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes at the paths the application writes (/tmp, caches).',
  references: [SECURITY_CONTEXT_REF],
  frameworks: { 'cis-kubernetes': '5.7.3' },
  *run(pod) {
    for (const c of podContainers(pod)) {
      if (c.group === 'ephemeralContainers') continue;
      const value = field(containerContext(c), 'readOnlyRootFilesystem');
      if (value === true) continue;
      yield isSet(value)
        ? hitAt(
            pod,
            containerContextPath(c, 'readOnlyRootFilesystem'),
            `${containerLabel(c)} sets readOnlyRootFilesystem: ${String(value)}`,
            c,
          )
        : hitOnContainer(
            pod,
            c,
            `${containerLabel(c)} does not set securityContext.readOnlyRootFilesystem: true`,
          );
    }
  },
};

/** Capabilities that give a process in the container the run of the node (mounts, modules, raw devices, other processes' memory, any file). */
const ROOT_EQUIVALENT = new Set([
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_PTRACE',
  'DAC_READ_SEARCH',
  'BPF',
]);

export const rootEquivalentCapability: PodCheck = {
  id: 'RF-K8S-044',
  title: 'Capability that amounts to root on the node',
  severity: 'CRITICAL',
  description:
    'SYS_ADMIN (mount, unshare, most of what privileged allows), SYS_MODULE (load kernel modules), SYS_RAWIO, SYS_PTRACE (read and inject into other processes), DAC_READ_SEARCH (open any file by handle, the "shocker" escape), BPF and ALL each give a way out of the container onto the node.',
  remediation:
    'Remove the capability; find the narrow operation the workload needs and grant that, or run it outside containers.',
  references: ['https://man7.org/linux/man-pages/man7/capabilities.7.html', SECURITY_CONTEXT_REF],
  frameworks: { 'cis-kubernetes': '5.2.9', 'mitre-attack': 'T1611' },
  *run(pod) {
    for (const c of podContainers(pod)) {
      const added = listOf(field(recordAt(containerContext(c), 'capabilities'), 'add'));
      for (const [i, cap] of added.entries()) {
        if (typeof cap === 'string' && ROOT_EQUIVALENT.has(cap.toUpperCase().replace(/^CAP_/, ''))) {
          yield hitAt(
            pod,
            containerContextPath(c, 'capabilities', 'add', i),
            `${containerLabel(c)} adds ${cap}`,
            c,
          );
        }
      }
    }
  },
};

export const lowUserId: PodCheck = {
  id: 'RF-K8S-045',
  title: 'Container runs with a low user id',
  severity: 'LOW',
  description:
    "UIDs below 10000 are the ones the node's own users and services have: a process that escapes the container, or writes through a hostPath volume, acts as that user on the node.",
  remediation:
    'Run as a UID of 10000 or more (securityContext.runAsUser: 10001) that is not used on the nodes.',
  references: [SECURITY_CONTEXT_REF],
  *run(pod) {
    yield* eachSetting(pod, 'runAsUser', (value, path, who, container) =>
      typeof value === 'number' && value > 0 && value < 10000
        ? [hitAt(pod, path, `${who} sets runAsUser: ${value}`, container)]
        : [],
    );
  },
};

export const rootGroup: PodCheck = {
  id: 'RF-K8S-046',
  title: 'Container runs with the root group',
  severity: 'LOW',
  description:
    'Group 0 (root) owns or can write many files on the node and in images; with runAsGroup, fsGroup or supplementalGroups set to 0 the process keeps that access even as a non-root user.',
  remediation: 'Use a non-zero group id for runAsGroup and fsGroup, and leave 0 out of supplementalGroups.',
  references: [SECURITY_CONTEXT_REF],
  *run(pod) {
    yield* eachSetting(pod, 'runAsGroup', (value, path, who, container) =>
      value === 0 ? [hitAt(pod, path, `${who} sets runAsGroup: 0`, container)] : [],
    );
    const podContext = recordAt(pod.spec, 'securityContext');
    if (field(podContext, 'fsGroup') === 0)
      yield hitAt(pod, podContextPath('fsGroup'), 'the pod sets fsGroup: 0');
    const groups = listOf(field(podContext, 'supplementalGroups'));
    const root = groups.indexOf(0);
    if (root !== -1) {
      yield hitAt(
        pod,
        podContextPath('supplementalGroups', root),
        'the pod has group 0 in supplementalGroups',
      );
    }
  },
};

export const hostAliases: PodCheck = {
  id: 'RF-K8S-042',
  title: 'Pod overrides name resolution with hostAliases',
  severity: 'LOW',
  description:
    "hostAliases writes entries into the pod's /etc/hosts that win over DNS: traffic for a name silently goes to a fixed address, past DNS-based egress rules and service discovery, and the mapping is easy to miss in review.",
  remediation:
    'Remove hostAliases and publish the names in DNS (a Service, an ExternalName Service or the cluster DNS).',
  references: ['https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/'],
  *run(pod) {
    if (listOf(field(pod.spec, 'hostAliases')).length > 0) {
      yield hitAt(pod, ['spec', 'hostAliases'], 'the pod sets hostAliases');
    }
  },
};

export const sharedProcessNamespace: PodCheck = {
  id: 'RF-K8S-043',
  title: 'Containers share one process namespace',
  severity: 'MEDIUM',
  description:
    "With shareProcessNamespace every container of the pod sees and can signal the others' processes, and reach their filesystems and environment through /proc/<pid>/root and /proc/<pid>/environ: a compromised sidecar gets the application's secrets.",
  remediation: 'Remove shareProcessNamespace unless a debugging or sidecar pattern truly needs it.',
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/'],
  frameworks: { 'mitre-attack': 'T1055' },
  *run(pod) {
    if (field(pod.spec, 'shareProcessNamespace') === true) {
      yield hitAt(pod, ['spec', 'shareProcessNamespace'], 'the pod sets shareProcessNamespace: true');
    }
  },
};
