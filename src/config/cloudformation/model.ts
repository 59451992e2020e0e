import type { LineRange } from '../engine/check.js';
import type { AwsModel } from '../iac/aws/model.js';
import type { Locator } from '../iac/locator.js';
import type { Intrinsics } from './intrinsics.js';

/** A parsed CloudFormation template (YAML or JSON), as every CloudFormation check receives it. */
export interface CloudFormationTemplate {
  path: string;
  resources: TemplateResource[];
  intrinsics: Intrinsics;
  /** Where every value of the template was written. */
  locations: Locator;
  /** The AWS resources of the template, for the shared AWS policies. */
  aws: AwsModel;
}

export interface TemplateResource {
  logicalId: string;
  /** `AWS::S3::Bucket` */
  type: string;
  /** The Properties mapping; empty when the resource has none. */
  properties: Record<string, unknown>;
  /** The whole definition, from the logical id to the end. */
  at: LineRange;
  /** The logical id's line. */
  header: LineRange;
}
