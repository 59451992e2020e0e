import { boolSetting, stringSetting } from '../../iac/aws/fields.js';
import type { Compute, Setting } from '../../iac/aws/model.js';
import { UNKNOWN } from '../../iac/unknown.js';
import type { CfnFields, CfnReader } from './reader.js';

/**
 * EC2 instances, launch templates (their LaunchTemplateData) and Auto Scaling launch
 * configurations. AWS::EC2::Instance has no metadata options of its own (they come from a
 * launch template), so it is not checked for IMDSv1.
 */
export function compute(cfn: CfnReader): Compute[] {
  const out: Compute[] = [];
  for (const r of cfn.ofType('AWS::EC2::Instance')) {
    const f = cfn.fields(r);
    out.push({
      resource: cfn.resource(r),
      kind: 'instance',
      publicIps: interfaceIps(f),
      volumes: mappings(f),
    });
  }
  for (const r of cfn.ofType('AWS::EC2::LaunchTemplate')) {
    const data = cfn.fields(r).blocks('LaunchTemplateData')[0];
    if (!data) continue;
    out.push({
      resource: cfn.resource(r),
      kind: 'launch template',
      metadata: metadata(data),
      publicIps: interfaceIps(data),
      volumes: mappings(data),
    });
  }
  for (const r of cfn.ofType('AWS::AutoScaling::LaunchConfiguration')) {
    const f = cfn.fields(r);
    const ip = f.get('AssociatePublicIpAddress');
    out.push({
      resource: cfn.resource(r),
      kind: 'launch configuration',
      metadata: metadata(f),
      publicIps: ip ? [boolSetting(f, 'AssociatePublicIpAddress', false)] : [],
      volumes: mappings(f),
    });
  }
  return out;
}

function metadata(f: CfnFields): Compute['metadata'] {
  const options = f.blocks('MetadataOptions')[0];
  if (!options)
    return {
      httpTokens: { value: 'optional', name: 'MetadataOptions' },
      httpEndpoint: { value: 'enabled', name: 'HttpEndpoint' },
    };
  return {
    httpTokens: stringSetting(options, 'HttpTokens', 'optional'),
    httpEndpoint: stringSetting(options, 'HttpEndpoint', 'enabled'),
    at: options.at,
  };
}

function interfaceIps(f: CfnFields): Setting<boolean>[] {
  return f
    .blocks('NetworkInterfaces')
    .filter((n) => n.get('AssociatePublicIpAddress'))
    .map((n) => boolSetting(n, 'AssociatePublicIpAddress', false));
}

function mappings(f: CfnFields): Compute['volumes'] {
  return f.blocks('BlockDeviceMappings').flatMap((m) =>
    m
      .blocks('Ebs')
      .filter((ebs) => !ebs.get('SnapshotId'))
      .map((ebs) => ({
        label: `BlockDeviceMappings ${String(m.get('DeviceName')?.value ?? '')}`.trim(),
        encrypted: boolSetting(ebs, 'Encrypted', ebs.get('KmsKeyId') ? UNKNOWN : false),
        at: ebs.at,
      })),
  );
}
