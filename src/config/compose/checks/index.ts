import type { Check } from '../../engine/check.js';
import type { ComposeFile } from '../model.js';
import { imageLatest, imageUntagged } from './images.js';
import { healthcheckDisabled, unboundedRestart } from './lifecycle.js';
import { hostDevices, runtimeSocketMounted, sensitiveHostPath, sharedPropagation } from './mounts.js';
import { hostCgroup, hostIpc, hostNetwork, hostPid, hostUserns, hostUts } from './namespaces.js';
import { privilegedHostPort, publishedOnAllInterfaces, sensitivePortOnAllInterfaces } from './ports.js';
import {
  apparmorUnconfined,
  capabilitiesNotDropped,
  dangerousCapability,
  noNewPrivilegesMissing,
  privileged,
  runsAsRoot,
  seccompUnconfined,
  selinuxDisabled,
  userNotSet,
  writableRootFilesystem,
} from './privileges.js';
import { noCpuLimit, noMemoryLimit, noPidsLimit, oomKillDisabled } from './resources.js';
import { hardCodedSecret, secretBuildArg, secretInEnvironment } from './secrets.js';

/** Every Compose check. Adding one: write it (metadata + run) in a file here and list it below. */
export const composeChecks: readonly Check<ComposeFile>[] = [
  privileged,
  dangerousCapability,
  capabilitiesNotDropped,
  hostNetwork,
  hostPid,
  hostIpc,
  hostUts,
  hostUserns,
  runtimeSocketMounted,
  sensitiveHostPath,
  sharedPropagation,
  hardCodedSecret,
  secretInEnvironment,
  secretBuildArg,
  noMemoryLimit,
  noCpuLimit,
  noPidsLimit,
  publishedOnAllInterfaces,
  sensitivePortOnAllInterfaces,
  privilegedHostPort,
  imageLatest,
  imageUntagged,
  seccompUnconfined,
  apparmorUnconfined,
  selinuxDisabled,
  noNewPrivilegesMissing,
  writableRootFilesystem,
  runsAsRoot,
  userNotSet,
  hostDevices,
  unboundedRestart,
  healthcheckDisabled,
  oomKillDisabled,
  hostCgroup,
];
