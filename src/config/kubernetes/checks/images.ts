import { splitReference, type WrittenReference } from '../../../image/registry/reference.js';
import type { Severity } from '../../../types.js';
import type { PodCheck } from '../pod/check.js';
import { hitAt } from '../pod/hits.js';
import { containerLabel, type PodContainer, podContainers } from '../pod/model.js';
import { stringOf } from '../values.js';

const IMAGES_REF = 'https://kubernetes.io/docs/concepts/containers/images/';

/**
 * Containers with the image they run, parsed. Images still holding a placeholder for a tool to
 * fill in (`$(IMAGE)`, `${TAG}`, `{{ .Values.image }}`) are left alone: what runs is not known.
 */
function* containerImages(
  containers: readonly PodContainer[],
): Generator<{ container: PodContainer; image: string; ref: WrittenReference }> {
  for (const container of containers) {
    const image = stringOf(container.fields.image);
    if (image === undefined || /[$]|\{\{/.test(image)) continue;
    const ref = splitReference(image);
    if (ref) yield { container, image, ref };
  }
}

function imageCheck(
  meta: { id: string; title: string; severity: Severity; description: string; remediation: string },
  offends: (ref: WrittenReference) => boolean,
  problem: string,
): PodCheck {
  return {
    ...meta,
    references: [IMAGES_REF],
    *run(pod) {
      for (const { container, image, ref } of containerImages(podContainers(pod))) {
        if (offends(ref)) {
          yield hitAt(
            pod,
            [...container.path, 'image'],
            `${containerLabel(container)} runs ${image}, ${problem}`,
            container,
          );
        }
      }
    },
  };
}

export const imageLatest = imageCheck(
  {
    id: 'RF-K8S-022',
    title: 'Image uses the latest tag',
    severity: 'MEDIUM',
    description:
      '`latest` moves: each node pulls whatever it points to when the pod starts there, so replicas can run different versions and nobody can tell later which one ran.',
    remediation: 'Name a specific version, and better also its digest: `image: nginx:1.27.2@sha256:...`.',
  },
  (ref) => ref.tag === 'latest' && ref.digest === undefined,
  'the latest tag',
);

export const imageUntagged = imageCheck(
  {
    id: 'RF-K8S-023',
    title: 'Image has no tag',
    severity: 'MEDIUM',
    description:
      'An image named without a tag or digest means `latest`, with the same drift between nodes and restarts.',
    remediation: 'Name a specific version, and better also its digest: `image: redis:7.2.4`.',
  },
  (ref) => ref.tag === undefined && ref.digest === undefined,
  'with no tag',
);

export const imageNotPinned = imageCheck(
  {
    id: 'RF-K8S-024',
    title: 'Image not pinned by digest',
    severity: 'LOW',
    description:
      'A tag can be pushed again: the same manifest may run different bits tomorrow, or an attacker with push rights to the registry can replace what the tag names. A digest names the content itself.',
    remediation:
      'Add the digest after the tag: `image: nginx:1.27.2@sha256:...` (tools such as Renovate keep it up to date).',
  },
  (ref) => ref.tag !== undefined && ref.tag !== 'latest' && ref.digest === undefined,
  'a tag without a digest',
);
