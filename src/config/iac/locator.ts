import type { EntryLocation } from '../engine/yaml.js';

/**
 * Where the entries of a nested value were written: the YAML reader's locations for
 * CloudFormation, the Terraform evaluator's for objects it built from `{ ... }` and `[ ... ]`.
 * Lets shared code (IAM policy documents, container definitions) point at the offending line.
 */
export interface Locator {
  entry(container: object, key: string | number): EntryLocation | undefined;
}
