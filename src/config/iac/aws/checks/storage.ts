import { type AwsCheck, CIS_AWS, hitAt } from '../hits.js';
import type { AwsModel } from '../model.js';

const EBS_DOCS = 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html';
const RDS_DOCS = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide';

/** The file turns on account-wide EBS encryption: new volumes are encrypted whatever they say. */
export function encryptedByDefault(m: AwsModel): boolean {
  return m.ebsDefaultEncryption.some((t) => t.setting.value === true);
}

export const volumeNotEncrypted: AwsCheck = {
  id: 'RF-AWS-010',
  title: 'EBS volume is not encrypted',
  severity: 'HIGH',
  description:
    'The volume is created unencrypted: its data, its snapshots and the volumes made from them are stored in clear, and a shared or leaked snapshot exposes everything on it.',
  remediation:
    'Set encrypted = true (CloudFormation Encrypted: true), ideally with a customer managed KMS key, or enable EBS encryption by default for the account.',
  references: [EBS_DOCS],
  *run(m) {
    if (encryptedByDefault(m)) return;
    for (const v of m.volumes) {
      if (v.encrypted.value === false)
        yield hitAt(v.resource, v.encrypted.at, `${v.resource.address} is not encrypted`);
    }
  },
};

export const ebsDefaultEncryptionDisabled: AwsCheck = {
  id: 'RF-AWS-011',
  title: 'EBS encryption by default is disabled',
  severity: 'MEDIUM',
  description:
    'Account-level EBS encryption by default is switched off, so every volume that does not ask for encryption itself is created in clear.',
  remediation:
    'Set enabled = true on aws_ebs_encryption_by_default (or remove the resource that disables it).',
  references: [`${EBS_DOCS}#encryption-by-default`, CIS_AWS],
  frameworks: { 'cis-aws': '2.2.1' },
  *run(m) {
    for (const t of m.ebsDefaultEncryption) {
      if (t.setting.value === false)
        yield hitAt(t.resource, t.setting.at, `${t.resource.address} disables EBS encryption by default`);
    }
  },
};

export const databaseNotEncrypted: AwsCheck = {
  id: 'RF-AWS-012',
  title: 'RDS storage is not encrypted',
  severity: 'HIGH',
  description:
    'The database instance or cluster stores its data, logs, backups and snapshots unencrypted. Encryption can only be chosen at creation: fixing it later means a snapshot copy and a restore.',
  remediation:
    'Set storage_encrypted = true (CloudFormation StorageEncrypted: true), with a customer managed KMS key where required.',
  references: [`${RDS_DOCS}/Overview.Encryption.html`, CIS_AWS],
  frameworks: { 'cis-aws': '2.3.1' },
  *run(m) {
    for (const d of m.databases) {
      if (!d.inherits && d.storageEncrypted.value === false)
        yield hitAt(d.resource, d.storageEncrypted.at, `${d.resource.address} does not encrypt its storage`);
    }
  },
};

export const databasePublic: AwsCheck = {
  id: 'RF-AWS-013',
  title: 'RDS instance is publicly accessible',
  severity: 'HIGH',
  description:
    'publicly_accessible gives the database a public DNS name and address; with a permissive security group it can be reached, brute-forced and exploited from the internet.',
  remediation:
    'Set publicly_accessible = false (CloudFormation PubliclyAccessible: false) and reach the database from inside the VPC.',
  references: [`${RDS_DOCS}/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding`, CIS_AWS],
  frameworks: { 'cis-aws': '2.3.3' },
  *run(m) {
    for (const d of m.databases) {
      if (d.publiclyAccessible.value === true)
        yield hitAt(d.resource, d.publiclyAccessible.at, `${d.resource.address} is publicly accessible`);
    }
  },
};

export const databaseBackupsDisabled: AwsCheck = {
  id: 'RF-AWS-014',
  title: 'RDS automated backups are disabled',
  severity: 'MEDIUM',
  description:
    'A backup retention period of 0 turns automated backups and point-in-time recovery off: data lost to a bad migration, a deletion or ransomware cannot be restored.',
  remediation: 'Set backup_retention_period (CloudFormation BackupRetentionPeriod) to at least 7 days.',
  references: [`${RDS_DOCS}/USER_WorkingWithAutomatedBackups.html`],
  *run(m) {
    for (const d of m.databases) {
      if (!d.inherits && d.backupRetention.value === 0)
        yield hitAt(d.resource, d.backupRetention.at, `${d.resource.address} keeps no automated backups`);
    }
  },
};

export const deletionProtectionDisabled: AwsCheck = {
  id: 'RF-AWS-015',
  title: 'RDS deletion protection is not enabled',
  severity: 'LOW',
  description:
    'Without deletion protection one API call (or an unintended plan that replaces the resource) deletes the database.',
  remediation:
    'Set deletion_protection = true (CloudFormation DeletionProtection: true) for databases that hold data you keep.',
  references: [`${RDS_DOCS}/USER_DeleteInstance.html#USER_DeleteInstance.DeletionProtection`],
  *run(m) {
    for (const d of m.databases) {
      if (!d.inherits && d.deletionProtection.value === false)
        yield hitAt(d.resource, d.deletionProtection.at, `${d.resource.address} has no deletion protection`);
    }
  },
};
