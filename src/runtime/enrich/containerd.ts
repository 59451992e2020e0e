import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { log } from '../../util/log.js';
import type { ContainerInfo } from './docker.js';
import { kubernetesFromLabels } from './kubernetes.js';
import { MetadataCache } from './metadata-cache.js';

/**
 * Container metadata from containerd (Kubernetes nodes without Docker), read with its own
 * client, `ctr`, so no gRPC stack is needed: the container's image, labels (and from them the
 * pod) in whichever containerd namespace holds it (`k8s.io` under the kubelet).
 */

const run = promisify(execFile);
const NEGATIVE_TTL_MS = 5000;
const NAMESPACES_TTL_MS = 10_000;
const CONTAINER_NAME = 'io.kubernetes.container.name';
/** Every capability: what a privileged container's bounding set holds. */
const ALL_CAPABILITIES = 38;

interface CtrContainer {
  ID: string;
  Labels?: Record<string, string> | null;
  Image?: string;
  CreatedAt?: string;
  Spec?: { process?: { capabilities?: { bounding?: string[] } } };
}

export class ContainerdMetadata {
  private readonly cache = new MetadataCache((id) => this.find(id), NEGATIVE_TTL_MS);
  private namespaces: { names: string[]; at: number } | undefined;

  constructor(
    private readonly socket: string,
    private readonly ctr = 'ctr',
  ) {}

  get(id: string): ContainerInfo | undefined {
    return this.cache.get(id);
  }

  lookup(id: string): Promise<ContainerInfo | undefined> {
    return this.cache.lookup(id);
  }

  private async find(id: string): Promise<ContainerInfo | undefined> {
    for (const ns of await this.namespaceNames()) {
      try {
        const { stdout } = await run(this.ctr, ['-a', this.socket, '-n', ns, 'containers', 'info', id], {
          timeout: 5000,
          maxBuffer: 16 * 1024 * 1024,
        });
        return describe(JSON.parse(stdout) as CtrContainer);
      } catch {
        // not in this namespace
      }
    }
    return undefined;
  }

  private async namespaceNames(): Promise<string[]> {
    if (this.namespaces && Date.now() - this.namespaces.at < NAMESPACES_TTL_MS) return this.namespaces.names;
    try {
      const { stdout } = await run(this.ctr, ['-a', this.socket, 'namespaces', 'list', '-q'], {
        timeout: 5000,
      });
      this.namespaces = { names: stdout.split('\n').filter(Boolean), at: Date.now() };
    } catch (err) {
      log.debug(`containerd: cannot list namespaces at ${this.socket}: ${(err as Error).message}`);
      this.namespaces = { names: [], at: Date.now() };
    }
    return this.namespaces.names;
  }
}

function describe(c: CtrContainer): ContainerInfo {
  const labels = c.Labels ?? {};
  const k8s = kubernetesFromLabels(labels);
  const created = c.CreatedAt ? Date.parse(c.CreatedAt) : Number.NaN;
  const caps = c.Spec?.process?.capabilities?.bounding;
  return {
    fullId: c.ID,
    container: {
      id: c.ID.slice(0, 12),
      name: labels[CONTAINER_NAME] ?? c.ID.slice(0, 12),
      ...(c.Image ? { image: c.Image } : {}),
      runtime: 'containerd',
      ...(caps ? { privileged: caps.length >= ALL_CAPABILITIES } : {}),
      ...(Number.isFinite(created) ? { startTs: created } : {}),
      labels,
    },
    ...(k8s ? { k8s } : {}),
    pid: 0,
  };
}
