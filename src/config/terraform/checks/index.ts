import type { Check } from '../../engine/check.js';
import { awsChecks } from '../../iac/aws/checks/index.js';
import { checksOn } from '../../iac/aws/hits.js';
import type { TerraformFile } from '../model.js';

/** Every Terraform check: the shared AWS policies over the file's AWS resources. */
export const terraformChecks: readonly Check<TerraformFile>[] = [
  ...checksOn(awsChecks, (f: TerraformFile) => f.aws),
];
