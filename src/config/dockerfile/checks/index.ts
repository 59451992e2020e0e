import type { Check } from '../../engine/check.js';
import type { Dockerfile } from '../model.js';
import { addInsteadOfCopy, addRemoteUrl, copyDestinationNotDirectory, secretFileCopied } from './add-copy.js';
import { baseImageLatest, baseImageNotPinned, baseImageUntagged, constantPlatform } from './base-image.js';
import {
  apkWithoutNoCache,
  aptListsNotRemoved,
  pipCacheKept,
  yarnCacheNotCleaned,
  yumCacheNotCleaned,
  zypperCacheNotCleaned,
} from './cache-cleanup.js';
import { noHealthcheck } from './healthcheck.js';
import {
  debianFrontendInEnv,
  exposesSsh,
  insecureRun,
  invalidExpose,
  legacyEnvForm,
  maintainerDeprecated,
  multipleCmd,
  multipleEntrypoint,
  multipleHealthcheck,
  relativeWorkdir,
  shellFormEntrypoint,
} from './instructions.js';
import { distributionUpgrade, sshServerInstalled, updateAlone } from './package-index.js';
import {
  aptInsteadOfAptGet,
  aptRecommends,
  aptWithoutYes,
  npmInstallInsteadOfCi,
  yumWithoutYes,
  zypperInteractive,
} from './package-managers.js';
import { setuidAdded, worldWritable } from './permissions.js';
import {
  apkUnpinned,
  aptUnpinned,
  gemUnpinned,
  goInstallLatest,
  npmUnpinned,
  pipUnpinned,
  yumUnpinned,
  zypperUnpinned,
} from './pinning.js';
import { secretInArg, secretInEnv } from './secrets.js';
import { cdInsteadOfWorkdir, pipeWithoutPipefail, remoteScriptExecuted, sudoInRun } from './shell.js';
import { copyFromOwnStage, copyFromUnknownStage, duplicateStageName } from './stages.js';
import { plainHttpDownload, verificationDisabled } from './transport.js';
import { finalUserIsRoot, useraddHighUidWithoutNoLogInit } from './user.js';

/** Every Dockerfile check. Adding one: write it (metadata + run) in a file here and list it below. */
export const dockerfileChecks: readonly Check<Dockerfile>[] = [
  finalUserIsRoot,
  noHealthcheck,
  updateAlone,
  addInsteadOfCopy,
  secretInEnv,
  secretInArg,
  baseImageLatest,
  baseImageUntagged,
  baseImageNotPinned,
  sudoInRun,
  aptWithoutYes,
  aptRecommends,
  aptListsNotRemoved,
  distributionUpgrade,
  aptUnpinned,
  aptInsteadOfAptGet,
  apkWithoutNoCache,
  apkUnpinned,
  yumWithoutYes,
  yumCacheNotCleaned,
  yumUnpinned,
  zypperInteractive,
  zypperCacheNotCleaned,
  zypperUnpinned,
  pipCacheKept,
  pipUnpinned,
  npmUnpinned,
  npmInstallInsteadOfCi,
  gemUnpinned,
  pipeWithoutPipefail,
  remoteScriptExecuted,
  addRemoteUrl,
  multipleCmd,
  multipleEntrypoint,
  multipleHealthcheck,
  shellFormEntrypoint,
  relativeWorkdir,
  cdInsteadOfWorkdir,
  exposesSsh,
  invalidExpose,
  maintainerDeprecated,
  worldWritable,
  copyFromUnknownStage,
  copyFromOwnStage,
  duplicateStageName,
  useraddHighUidWithoutNoLogInit,
  setuidAdded,
  verificationDisabled,
  plainHttpDownload,
  secretFileCopied,
  debianFrontendInEnv,
  yarnCacheNotCleaned,
  insecureRun,
  legacyEnvForm,
  constantPlatform,
  copyDestinationNotDirectory,
  sshServerInstalled,
  goInstallLatest,
];
