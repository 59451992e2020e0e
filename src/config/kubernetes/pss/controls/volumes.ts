import type { PodTemplate } from '../../pod/model.js';
import { field, isSet, listOf, stringOf } from '../../values.js';
import type { PssControl, Violation } from '../control.js';
import { PSS_REF } from './references.js';

interface PodVolume {
  name: string;
  index: number;
  fields: unknown;
}

function podVolumes(pod: PodTemplate): PodVolume[] {
  return listOf(field(pod.spec, 'volumes')).map((fields, index) => ({
    name: stringOf(field(fields, 'name')) ?? '',
    index,
    fields,
  }));
}

export const hostPathVolumes: PssControl = {
  id: 'RF-K8S-004',
  control: 'hostPathVolumes',
  level: 'baseline',
  title: 'hostPath volume',
  severity: 'MEDIUM',
  description:
    "A hostPath volume mounts a file or directory of the node into the pod. Depending on the path it exposes node credentials, other pods' data, or the container runtime, and a writable one lets the pod change the node.",
  remediation:
    'Use emptyDir, configMap, secret, projected or persistentVolumeClaim volumes instead; if node access is truly needed, isolate that workload in its own namespace with a privileged policy.',
  references: [`${PSS_REF}#baseline`, 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath'],
  frameworks: { pss: 'baseline/hostPathVolumes', 'cis-kubernetes': '5.2.12', 'mitre-attack': 'T1611' },
  versions: [
    {
      since: 0,
      evaluate: (pod) =>
        podVolumes(pod)
          .filter((v) => isSet(field(v.fields, 'hostPath')))
          .map((v) => ({
            path: ['spec', 'volumes', v.index, 'hostPath'],
            message: `volume "${v.name}" is a hostPath volume`,
          })),
    },
  ],
};

/** Volume sources the restricted level accepts. */
const ALLOWED_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

/** Every other volume source the Kubernetes API knows. */
const OTHER_SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

/**
 * A volume with none of the allowed sources but another one. A volume with no source at all is
 * an emptyDir: the API server fills that in before the admission sees the pod.
 */
function restrictedVolumeViolations(pod: PodTemplate): Violation[] {
  const found: Violation[] = [];
  for (const v of podVolumes(pod)) {
    if (ALLOWED_SOURCES.some((source) => isSet(field(v.fields, source)))) continue;
    const type = OTHER_SOURCES.find((source) => isSet(field(v.fields, source)));
    if (type === undefined) continue;
    found.push({
      path: ['spec', 'volumes', v.index],
      message: `volume "${v.name}" uses the restricted volume type "${type}"`,
    });
  }
  return found;
}

export const restrictedVolumes: PssControl = {
  id: 'RF-K8S-013',
  control: 'restrictedVolumes',
  level: 'restricted',
  title: 'Volume type not allowed by the restricted level',
  severity: 'LOW',
  description:
    'The restricted level allows only volume types that carry no node or storage-backend access of their own: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret. Others (hostPath, nfs, iscsi, gitRepo...) reach the node or a storage system directly from the pod spec.',
  remediation:
    'Use one of the allowed volume types; for network storage, define a PersistentVolume and claim it with a persistentVolumeClaim.',
  references: [`${PSS_REF}#restricted`],
  frameworks: { pss: 'restricted/restrictedVolumes' },
  versions: [{ since: 0, evaluate: restrictedVolumeViolations }],
  overrides: ['hostPathVolumes'],
};
