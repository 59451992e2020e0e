import type { AwsCheck } from '../hits.js';
import { imdsv1Allowed, instanceVolumeNotEncrypted, publicIpAssigned } from './compute.js';
import {
  ecrMutableTags,
  ecrScanOnPushDisabled,
  ecsHostNetwork,
  ecsPrivilegedContainer,
  eksPublicEndpoint,
  eksSecretsNotEncrypted,
  kmsRotationDisabled,
} from './containers.js';
import { allowNotAction, fullAdminPolicy, passRoleOnAnyRole, publicPrincipal } from './iam.js';
import {
  trailLoggingDisabled,
  trailLogValidationDisabled,
  trailNotEncrypted,
  trailNotMultiRegion,
} from './logging.js';
import { adminPortsOpen, allPortsOpen, databasePortsOpen, httpWithoutRedirect } from './network.js';
import {
  accessLoggingDisabled,
  bucketNotEncrypted,
  publicAccessBlockMissing,
  publicBucketAcl,
  versioningDisabled,
} from './s3.js';
import {
  databaseBackupsDisabled,
  databaseNotEncrypted,
  databasePublic,
  deletionProtectionDisabled,
  ebsDefaultEncryptionDisabled,
  volumeNotEncrypted,
} from './storage.js';

/**
 * The AWS policies, shared by the Terraform and CloudFormation kinds (ids RF-AWS-NNN are the
 * same in both). Adding one: write it (metadata + run over AwsModel) and list it here.
 */
export const awsChecks: readonly AwsCheck[] = [
  adminPortsOpen,
  allPortsOpen,
  databasePortsOpen,
  publicBucketAcl,
  publicAccessBlockMissing,
  publicPrincipal,
  bucketNotEncrypted,
  versioningDisabled,
  accessLoggingDisabled,
  volumeNotEncrypted,
  ebsDefaultEncryptionDisabled,
  databaseNotEncrypted,
  databasePublic,
  databaseBackupsDisabled,
  deletionProtectionDisabled,
  fullAdminPolicy,
  passRoleOnAnyRole,
  allowNotAction,
  trailLoggingDisabled,
  trailNotMultiRegion,
  trailLogValidationDisabled,
  trailNotEncrypted,
  imdsv1Allowed,
  publicIpAssigned,
  instanceVolumeNotEncrypted,
  eksPublicEndpoint,
  eksSecretsNotEncrypted,
  ecrMutableTags,
  ecrScanOnPushDisabled,
  ecsPrivilegedContainer,
  ecsHostNetwork,
  kmsRotationDisabled,
  httpWithoutRedirect,
];
