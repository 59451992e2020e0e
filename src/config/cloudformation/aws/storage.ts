import { boolSetting, numberSetting } from '../../iac/aws/fields.js';
import type { Database, Trail, Volume } from '../../iac/aws/model.js';
import { UNKNOWN } from '../../iac/unknown.js';
import type { CfnReader } from './reader.js';

export function volumes(cfn: CfnReader): Volume[] {
  return cfn.ofType('AWS::EC2::Volume').flatMap((r) => {
    const f = cfn.fields(r);
    return f.get('SnapshotId')
      ? []
      : [{ resource: cfn.resource(r), encrypted: boolSetting(f, 'Encrypted', false) }];
  });
}

/** DB instances in an Aurora cluster, replicas and restores take encryption, backups and deletion protection from elsewhere. */
export function databases(cfn: CfnReader): Database[] {
  return cfn.ofType('AWS::RDS::DBInstance', 'AWS::RDS::DBCluster').map((r) => {
    const f = cfn.fields(r);
    const cluster = r.type === 'AWS::RDS::DBCluster';
    const derived = [
      'DBClusterIdentifier',
      'SourceDBInstanceIdentifier',
      'DBSnapshotIdentifier',
      'SnapshotIdentifier',
      'SourceDBClusterIdentifier',
    ].some((name) => f.get(name) !== undefined);
    const serverless = f.get('EngineMode')?.value === 'serverless';
    return {
      resource: cfn.resource(r),
      kind: cluster ? 'cluster' : 'instance',
      inherits: derived,
      storageEncrypted: boolSetting(f, 'StorageEncrypted', serverless),
      publiclyAccessible: boolSetting(f, 'PubliclyAccessible', false),
      backupRetention: numberSetting(f, 'BackupRetentionPeriod', derived ? UNKNOWN : 1),
      deletionProtection: boolSetting(f, 'DeletionProtection', false),
    };
  });
}

export function trails(cfn: CfnReader): Trail[] {
  return cfn.ofType('AWS::CloudTrail::Trail').map((r) => {
    const f = cfn.fields(r);
    const key = f.get('KMSKeyId');
    return {
      resource: cfn.resource(r),
      logging: boolSetting(f, 'IsLogging', UNKNOWN),
      multiRegion: boolSetting(f, 'IsMultiRegionTrail', false),
      logFileValidation: boolSetting(f, 'EnableLogFileValidation', false),
      kmsKey: key
        ? { value: key.value !== '', at: key.at, name: 'KMSKeyId' }
        : { value: false, name: 'KMSKeyId' },
    };
  });
}
