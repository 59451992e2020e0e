import { allRedirect, boolSetting, stringSetting } from '../../iac/aws/fields.js';
import type { KmsKey, Listener } from '../../iac/aws/model.js';
import { UNKNOWN } from '../../iac/unknown.js';
import type { TfReader } from './reader.js';

export function kmsKeys(tf: TfReader): KmsKey[] {
  return tf.managed('aws_kms_key').map((r) => {
    const f = tf.fields(r.block);
    const spec = f.get('customer_master_key_spec')?.value ?? f.get('key_spec')?.value ?? 'SYMMETRIC_DEFAULT';
    const usage = f.get('key_usage')?.value ?? 'ENCRYPT_DECRYPT';
    const known = typeof spec === 'string' && typeof usage === 'string';
    return {
      resource: tf.resource(r),
      rotation: boolSetting(f, 'enable_key_rotation', false),
      symmetric: known ? spec === 'SYMMETRIC_DEFAULT' && usage === 'ENCRYPT_DECRYPT' : UNKNOWN,
    };
  });
}

/** Load balancer listeners and whether their default actions redirect. */
export function listeners(tf: TfReader): Listener[] {
  return tf.managed('aws_lb_listener', 'aws_alb_listener').map((r) => {
    const f = tf.fields(r.block);
    const types = f.blocks('default_action').map((a) => a.get('type')?.value);
    return {
      resource: tf.resource(r),
      protocol: stringSetting(f, 'protocol', UNKNOWN),
      redirects: allRedirect(types),
    };
  });
}
