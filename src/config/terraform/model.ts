import type { AwsModel } from '../iac/aws/model.js';
import type { PodCheckContext } from '../kubernetes/pod/check.js';
import type { PodTemplate } from '../kubernetes/pod/model.js';
import type { Resource } from './body.js';
import type { Evaluator } from './eval/evaluator.js';
import type { Block } from './hcl/ast.js';

/** A parsed Terraform file (`*.tf` or `*.tf.json`), as every Terraform check receives it. */
export interface TerraformFile {
  path: string;
  /** Top-level blocks, from either syntax. */
  blocks: Block[];
  /** Its `resource` and `data` blocks, except those known never to exist (`count = 0`, an empty `for_each`). */
  resources: Resource[];
  /** Evaluates expressions with this module's variables (tfvars, defaults) and locals. */
  evaluator: Evaluator;
  /** The AWS resources of the file, for the shared AWS policies. */
  aws: AwsModel;
  /** Pods of the Kubernetes provider's workload resources, in the API's shape, for the manifest pod checks. */
  pods: PodTemplate[];
  podContext: PodCheckContext;
}
