import { boolSetting } from '../../iac/aws/fields.js';
import type { Trail } from '../../iac/aws/model.js';
import type { TfReader } from './reader.js';

export function trails(tf: TfReader): Trail[] {
  return tf.managed('aws_cloudtrail').map((r) => {
    const f = tf.fields(r.block);
    const key = f.get('kms_key_id');
    return {
      resource: tf.resource(r),
      logging: boolSetting(f, 'enable_logging', true),
      multiRegion: boolSetting(f, 'is_multi_region_trail', false),
      logFileValidation: boolSetting(f, 'enable_log_file_validation', false),
      kmsKey: key
        ? { value: key.value !== '', at: key.at, name: 'kms_key_id' }
        : { value: false, name: 'kms_key_id' },
    };
  });
}
