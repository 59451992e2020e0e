import type { Check } from '../../engine/check.js';
import { awsChecks } from '../../iac/aws/checks/index.js';
import { checksOn } from '../../iac/aws/hits.js';
import { podChecks } from '../../kubernetes/checks/index.js';
import { checkOnPods } from '../../kubernetes/pod/check.js';
import type { TerraformFile } from '../model.js';

/**
 * Every Terraform check: the shared AWS policies over the file's AWS resources, and the
 * manifest pod checks (same ids) over the pods of its Kubernetes provider resources.
 */
export const terraformChecks: readonly Check<TerraformFile>[] = [
  ...checksOn(awsChecks, (f: TerraformFile) => f.aws),
  ...podChecks.map((check) =>
    checkOnPods<TerraformFile>(
      check,
      (f) => f.pods,
      (f) => f.podContext,
    ),
  ),
];
