import { type AwsCheck, CIS_AWS, hitAt } from '../hits.js';
import { encryptedByDefault } from './storage.js';

export const imdsv1Allowed: AwsCheck = {
  id: 'RF-AWS-023',
  title: 'Instance metadata service allows IMDSv1',
  severity: 'HIGH',
  description:
    'With http_tokens "optional" (the default) the instance metadata service answers plain GET requests, so any server-side request forgery in an application on the instance, or a container on it, can read the instance role\'s credentials.',
  remediation:
    'Require IMDSv2: metadata_options { http_tokens = "required" } (CloudFormation MetadataOptions: {HttpTokens: required}), with a hop limit of 1 unless containers need more.',
  references: [
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html',
    CIS_AWS,
  ],
  frameworks: { 'cis-aws': '5.6' },
  *run(m) {
    for (const c of m.compute) {
      const md = c.metadata;
      if (!md || md.httpEndpoint.value === 'disabled') continue;
      const tokens = md.httpTokens.value;
      if (typeof tokens === 'string' && tokens !== 'required')
        yield hitAt(
          c.resource,
          md.httpTokens.at ?? md.at,
          `${c.resource.address} (${c.kind}) allows IMDSv1: ${md.httpTokens.at ? `${md.httpTokens.name} is "${tokens}"` : `${md.httpTokens.name} does not require tokens`}`,
        );
    }
  },
};

export const publicIpAssigned: AwsCheck = {
  id: 'RF-AWS-024',
  title: 'Instance gets a public IP address',
  severity: 'MEDIUM',
  description:
    'The instance (or every instance started from the launch template or configuration) gets a public IPv4 address and can be reached from the internet wherever its security groups allow.',
  remediation:
    'Run instances in private subnets without public addresses and put a load balancer, NAT gateway or Session Manager in front.',
  references: [
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#public-ip-addresses',
  ],
  *run(m) {
    for (const c of m.compute) {
      for (const ip of c.publicIps) {
        if (ip.value === true)
          yield hitAt(c.resource, ip.at, `${c.resource.address} (${c.kind}) associates a public IP address`);
      }
    }
  },
};

export const instanceVolumeNotEncrypted: AwsCheck = {
  id: 'RF-AWS-025',
  title: 'Instance EBS volume is not encrypted',
  severity: 'HIGH',
  description:
    'A root or data volume of the instance, launch template or launch configuration is not encrypted, so its data and snapshots are stored in clear.',
  remediation:
    'Set encrypted = true on root_block_device, ebs_block_device and block_device_mappings (CloudFormation Ebs: {Encrypted: true}), or enable EBS encryption by default for the account.',
  references: ['https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html'],
  *run(m) {
    if (encryptedByDefault(m)) return;
    for (const c of m.compute) {
      for (const v of c.volumes) {
        if (v.encrypted.value === false)
          yield hitAt(
            c.resource,
            v.encrypted.at ?? v.at,
            `${c.resource.address}: ${v.label} is not encrypted`,
          );
      }
    }
  },
};
