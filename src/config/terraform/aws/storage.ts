import { boolSetting, numberSetting } from '../../iac/aws/fields.js';
import type { Database, Toggle, Volume } from '../../iac/aws/model.js';
import { UNKNOWN } from '../../iac/unknown.js';
import type { TfReader } from './reader.js';

/** EBS volumes (a volume made from a snapshot takes the snapshot's encryption) and the account default. */
export function volumes(tf: TfReader): Volume[] {
  return tf.managed('aws_ebs_volume').flatMap((r) => {
    const f = tf.fields(r.block);
    return f.get('snapshot_id')
      ? []
      : [{ resource: tf.resource(r), encrypted: boolSetting(f, 'encrypted', false) }];
  });
}

export function ebsDefaultEncryption(tf: TfReader): Toggle[] {
  return tf
    .managed('aws_ebs_encryption_by_default')
    .map((r) => ({ resource: tf.resource(r), setting: boolSetting(tf.fields(r.block), 'enabled', true) }));
}

/**
 * RDS instances and clusters. Aurora members (aws_rds_cluster_instance), replicas and
 * instances restored from snapshots take encryption, backups and deletion protection from
 * elsewhere.
 */
export function databases(tf: TfReader): Database[] {
  return tf.managed('aws_db_instance', 'aws_rds_cluster', 'aws_rds_cluster_instance').map((r) => {
    const f = tf.fields(r.block);
    const member = r.type === 'aws_rds_cluster_instance';
    const derived = ['replicate_source_db', 'snapshot_identifier', 'restore_to_point_in_time'].some(
      (name) => f.get(name) !== undefined || f.blocks(name).length > 0,
    );
    return {
      resource: tf.resource(r),
      kind: r.type === 'aws_rds_cluster' ? 'cluster' : 'instance',
      inherits: member || derived,
      storageEncrypted: boolSetting(f, 'storage_encrypted', f.get('engine_mode')?.value === 'serverless'),
      publiclyAccessible: boolSetting(f, 'publicly_accessible', false),
      backupRetention: numberSetting(f, 'backup_retention_period', member ? UNKNOWN : 1),
      deletionProtection: boolSetting(f, 'deletion_protection', false),
    };
  });
}
