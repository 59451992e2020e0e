import { boolSetting, stringSetting } from '../../iac/aws/fields.js';
import type { Compute } from '../../iac/aws/model.js';
import { UNKNOWN } from '../../iac/unknown.js';
import type { TfFields, TfReader } from './reader.js';

/** EC2 instances, launch templates and launch configurations: metadata options, public IPs, EBS volumes. */
export function compute(tf: TfReader): Compute[] {
  const out: Compute[] = [];
  for (const r of tf.managed('aws_instance', 'aws_launch_configuration')) {
    const f = tf.fields(r.block);
    const resource = tf.resource(r);
    const ip = f.get('associate_public_ip_address');
    const roots = f.blocks('root_block_device');
    const volumes = [
      ...roots.map((b) => volume(b, 'root_block_device')),
      ...f
        .blocks('ebs_block_device')
        .filter((b) => !b.get('snapshot_id'))
        .map((b) => volume(b, `ebs_block_device ${String(b.get('device_name')?.value ?? '')}`.trim())),
    ];
    if (r.type === 'aws_instance' && roots.length === 0)
      volumes.push({
        label: 'root_block_device',
        encrypted: { value: false, name: 'root_block_device' },
        at: resource.header,
      });
    out.push({
      resource,
      kind: r.type === 'aws_instance' ? 'instance' : 'launch configuration',
      metadata: metadata(f),
      publicIps: ip ? [boolSetting(f, 'associate_public_ip_address', false)] : [],
      volumes,
    });
  }
  for (const r of tf.managed('aws_launch_template')) {
    const f = tf.fields(r.block);
    out.push({
      resource: tf.resource(r),
      kind: 'launch template',
      metadata: metadata(f),
      publicIps: f
        .blocks('network_interfaces')
        .filter((n) => n.get('associate_public_ip_address'))
        .map((n) => boolSetting(n, 'associate_public_ip_address', false)),
      volumes: f.blocks('block_device_mappings').flatMap((m) =>
        m
          .blocks('ebs')
          .filter((ebs) => !ebs.get('snapshot_id'))
          .map((ebs) =>
            volume(ebs, `block_device_mappings ${String(m.get('device_name')?.value ?? '')}`.trim()),
          ),
      ),
    });
  }
  return out;
}

function metadata(f: TfFields): Compute['metadata'] {
  const options = f.blocks('metadata_options')[0];
  if (!options)
    return {
      httpTokens: { value: 'optional', name: 'metadata_options' },
      httpEndpoint: { value: 'enabled', name: 'http_endpoint' },
    };
  return {
    httpTokens: stringSetting(options, 'http_tokens', 'optional'),
    httpEndpoint: stringSetting(options, 'http_endpoint', 'enabled'),
    at: options.at,
  };
}

function volume(b: TfFields, label: string): Compute['volumes'][number] {
  return { label, encrypted: boolSetting(b, 'encrypted', b.get('kms_key_id') ? UNKNOWN : false), at: b.at };
}
