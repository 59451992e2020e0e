import type { FileKind } from '../engine/check.js';
import { cloudFormationChecks } from './checks/index.js';
import type { CloudFormationTemplate } from './model.js';
import { parseTemplate } from './parse-template.js';

const CANDIDATE = /\.(ya?ml|json|template)$/i;
const FORMAT_VERSION = /["']?AWSTemplateFormatVersion["']?\s*:/;
const RESOURCES = /(^|[{,\s])["']?Resources["']?\s*:/m;
const AWS_TYPE = /["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::/;

export const cloudFormationKind: FileKind<CloudFormationTemplate> = {
  id: 'cloudformation',
  title: 'CloudFormation',
  contentCandidate: (path) => CANDIDATE.test(path),
  /** `AWSTemplateFormatVersion`, or `Resources` with a resource of an `AWS::` type. */
  matchesContent: (text) => FORMAT_VERSION.test(text) || (RESOURCES.test(text) && AWS_TYPE.test(text)),
  parse: parseTemplate,
  checks: cloudFormationChecks,
};
