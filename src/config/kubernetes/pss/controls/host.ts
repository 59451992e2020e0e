import { containerLabel, type PodTemplate, podContainers } from '../../pod/model.js';
import {
  containerContext,
  containerContextPath,
  podContext,
  podContextPath,
} from '../../pod/security-context.js';
import { field, listOf, recordAt, stringOf } from '../../values.js';
import type { PssControl, Violation } from '../control.js';
import { PSS_REF } from './references.js';

const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

export const hostNamespaces: PssControl = {
  id: 'RF-K8S-002',
  control: 'hostNamespaces',
  level: 'baseline',
  title: 'Pod shares a host namespace',
  severity: 'HIGH',
  description:
    "hostNetwork, hostPID or hostIPC put the pod in the node's network, process or IPC namespace: it can sniff and bind the node's traffic, see and signal every process on the node (and read their environment), or reach other workloads' shared memory.",
  remediation: 'Remove hostNetwork, hostPID and hostIPC (or set them to false).',
  references: [`${PSS_REF}#baseline`],
  frameworks: {
    pss: 'baseline/hostNamespaces',
    'cis-kubernetes': '5.2.3, 5.2.4, 5.2.5',
    'mitre-attack': 'T1611',
  },
  versions: [
    {
      since: 0,
      evaluate: (pod) =>
        HOST_NAMESPACES.filter((key) => field(pod.spec, key) === true).map((key) => ({
          path: ['spec', key],
          message: `the pod sets ${key}: true`,
        })),
    },
  ],
};

export const hostPorts: PssControl = {
  id: 'RF-K8S-005',
  control: 'hostPorts',
  level: 'baseline',
  title: 'Container uses a host port',
  severity: 'MEDIUM',
  description:
    "A hostPort binds the port on the node's own network interfaces, exposing the container past Services and NetworkPolicies and tying the pod to nodes where the port is free.",
  remediation: 'Remove hostPort; expose the container through a Service (or an Ingress) instead.',
  references: [`${PSS_REF}#baseline`],
  frameworks: { pss: 'baseline/hostPorts', 'cis-kubernetes': '5.2.13' },
  versions: [
    {
      since: 0,
      evaluate: (pod) => {
        const found: Violation[] = [];
        for (const c of podContainers(pod)) {
          listOf(c.fields.ports).forEach((port, i) => {
            const hostPort = field(port, 'hostPort');
            if (typeof hostPort === 'number' && hostPort !== 0) {
              found.push({
                path: [...c.path, 'ports', i, 'hostPort'],
                message: `${containerLabel(c)} uses hostPort ${hostPort}`,
                container: c,
              });
            }
          });
        }
        return found;
      },
    },
  ],
};

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const LIFECYCLE_HANDLERS = ['postStart', 'preStop'] as const;
const HANDLER_ACTIONS = ['httpGet', 'tcpSocket'] as const;

export const hostProbesAndHostLifecycle: PssControl = {
  id: 'RF-K8S-006',
  control: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  title: 'Probe or lifecycle hook targets another host',
  severity: 'MEDIUM',
  description:
    'A probe or lifecycle hook with httpGet.host or tcpSocket.host makes the kubelet connect to that address from the node, which lets a pod author aim the kubelet at node-local or internal services (a server-side request forgery).',
  remediation: "Remove host from probes and lifecycle hooks: they then target the pod's own IP.",
  references: [`${PSS_REF}#baseline`],
  frameworks: { pss: 'baseline/hostProbesAndHostLifecycle' },
  versions: [
    {
      since: 34,
      evaluate: (pod) => {
        const found: Violation[] = [];
        for (const c of podContainers(pod)) {
          const handlers = [
            ...PROBES.map((probe) => [probe] as const),
            ...LIFECYCLE_HANDLERS.map((hook) => ['lifecycle', hook] as const),
          ];
          for (const where of handlers) {
            for (const action of HANDLER_ACTIONS) {
              const host = stringOf(field(recordAt(c.fields, ...where, action), 'host'));
              if (host) {
                found.push({
                  path: [...c.path, ...where, action, 'host'],
                  message: `${containerLabel(c)} ${where.join('.')} targets host "${host}"`,
                  container: c,
                });
              }
            }
          }
        }
        return found;
      },
    },
  ],
};

function hostProcessViolations(pod: PodTemplate): Violation[] {
  const found: Violation[] = [];
  if (field(recordAt(podContext(pod), 'windowsOptions'), 'hostProcess') === true) {
    found.push({
      path: podContextPath('windowsOptions', 'hostProcess'),
      message: 'the pod sets securityContext.windowsOptions.hostProcess: true',
    });
  }
  for (const c of podContainers(pod)) {
    if (field(recordAt(containerContext(c), 'windowsOptions'), 'hostProcess') === true) {
      found.push({
        path: containerContextPath(c, 'windowsOptions', 'hostProcess'),
        message: `${containerLabel(c)} sets securityContext.windowsOptions.hostProcess: true`,
        container: c,
      });
    }
  }
  return found;
}

export const windowsHostProcess: PssControl = {
  id: 'RF-K8S-012',
  control: 'windowsHostProcess',
  level: 'baseline',
  title: 'Windows HostProcess container',
  severity: 'HIGH',
  description:
    "A Windows HostProcess container runs directly on the node as a host process, with access to the node's filesystem, network and processes: the Windows equivalent of a privileged container.",
  remediation: 'Remove windowsOptions.hostProcess (or set it to false) from the pod and its containers.',
  references: [`${PSS_REF}#baseline`],
  frameworks: { pss: 'baseline/windowsHostProcess', 'cis-kubernetes': '5.2.11', 'mitre-attack': 'T1611' },
  versions: [{ since: 0, evaluate: hostProcessViolations }],
};
