import { type AwsCheck, CIS_AWS, hitAt } from '../hits.js';
import type { Setting, Trail } from '../model.js';

const TRAIL_DOCS = 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide';

function trailCheck(
  meta: Omit<AwsCheck, 'run'>,
  setting: (t: Trail) => Setting<boolean>,
  message: string,
): AwsCheck {
  return {
    ...meta,
    *run(m) {
      for (const t of m.trails) {
        const s = setting(t);
        if (s.value === false) yield hitAt(t.resource, s.at, `${t.resource.address} ${message}`);
      }
    },
  };
}

export const trailLoggingDisabled = trailCheck(
  {
    id: 'RF-AWS-019',
    title: 'CloudTrail trail is not logging',
    severity: 'HIGH',
    description: 'The trail exists but logging is switched off: API activity in the account is not recorded.',
    remediation: 'Set enable_logging = true (CloudFormation IsLogging: true).',
    references: [`${TRAIL_DOCS}/cloudtrail-create-and-update-a-trail.html`, CIS_AWS],
    frameworks: { 'cis-aws': '3.1' },
  },
  (t) => t.logging,
  'does not log',
);

export const trailNotMultiRegion = trailCheck(
  {
    id: 'RF-AWS-020',
    title: 'CloudTrail trail covers one region only',
    severity: 'MEDIUM',
    description:
      'A single-region trail misses activity in every other region, where an attacker can create resources or disable controls unseen.',
    remediation: 'Set is_multi_region_trail = true (CloudFormation IsMultiRegionTrail: true).',
    references: [`${TRAIL_DOCS}/receive-cloudtrail-log-files-from-multiple-regions.html`, CIS_AWS],
    frameworks: { 'cis-aws': '3.1' },
  },
  (t) => t.multiRegion,
  'is not multi-region',
);

export const trailLogValidationDisabled = trailCheck(
  {
    id: 'RF-AWS-021',
    title: 'CloudTrail log file validation is disabled',
    severity: 'MEDIUM',
    description:
      'Without log file validation nobody can prove the delivered logs were not modified or deleted after the fact.',
    remediation: 'Set enable_log_file_validation = true (CloudFormation EnableLogFileValidation: true).',
    references: [`${TRAIL_DOCS}/cloudtrail-log-file-validation-intro.html`, CIS_AWS],
    frameworks: { 'cis-aws': '3.2' },
  },
  (t) => t.logFileValidation,
  'does not validate log files',
);

export const trailNotEncrypted = trailCheck(
  {
    id: 'RF-AWS-022',
    title: 'CloudTrail logs are not encrypted with KMS',
    severity: 'MEDIUM',
    description:
      'The trail does not use a KMS key, so anyone who can read the log bucket can read the account activity; a customer managed key adds a second, audited permission.',
    remediation:
      'Set kms_key_id (CloudFormation KMSKeyId) to a customer managed key whose policy lets CloudTrail encrypt.',
    references: [`${TRAIL_DOCS}/encrypting-cloudtrail-log-files-with-aws-kms.html`, CIS_AWS],
    frameworks: { 'cis-aws': '3.5' },
  },
  (t) => t.kmsKey,
  'is not encrypted with a KMS key',
);
