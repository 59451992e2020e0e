import { splitReference, type WrittenReference } from '../../../image/registry/reference.js';
import type { Check } from '../../engine/check.js';
import type { ComposeFile, ComposeService } from '../model.js';
import { hitAtSetting } from '../queries.js';

/** Services that pull an image (not build one), with the image's parsed reference. */
function* pulledImages(
  cf: ComposeFile,
): Generator<{ service: ComposeService; image: string; ref: WrittenReference }> {
  for (const service of cf.services) {
    const image = service.config.image;
    if (typeof image !== 'string' || service.config.build !== undefined) continue;
    const holder = service.holder(['image']);
    if (holder && cf.interpolation.isUnresolved(holder.container, holder.key)) continue;
    const ref = splitReference(image);
    if (ref) yield { service, image, ref };
  }
}

const REFERENCES = ['https://docs.docker.com/reference/compose-file/services/#image'];

export const imageLatest: Check<ComposeFile> = {
  id: 'RF-DC-021',
  title: 'Image uses the latest tag',
  severity: 'MEDIUM',
  description:
    '`latest` moves: `docker compose pull` can silently bring a new major version, and nobody can tell later which version ran.',
  remediation: 'Name a specific version, and better also its digest: `image: postgres:16.2@sha256:...`.',
  references: REFERENCES,
  *run(cf) {
    for (const { service, image, ref } of pulledImages(cf)) {
      if (ref.tag === 'latest' && !ref.digest)
        yield hitAtSetting(service, ['image'], `service "${service.name}" uses ${image}`);
    }
  },
};

export const imageUntagged: Check<ComposeFile> = {
  id: 'RF-DC-022',
  title: 'Image has no tag',
  severity: 'MEDIUM',
  description:
    'An image named without a tag or digest means `latest`, with the same drift and the same loss of traceability.',
  remediation: 'Name a specific version, and better also its digest: `image: redis:7.2.4`.',
  references: REFERENCES,
  *run(cf) {
    for (const { service, image, ref } of pulledImages(cf)) {
      if (ref.tag === undefined && ref.digest === undefined) {
        yield hitAtSetting(service, ['image'], `service "${service.name}" uses ${image} without a tag`);
      }
    }
  },
};
