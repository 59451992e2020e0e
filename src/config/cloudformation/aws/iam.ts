import { policyStatements } from '../../iac/aws/documents.js';
import type { PolicyDocument } from '../../iac/aws/model.js';
import type { CfnFields, CfnReader } from './reader.js';

/** Properties holding policy documents, by resource type; `Policies` lists hold more under PolicyDocument. */
const DOCUMENT_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::IAM::Policy': ['PolicyDocument'],
  'AWS::IAM::ManagedPolicy': ['PolicyDocument'],
  'AWS::IAM::Role': ['AssumeRolePolicyDocument'],
  'AWS::IAM::User': [],
  'AWS::IAM::Group': [],
  'AWS::S3::BucketPolicy': ['PolicyDocument'],
  'AWS::SQS::QueuePolicy': ['PolicyDocument'],
  'AWS::SNS::TopicPolicy': ['PolicyDocument'],
  'AWS::KMS::Key': ['KeyPolicy'],
  'AWS::ECR::Repository': ['RepositoryPolicyText'],
  'AWS::SecretsManager::ResourcePolicy': ['ResourcePolicy'],
};

export function policyDocuments(cfn: CfnReader): PolicyDocument[] {
  const out: PolicyDocument[] = [];
  for (const [type, properties] of Object.entries(DOCUMENT_PROPERTIES)) {
    for (const r of cfn.ofType(type)) {
      const f = cfn.fields(r);
      const resource = cfn.resource(r);
      const add = (holder: CfnFields, name: string, where: string) => {
        const field = holder.get(name);
        if (field)
          out.push({
            resource,
            where,
            statements: policyStatements(field.value, cfn.documentReader(field.at)),
          });
      };
      for (const name of properties) add(f, name, name);
      for (const inline of f.blocks('Policies')) add(inline, 'PolicyDocument', 'Policies');
    }
  }
  return out;
}
