import { boolSetting, stringSetting } from '../../iac/aws/fields.js';
import type { Bucket, BucketAcl, Setting } from '../../iac/aws/model.js';
import { UNKNOWN } from '../../iac/unknown.js';
import type { CfnFields, CfnReader } from './reader.js';

const PUBLIC_ACCESS_FLAGS = [
  'BlockPublicAcls',
  'BlockPublicPolicy',
  'IgnorePublicAcls',
  'RestrictPublicBuckets',
];

/** AWS::S3::Bucket: everything is a property of the bucket itself. */
export function buckets(cfn: CfnReader): Bucket[] {
  const all = cfn.ofType('AWS::S3::Bucket').map((r) => ({ r, f: cfn.fields(r) }));
  const targets = all.map(({ f }) => f.blocks('LoggingConfiguration')[0]?.get('DestinationBucketName'));
  return all.map(({ r, f }) => {
    const name = f.get('BucketName')?.value;
    const pab = f.blocks('PublicAccessBlockConfiguration')[0];
    return {
      resource: cfn.resource(r),
      publicAccessBlock: pab
        ? { at: pab.at, flags: PUBLIC_ACCESS_FLAGS.map((flag) => boolSetting(pab, flag, false)) }
        : f.get('PublicAccessBlockConfiguration')
          ? UNKNOWN
          : undefined,
      encryption: f.get('BucketEncryption') !== undefined,
      versioning: versioning(f),
      logging: f.get('LoggingConfiguration') !== undefined,
      isLogTarget: targets.some(
        (t) =>
          t !== undefined &&
          (cfn.refersTo(t) === r.logicalId || (typeof name === 'string' && t.value === name)),
      ),
    };
  });
}

function versioning(f: CfnFields): Setting<boolean> {
  const config = f.blocks('VersioningConfiguration')[0];
  if (!config)
    return { value: f.get('VersioningConfiguration') ? UNKNOWN : false, name: 'VersioningConfiguration' };
  const status = stringSetting(config, 'Status', UNKNOWN);
  return { ...status, value: status.value === UNKNOWN ? UNKNOWN : status.value === 'Enabled' };
}

export function bucketAcls(cfn: CfnReader): BucketAcl[] {
  return cfn.ofType('AWS::S3::Bucket').flatMap((r) => {
    const acl = stringSetting(cfn.fields(r), 'AccessControl', UNKNOWN);
    return acl.at ? [{ resource: cfn.resource(r), acl }] : [];
  });
}
