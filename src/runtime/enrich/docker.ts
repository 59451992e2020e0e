import { DockerApiError, type DockerClient } from '../../docker/client.js';
import type { ContainerInspect, ImageInspect } from '../../docker/types.js';
import type { Event } from '../../types.js';
import { log } from '../../util/log.js';
import { kubernetesFromLabels } from './kubernetes.js';
import { MetadataCache } from './metadata-cache.js';

/**
 * Container metadata from the Docker Engine API: what every event of a container carries
 * (name, image, digest, privileged, labels, pod) and what the agent needs to judge its
 * processes (the host pid of its first process, its writable upper layer). Running containers
 * are listed at start and followed through the daemon's event stream; when the daemon goes
 * away the stream is reopened (and the list re-read) until it is back.
 */

export interface ContainerInfo {
  /** The 64-hex id. */
  fullId: string;
  container: NonNullable<Event['container']>;
  k8s?: Event['k8s'];
  /** Host pid of the container's first process (0 when it is not running). */
  pid: number;
  /** The overlay upper directory: files written since the container started. */
  upperDir?: string;
}

export interface DockerMetadataHandlers {
  /** A container started (or was running when the stream was opened). */
  started?(info: ContainerInfo): void;
  /** A container's processes ended (`die`) or it was removed. */
  ended?(fullId: string): void;
  /** The daemon's event stream was lost, or is back (`connected`). */
  connection?(connected: boolean): void;
}

/** After a failed lookup, the id is not asked about again for this long. */
const NEGATIVE_TTL_MS = 2000;
const RECONNECT_MS = 1000;
/** Containers gone this long are forgotten (events about them may still arrive shortly after). */
const FORGET_AFTER_MS = 60_000;

export class DockerMetadata {
  private readonly cache = new MetadataCache((id) => this.inspect(id), NEGATIVE_TTL_MS);
  private readonly images = new Map<string, ImageInspect | null>();
  private readonly gone = new Map<string, number>();
  private stopped = false;
  private stream: { destroy(): void } | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connected = false;

  /** `events` carries the long-lived event stream, so it must not time out when idle. */
  constructor(
    private readonly client: DockerClient,
    private readonly events: DockerClient,
    private readonly on: DockerMetadataHandlers = {},
  ) {}

  /** Follows the daemon; resolves once the first listing is done (or the daemon is found absent). */
  async start(): Promise<void> {
    await this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.stream?.destroy();
  }

  /** Known metadata of a container (full id), without asking the daemon. */
  get(id: string): ContainerInfo | undefined {
    return this.cache.get(id);
  }

  /** Metadata of a container (full id), asking the daemon when it is not known yet. */
  lookup(id: string): Promise<ContainerInfo | undefined> {
    return this.cache.lookup(id);
  }

  private async inspect(id: string): Promise<ContainerInfo | undefined> {
    try {
      const c = await this.client.json<ContainerInspect>(`/containers/${encodeURIComponent(id)}/json`);
      return await this.describe(c);
    } catch (err) {
      if (!(err instanceof DockerApiError && err.status === 404))
        log.debug(`docker: cannot inspect container ${id.slice(0, 12)}: ${(err as Error).message}`);
      return undefined;
    }
  }

  private async describe(c: ContainerInspect): Promise<ContainerInfo> {
    const image = await this.image(c.Image);
    const labels = c.Config.Labels ?? {};
    const digest = image?.RepoDigests?.[0]?.split('@')[1];
    const started = c.State.StartedAt ? Date.parse(c.State.StartedAt) : Number.NaN;
    const k8s = kubernetesFromLabels(labels);
    const upperDir = c.GraphDriver?.Data?.UpperDir;
    return {
      fullId: c.Id,
      container: {
        id: c.Id.slice(0, 12),
        name: c.Name.replace(/^\//, ''),
        image: c.Config.Image,
        ...(digest ? { imageDigest: digest } : {}),
        imageId: c.Image.replace(/^sha256:/, '').slice(0, 12),
        runtime: 'docker',
        privileged: !!c.HostConfig.Privileged,
        ...(Number.isFinite(started) && started > 0 ? { startTs: started } : {}),
        labels,
        mounts: c.Mounts.map((m) => ({
          source: m.Source,
          dest: m.Destination,
          ...(m.Mode ? { mode: m.Mode } : {}),
          rw: m.RW,
          ...(m.Propagation ? { propagation: m.Propagation } : {}),
        })),
      },
      ...(k8s ? { k8s } : {}),
      pid: c.State.Running ? c.State.Pid : 0,
      ...(upperDir ? { upperDir } : {}),
    };
  }

  private async image(id: string): Promise<ImageInspect | undefined> {
    if (this.images.has(id)) return this.images.get(id) ?? undefined;
    try {
      const image = await this.client.json<ImageInspect>(`/images/${encodeURIComponent(id)}/json`);
      this.images.set(id, image);
      return image;
    } catch {
      return undefined;
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      // Open the stream before listing, so nothing that starts in between is missed.
      const res = await this.events.stream('GET', '/events', {
        filters: JSON.stringify({ type: ['container'], event: ['start', 'die', 'destroy'] }),
      });
      this.stream = res;
      this.follow(res);
      const running = await this.client.json<{ Id: string }[]>('/containers/json');
      for (const { Id } of running) {
        this.cache.forget(Id);
        const info = await this.lookup(Id);
        if (info) this.on.started?.(info);
      }
      this.setConnected(true);
    } catch (err) {
      this.stream?.destroy();
      this.setConnected(false);
      log.debug(`docker: ${(err as Error).message}`);
      this.scheduleReconnect();
    }
  }

  private follow(res: NodeJS.ReadableStream & { destroy(): void }): void {
    let rest = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) void this.event(line);
    });
    const ended = () => {
      if (this.stream !== res) return;
      this.stream = undefined;
      this.setConnected(false);
      this.scheduleReconnect();
    };
    res.on('end', ended);
    res.on('error', ended);
    res.on('close', ended);
  }

  private async event(line: string): Promise<void> {
    let e: { Action?: string; Actor?: { ID?: string } };
    try {
      e = JSON.parse(line);
    } catch {
      return;
    }
    const id = e.Actor?.ID;
    if (!id) return;
    if (e.Action === 'start') {
      this.cache.forget(id);
      const info = await this.lookup(id);
      if (info) this.on.started?.(info);
    } else {
      this.on.ended?.(id);
      const now = Date.now();
      this.gone.set(id, now);
      for (const [old, at] of this.gone)
        if (now - at > FORGET_AFTER_MS) {
          this.gone.delete(old);
          this.cache.forget(old);
        }
    }
  }

  private setConnected(connected: boolean): void {
    if (connected === this.connected) return;
    this.connected = connected;
    this.on.connection?.(connected);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, RECONNECT_MS);
  }
}
