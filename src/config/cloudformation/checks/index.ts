import type { Check } from '../../engine/check.js';
import { awsChecks } from '../../iac/aws/checks/index.js';
import { checksOn } from '../../iac/aws/hits.js';
import type { CloudFormationTemplate } from '../model.js';

/** Every CloudFormation check: the shared AWS policies over the template's resources. */
export const cloudFormationChecks: readonly Check<CloudFormationTemplate>[] = checksOn(
  awsChecks,
  (t: CloudFormationTemplate) => t.aws,
);
