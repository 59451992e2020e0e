import { containerDefinitions } from '../../iac/aws/documents.js';
import { boolSetting, stringSetting } from '../../iac/aws/fields.js';
import type { EcrRepository, EksCluster, KmsKey, TaskDefinition } from '../../iac/aws/model.js';
import { asString, isUnknown, UNKNOWN } from '../../iac/unknown.js';
import type { CfnReader } from './reader.js';

export function eksClusters(cfn: CfnReader): EksCluster[] {
  return cfn.ofType('AWS::EKS::Cluster').map((r) => {
    const f = cfn.fields(r);
    const vpc = f.blocks('ResourcesVpcConfig')[0];
    const cidrs = vpc?.get('PublicAccessCidrs');
    const configs = f.blocks('EncryptionConfig');
    const listed = configs.map((c) => {
      const v = c.get('Resources')?.value;
      if (isUnknown(v)) return UNKNOWN;
      const items = Array.isArray(v) ? v : [];
      return items.includes('secrets') ? true : items.some(isUnknown) ? UNKNOWN : false;
    });
    const encryptionAt =
      configs.map((c) => c.get('Resources')?.at).find((x) => x) ?? f.get('EncryptionConfig')?.at;
    return {
      resource: cfn.resource(r),
      publicAccess: vpc
        ? boolSetting(vpc, 'EndpointPublicAccess', true)
        : { value: true, name: 'EndpointPublicAccess' },
      publicAccessCidrs: cidrs
        ? {
            values: Array.isArray(cidrs.value) ? cidrs.value.map(asString) : UNKNOWN,
            at: cidrs.at,
          }
        : { values: ['0.0.0.0/0'], ...(vpc ? { at: vpc.at } : {}) },
      secretsEncryption: listed.includes(true) ? true : listed.includes(UNKNOWN) ? UNKNOWN : false,
      ...(encryptionAt ? { encryptionAt } : {}),
    };
  });
}

export function ecrRepositories(cfn: CfnReader): EcrRepository[] {
  return cfn.ofType('AWS::ECR::Repository').map((r) => {
    const f = cfn.fields(r);
    const scanning = f.blocks('ImageScanningConfiguration')[0];
    return {
      resource: cfn.resource(r),
      tagMutability: stringSetting(f, 'ImageTagMutability', 'MUTABLE'),
      scanOnPush: scanning
        ? boolSetting(scanning, 'ScanOnPush', false)
        : { value: false, name: 'ImageScanningConfiguration' },
    };
  });
}

export function taskDefinitions(cfn: CfnReader): TaskDefinition[] {
  return cfn.ofType('AWS::ECS::TaskDefinition').map((r) => {
    const f = cfn.fields(r);
    const defs = f.get('ContainerDefinitions');
    return {
      resource: cfn.resource(r),
      networkMode: stringSetting(f, 'NetworkMode', 'bridge'),
      containers: defs
        ? containerDefinitions(defs.value, cfn.documentReader(defs.at), {
            name: 'Name',
            privileged: 'Privileged',
          })
        : [],
    };
  });
}

export function kmsKeys(cfn: CfnReader): KmsKey[] {
  return cfn.ofType('AWS::KMS::Key').map((r) => {
    const f = cfn.fields(r);
    const spec = f.get('KeySpec')?.value ?? 'SYMMETRIC_DEFAULT';
    const usage = f.get('KeyUsage')?.value ?? 'ENCRYPT_DECRYPT';
    return {
      resource: cfn.resource(r),
      rotation: boolSetting(f, 'EnableKeyRotation', false),
      symmetric:
        typeof spec === 'string' && typeof usage === 'string'
          ? spec === 'SYMMETRIC_DEFAULT' && usage === 'ENCRYPT_DECRYPT'
          : UNKNOWN,
    };
  });
}
