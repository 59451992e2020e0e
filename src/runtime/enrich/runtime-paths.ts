/**
 * Which container a cgroup path or a mount source belongs to, by the paths the container
 * runtimes create: Docker (cgroupfs and systemd drivers), containerd under Kubernetes
 * (cri-containerd), CRI-O and Podman (libpod), and their storage directories.
 */

export type Runtime = 'docker' | 'containerd' | 'cri-o' | 'podman';

export interface ContainerRef {
  /** The full 64-hex container id. */
  id: string;
  runtime: Runtime;
  /** The Kubernetes pod uid when the path names one (kubepods cgroups, kubelet mounts). */
  podUid?: string;
}

const HEX64 = '([0-9a-f]{64})';

/** Per cgroup path component, innermost wins. */
const CGROUP_COMPONENTS: { re: RegExp; runtime: Runtime }[] = [
  { re: new RegExp(`^docker-${HEX64}\\.scope$`), runtime: 'docker' },
  { re: new RegExp(`^cri-containerd-${HEX64}\\.scope$`), runtime: 'containerd' },
  { re: new RegExp(`^crio-${HEX64}\\.scope$`), runtime: 'cri-o' },
  { re: new RegExp(`^libpod-${HEX64}\\.scope$`), runtime: 'podman' },
  { re: new RegExp(`^libpod-${HEX64}$`), runtime: 'podman' },
];

const POD_UID = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/;

/**
 * The container of a cgroup path (`/docker/<id>`, `/system.slice/docker-<id>.scope`,
 * `/kubepods/burstable/pod<uid>/<id>`, `…/cri-containerd-<id>.scope`, `…/crio-<id>.scope`,
 * `…/libpod-<id>.scope`), or undefined for a path outside containers. Conmon's own cgroups
 * (`crio-conmon-…`, `libpod-conmon-…`) are not containers.
 */
export function containerFromCgroup(path: string): ContainerRef | undefined {
  const parts = path.split('/');
  const pod = POD_UID.exec(path)?.[1]?.replace(/_/g, '-');
  const inKubernetes = parts.some((p) => p.startsWith('kubepods'));
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i]!;
    for (const { re, runtime } of CGROUP_COMPONENTS) {
      const m = re.exec(part);
      if (m) return withPod({ id: m[1]!, runtime }, pod);
    }
    if (/^[0-9a-f]{64}$/.test(part)) {
      const parent = parts[i - 1] ?? '';
      const runtime: Runtime = parent === 'docker' ? 'docker' : inKubernetes ? 'containerd' : 'docker';
      return withPod({ id: part, runtime }, pod);
    }
  }
  return undefined;
}

/**
 * The container of a mount's source path inside the runtime's storage: Docker's
 * `…/docker/containers/<id>/hostname` (resolv.conf, hosts), and containers/storage's
 * `…/overlay-containers/<id>/userdata/…` (CRI-O and Podman; Podman's `.containerenv` tells it).
 */
export function containerFromMountSource(source: string): ContainerRef | undefined {
  const docker = new RegExp(`/docker/containers/${HEX64}/(?:hostname|hosts|resolv\\.conf)$`).exec(source);
  if (docker) return { id: docker[1]!, runtime: 'docker' };
  const storage = new RegExp(`/overlay-containers/${HEX64}/userdata/(.*)$`).exec(source);
  if (storage) {
    const podman = storage[2] === '.containerenv' || source.includes('/libpod/');
    return { id: storage[1]!, runtime: podman ? 'podman' : 'cri-o' };
  }
  return undefined;
}

function withPod(ref: ContainerRef, podUid: string | undefined): ContainerRef {
  return podUid ? { ...ref, podUid } : ref;
}
