import type { PodCheck } from '../pod/check.js';
import { hitAt } from '../pod/hits.js';
import type { PodTemplate } from '../pod/model.js';
import { field, listOf, recordAt, stringOf } from '../values.js';

const HOST_PATH_REF = 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath';

/** The pod's hostPath volumes with their path, normalised (`//var/run/` is `/var/run`). */
function* hostPaths(pod: PodTemplate): Generator<{ index: number; name: string; path: string }> {
  for (const [index, volume] of listOf(field(pod.spec, 'volumes')).entries()) {
    const raw = stringOf(field(recordAt(volume, 'hostPath'), 'path'));
    if (raw === undefined) continue;
    const path = raw.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
    yield { index, name: stringOf(field(volume, 'name')) ?? '', path };
  }
}

const RUNTIME_SOCKET = /(^|\/)(docker|containerd|crio|cri-dockerd|podman|dockershim)\.sock$/;
/** Directories that hold a runtime's socket: mounting them is mounting the socket. */
const RUNTIME_SOCKET_DIRS = new Set([
  '/run/containerd',
  '/var/run/containerd',
  '/run/crio',
  '/var/run/crio',
  '/run/podman',
  '/var/run/podman',
]);

function isRuntimeSocket(path: string): boolean {
  return RUNTIME_SOCKET.test(path) || RUNTIME_SOCKET_DIRS.has(path);
}

export const runtimeSocketMounted: PodCheck = {
  id: 'RF-K8S-028',
  title: 'Container runtime socket mounted',
  severity: 'CRITICAL',
  description:
    "Whoever can talk to the node's docker.sock, containerd.sock or crio.sock can start a privileged container with the node's filesystem: mounting the socket gives the pod, and anyone who compromises it, root on the node and every pod on it. Read-only does not help; it is an API socket.",
  remediation:
    'Do not mount the socket. Build images with a rootless builder (BuildKit rootless, kaniko, buildah) and read container metadata through the Kubernetes API instead.',
  references: [HOST_PATH_REF],
  frameworks: { 'cis-kubernetes': '5.2.12', 'mitre-attack': 'T1611' },
  *run(pod) {
    for (const v of hostPaths(pod)) {
      if (isRuntimeSocket(v.path)) {
        yield hitAt(
          pod,
          ['spec', 'volumes', v.index, 'hostPath', 'path'],
          `volume "${v.name}" mounts ${v.path} from the node`,
        );
      }
    }
  },
};

/** Node directories whose contents (or whose writability) hand over the node. */
const SENSITIVE_DIRS = new Set([
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib64',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/sys',
  '/usr',
  '/var',
  '/var/lib',
  '/var/log',
  '/var/run',
]);
/** Node paths sensitive with everything below them: credentials, other pods' data, the runtime's state. */
const SENSITIVE_TREES = [
  '/boot',
  '/dev',
  '/etc/kubernetes',
  '/etc/ssh',
  '/etc/shadow',
  '/etc/sudoers',
  '/proc',
  '/root',
  '/sys',
  '/var/lib/containerd',
  '/var/lib/docker',
  '/var/lib/etcd',
  '/var/lib/kubelet',
];
const CREDENTIAL_DIR = /(^|\/)\.(ssh|aws|kube|docker|gnupg)(\/|$)/;

function isSensitive(path: string): boolean {
  return (
    SENSITIVE_DIRS.has(path) ||
    SENSITIVE_TREES.some((tree) => path === tree || path.startsWith(`${tree}/`)) ||
    CREDENTIAL_DIR.test(path)
  );
}

export const sensitiveHostPath: PodCheck = {
  id: 'RF-K8S-029',
  title: 'Sensitive node path mounted',
  severity: 'HIGH',
  description:
    "A hostPath volume of the node's root, system directories (/etc, /proc, /sys, /dev, /boot, /var/run...), logs (/var/log lets a pod read any file through the kubelet's log handling), the kubelet's or the runtime's state, etcd data or credential directories exposes node secrets and other pods' data, and usually a way onto the node.",
  remediation:
    'Mount only the specific file the workload needs, read-only, or use a ConfigMap, Secret or PersistentVolumeClaim; run node agents that truly need such paths in their own locked-down namespace.',
  references: [HOST_PATH_REF],
  frameworks: { 'cis-kubernetes': '5.2.12', 'mitre-attack': 'T1611' },
  *run(pod) {
    for (const v of hostPaths(pod)) {
      if (!isRuntimeSocket(v.path) && isSensitive(v.path)) {
        yield hitAt(
          pod,
          ['spec', 'volumes', v.index, 'hostPath', 'path'],
          `volume "${v.name}" mounts ${v.path} from the node`,
        );
      }
    }
  },
};
