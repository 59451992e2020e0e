import type { Check } from '../../engine/check.js';
import type { KubernetesFile } from '../model.js';
import { checkOnPods, type PodCheck } from '../pod/check.js';
import { pssChecks } from '../pss/checks.js';
import {
  hostAliases,
  lowUserId,
  rootEquivalentCapability,
  rootGroup,
  sharedProcessNamespace,
  writableRootFilesystem,
} from './hardening.js';
import { runtimeSocketMounted, sensitiveHostPath } from './host-paths.js';
import { imageLatest, imageNotPinned, imageUntagged } from './images.js';
import { defaultNamespace, namespaceWithoutNetworkPolicy } from './namespaces.js';
import { livenessProbeMissing, readinessProbeMissing } from './probes.js';
import {
  bindingToEveryone,
  clusterAdminBinding,
  clusterSecretsRead,
  rbacEscalation,
  rbacWildcard,
} from './rbac.js';
import { limitsMissing, requestsMissing } from './resources.js';
import { secretInEnv, secretValuesInManifest } from './secrets.js';
import { serviceAccountTokenMounted } from './service-account.js';
import { exposedService, openLoadBalancer } from './services.js';

/**
 * Every pod check: the Pod Security Standards, then best practice. Any file kind that can
 * describe pods runs these through `checkOnPods` (pod/check.ts).
 */
export const podChecks: readonly PodCheck[] = [
  ...pssChecks,
  limitsMissing,
  requestsMissing,
  imageLatest,
  imageUntagged,
  imageNotPinned,
  serviceAccountTokenMounted,
  writableRootFilesystem,
  runtimeSocketMounted,
  sensitiveHostPath,
  secretInEnv,
  livenessProbeMissing,
  readinessProbeMissing,
  hostAliases,
  sharedProcessNamespace,
  rootEquivalentCapability,
  lowUserId,
  rootGroup,
];

/** Checks of the other objects of a manifest file. */
const objectChecks: readonly Check<KubernetesFile>[] = [
  defaultNamespace,
  rbacWildcard,
  rbacEscalation,
  clusterSecretsRead,
  clusterAdminBinding,
  bindingToEveryone,
  secretValuesInManifest,
  exposedService,
  openLoadBalancer,
];

/** Every check of one manifest file. Adding one: write it (metadata + run) in a file here and list it above. */
export const kubernetesChecks: readonly Check<KubernetesFile>[] = [
  ...podChecks.map((check) =>
    checkOnPods<KubernetesFile>(
      check,
      (file) => file.pods,
      (file) => file.podContext,
    ),
  ),
  ...objectChecks,
];

/** Checks across every scanned manifest file. */
export const kubernetesTreeChecks = [namespaceWithoutNetworkPolicy];
