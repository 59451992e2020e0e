import type { Readable } from 'node:stream';
import type { Inventory } from '../types.js';

/**
 * What every image source (docker-archive, OCI layout, registry, daemon) hands to the layer
 * walker: the parsed config and the layers in order, each opened as a stream on demand.
 */

/** The parts of an OCI/Docker image config that Ringfence reads. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  config?: {
    User?: string;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
    ExposedPorts?: Record<string, object> | null;
    Healthcheck?: { Test?: string[] } | null;
  };
  rootfs: { type: string; diff_ids: string[] };
  history?: { created?: string; created_by?: string; empty_layer?: boolean; comment?: string }[];
}

export interface LayerBlob {
  /** sha256 of the uncompressed tar, from the config. */
  diffId: string;
  /** Digest of the stored blob, when the source records one (manifest layer digest). */
  digest?: string;
  /** Stored (possibly compressed) size when known. */
  size?: number;
  mediaType?: string;
  /**
   * The blob as stored (gzip, zstd or plain tar; the walker sniffs which). Sources that
   * know the blob digest verify it while streaming and fail the stream on mismatch.
   */
  open(): Promise<Readable>;
}

export interface ImageSource {
  /** How the image is described in the inventory and reports. */
  readonly info: Inventory['source'];
  readonly config: ImageConfig;
  readonly layers: LayerBlob[];
  /** Releases file handles, sockets and temp files. */
  close(): Promise<void>;
}
