import { Readable } from 'node:stream';
import type { ArchiveStore } from './archive-store.js';
import { verifyDigest } from './digest.js';
import type { LayerBlob } from './source.js';

/** A layer stored in an archive; its blob digest, when known, is verified while it streams. */
export function archiveLayer(store: ArchiveStore, member: string, layer: Omit<LayerBlob, 'open'>): LayerBlob {
  return {
    ...layer,
    async open() {
      const raw = await store.open(member);
      if (!layer.digest) return raw;
      return Readable.from(verifyDigest(raw, layer.digest, `layer blob ${layer.digest}`, layer.size), {
        objectMode: false,
      });
    },
  };
}
