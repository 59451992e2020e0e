import { containerDefinitions } from '../../iac/aws/documents.js';
import { boolSetting, stringSetting } from '../../iac/aws/fields.js';
import type { EcrRepository, EksCluster, TaskDefinition } from '../../iac/aws/model.js';
import { asString, isUnknown, UNKNOWN } from '../../iac/unknown.js';
import { jsonDocument } from './json-document.js';
import type { TfReader } from './reader.js';

export function eksClusters(tf: TfReader): EksCluster[] {
  return tf.managed('aws_eks_cluster').map((r) => {
    const f = tf.fields(r.block);
    const vpc = f.blocks('vpc_config')[0];
    const cidrs = vpc?.get('public_access_cidrs');
    const encryption = f.blocks('encryption_config');
    const resources = encryption.map((e) => e.get('resources'));
    const listed = resources.map((field) => {
      const v = field?.value;
      if (isUnknown(v)) return UNKNOWN;
      return Array.isArray(v) && v.some((x) => x === 'secrets')
        ? true
        : Array.isArray(v) && v.some(isUnknown)
          ? UNKNOWN
          : false;
    });
    const secretsAt = resources.find((x) => x)?.at ?? encryption[0]?.at;
    return {
      resource: tf.resource(r),
      publicAccess: vpc
        ? boolSetting(vpc, 'endpoint_public_access', true)
        : { value: true, name: 'endpoint_public_access' },
      publicAccessCidrs: cidrs
        ? {
            values: Array.isArray(cidrs.value) ? cidrs.value.map(asString) : UNKNOWN,
            at: cidrs.at,
          }
        : { values: ['0.0.0.0/0'], ...(vpc ? { at: vpc.at } : {}) },
      secretsEncryption: listed.includes(true) ? true : listed.includes(UNKNOWN) ? UNKNOWN : false,
      ...(secretsAt ? { encryptionAt: secretsAt } : {}),
    };
  });
}

export function ecrRepositories(tf: TfReader): EcrRepository[] {
  return tf.managed('aws_ecr_repository').map((r) => {
    const f = tf.fields(r.block);
    const scanning = f.blocks('image_scanning_configuration')[0];
    return {
      resource: tf.resource(r),
      tagMutability: stringSetting(f, 'image_tag_mutability', 'MUTABLE'),
      scanOnPush: scanning
        ? boolSetting(scanning, 'scan_on_push', false)
        : { value: false, name: 'image_scanning_configuration' },
    };
  });
}

/** `container_definitions` as jsonencode([...]) (lines of each entry) or a JSON string. */
export function taskDefinitions(tf: TfReader): TaskDefinition[] {
  return tf.managed('aws_ecs_task_definition').map((r) => {
    const f = tf.fields(r.block);
    const defs = f.get('container_definitions');
    let containers: TaskDefinition['containers'] = [];
    if (defs) {
      const { value, reader } = jsonDocument(tf, defs);
      containers = containerDefinitions(value, reader, { name: 'name', privileged: 'privileged' });
    }
    return { resource: tf.resource(r), networkMode: stringSetting(f, 'network_mode', 'bridge'), containers };
  });
}
