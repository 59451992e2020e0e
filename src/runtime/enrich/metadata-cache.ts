import type { ContainerInfo } from './docker.js';

/**
 * Container metadata by full id, fetched once: a lookup already under way is shared, and an
 * id the runtime did not know is not asked about again for `negativeTtlMs`.
 */
export class MetadataCache {
  private readonly known = new Map<string, ContainerInfo>();
  private readonly failedAt = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<ContainerInfo | undefined>>();

  constructor(
    private readonly fetch: (id: string) => Promise<ContainerInfo | undefined>,
    private readonly negativeTtlMs: number,
  ) {}

  /** Known metadata, without asking the runtime. */
  get(id: string): ContainerInfo | undefined {
    return this.known.get(id);
  }

  /** Metadata, asking the runtime when it is not known yet. */
  lookup(id: string): Promise<ContainerInfo | undefined> {
    const known = this.known.get(id);
    if (known) return Promise.resolve(known);
    const failed = this.failedAt.get(id);
    if (failed !== undefined && Date.now() - failed < this.negativeTtlMs) return Promise.resolve(undefined);
    let pending = this.inflight.get(id);
    if (!pending) {
      pending = this.fetch(id)
        .then((info) => {
          if (info) this.known.set(id, info);
          else this.failedAt.set(id, Date.now());
          return info;
        })
        .finally(() => this.inflight.delete(id));
      this.inflight.set(id, pending);
    }
    return pending;
  }

  /** Drops what is known of `id` (it changed, or is gone). */
  forget(id: string): void {
    this.known.delete(id);
    this.failedAt.delete(id);
  }
}
