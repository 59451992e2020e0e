import type { FileKind } from '../engine/check.js';
import { kubernetesChecks, kubernetesTreeChecks } from './checks/index.js';
import { type NamespaceSummary, summarizeNamespaces } from './checks/namespaces.js';
import { isManifestCandidate, looksLikeManifest } from './detect.js';
import type { KubernetesFile } from './model.js';
import { parseManifests } from './parse-manifests.js';

export const kubernetesKind: FileKind<KubernetesFile, NamespaceSummary> = {
  id: 'kubernetes',
  title: 'Kubernetes',
  contentCandidate: isManifestCandidate,
  matchesContent: looksLikeManifest,
  parse: parseManifests,
  checks: kubernetesChecks,
  summarize: summarizeNamespaces,
  treeChecks: kubernetesTreeChecks,
};
