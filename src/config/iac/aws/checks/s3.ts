import { isUnknown } from '../../unknown.js';
import { type AwsCheck, CIS_AWS, hitAt } from '../hits.js';

const S3_DOCS = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide';
const PUBLIC_ACLS = new Set(['publicread', 'publicreadwrite', 'authenticatedread']);

export const publicBucketAcl: AwsCheck = {
  id: 'RF-AWS-004',
  title: 'S3 bucket has a public canned ACL',
  severity: 'HIGH',
  description:
    'The canned ACL public-read, public-read-write or authenticated-read lets anyone (or any AWS account) list and read the objects, and with public-read-write also write them.',
  remediation:
    'Use the private ACL (or none, with object ownership BucketOwnerEnforced) and grant access through a bucket policy scoped to the principals that need it; serve public content through CloudFront.',
  references: [`${S3_DOCS}/acl-overview.html#canned-acl`, CIS_AWS],
  frameworks: { 'cis-aws': '2.1.4' },
  *run(m) {
    for (const { resource, acl } of m.bucketAcls) {
      if (typeof acl.value === 'string' && PUBLIC_ACLS.has(acl.value.toLowerCase().replace(/-/g, '')))
        yield hitAt(resource, acl.at, `${resource.address} sets the ${acl.value} ACL`);
    }
  },
};

export const publicAccessBlockMissing: AwsCheck = {
  id: 'RF-AWS-005',
  title: 'S3 bucket does not block public access',
  severity: 'MEDIUM',
  description:
    'S3 Block Public Access is the guard that keeps a later ACL or bucket policy mistake from making the bucket public. Without it (or with any of its four switches off) one wrong grant exposes the data.',
  remediation:
    'Add a public access block for the bucket (Terraform aws_s3_bucket_public_access_block, CloudFormation PublicAccessBlockConfiguration) with all four settings true, or enable it for the whole account.',
  references: [`${S3_DOCS}/access-control-block-public-access.html`, CIS_AWS],
  frameworks: { 'cis-aws': '2.1.4' },
  *run(m) {
    for (const b of m.buckets) {
      const block = b.publicAccessBlock;
      if (block === undefined) {
        yield hitAt(b.resource, undefined, `${b.resource.address} has no public access block`);
        continue;
      }
      if (isUnknown(block)) continue;
      for (const flag of block.flags) {
        if (flag.value === false)
          yield hitAt(b.resource, flag.at ?? block.at, `${b.resource.address}: ${flag.name} is not true`);
      }
    }
  },
};

export const bucketNotEncrypted: AwsCheck = {
  id: 'RF-AWS-007',
  title: 'S3 bucket has no default encryption configuration',
  severity: 'MEDIUM',
  description:
    'The bucket does not declare server-side encryption. S3 applies SSE-S3 to new objects since 2023, but a template that relies on that cannot choose a KMS key (with its key policy, rotation and audit trail) and says nothing about how the data is protected.',
  remediation:
    'Declare default encryption: SSE-KMS with a customer managed key for sensitive data (Terraform aws_s3_bucket_server_side_encryption_configuration, CloudFormation BucketEncryption), with bucket keys enabled.',
  references: [`${S3_DOCS}/default-bucket-encryption.html`],
  *run(m) {
    for (const b of m.buckets) {
      if (b.encryption === false)
        yield hitAt(
          b.resource,
          undefined,
          `${b.resource.address} has no server-side encryption configuration`,
        );
    }
  },
};

export const versioningDisabled: AwsCheck = {
  id: 'RF-AWS-008',
  title: 'S3 bucket versioning is not enabled',
  severity: 'MEDIUM',
  description:
    'Without versioning an overwritten or deleted object is gone: accidental deletes, a compromised writer or ransomware that rewrites objects cannot be undone.',
  remediation:
    'Enable versioning (Terraform aws_s3_bucket_versioning with status Enabled, CloudFormation VersioningConfiguration Status: Enabled), with a lifecycle rule that expires old versions.',
  references: [`${S3_DOCS}/Versioning.html`],
  *run(m) {
    for (const b of m.buckets) {
      if (b.versioning.value === false)
        yield hitAt(b.resource, b.versioning.at, `${b.resource.address} does not enable versioning`);
    }
  },
};

export const accessLoggingDisabled: AwsCheck = {
  id: 'RF-AWS-009',
  title: 'S3 bucket access logging is not enabled',
  severity: 'LOW',
  description:
    'Server access logs record every request to the bucket; without them there is no record of who read or changed data during an incident.',
  remediation:
    'Enable server access logging to a separate log bucket (Terraform aws_s3_bucket_logging, CloudFormation LoggingConfiguration), or record S3 data events with CloudTrail.',
  references: [`${S3_DOCS}/ServerLogs.html`],
  *run(m) {
    for (const b of m.buckets) {
      if (b.logging === false && !b.isLogTarget)
        yield hitAt(b.resource, undefined, `${b.resource.address} has no access logging`);
    }
  },
};
