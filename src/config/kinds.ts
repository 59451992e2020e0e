import { cloudFormationKind } from './cloudformation/kind.js';
import { composeKind } from './compose/kind.js';
import { dockerfileKind } from './dockerfile/kind.js';
import { type RegisteredKind, registerKind } from './engine/scan-source.js';
import { kubernetesKind } from './kubernetes/kind.js';
import { terraformKind } from './terraform/kind.js';

/**
 * Every configuration file kind `ringfence config` knows. Adding one: a FileKind (detection,
 * parser, checks) in its own directory, and one line here. Order matters only for content
 * detection: the first kind whose matchesContent claims a file gets it.
 */
export const configKinds: readonly RegisteredKind[] = [
  registerKind(dockerfileKind),
  registerKind(composeKind),
  registerKind(kubernetesKind),
  registerKind(terraformKind),
  registerKind(cloudFormationKind),
];
