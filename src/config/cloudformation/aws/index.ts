import type { AwsModel } from '../../iac/aws/model.js';
import type { CloudFormationTemplate } from '../model.js';
import { compute } from './compute.js';
import { ecrRepositories, eksClusters, kmsKeys, taskDefinitions } from './containers.js';
import { policyDocuments } from './iam.js';
import { ingressRules, listeners } from './network.js';
import { CfnReader } from './reader.js';
import { bucketAcls, buckets } from './s3.js';
import { databases, trails, volumes } from './storage.js';

/** The CloudFormation adapter: a template's resources in the shared model the AWS policies read. */
export function awsFromCloudFormation(template: Omit<CloudFormationTemplate, 'aws'>): AwsModel {
  const cfn = new CfnReader(template);
  return {
    ingressRules: ingressRules(cfn),
    buckets: buckets(cfn),
    bucketAcls: bucketAcls(cfn),
    volumes: volumes(cfn),
    ebsDefaultEncryption: [],
    databases: databases(cfn),
    policies: policyDocuments(cfn),
    trails: trails(cfn),
    compute: compute(cfn),
    eksClusters: eksClusters(cfn),
    ecrRepositories: ecrRepositories(cfn),
    taskDefinitions: taskDefinitions(cfn),
    kmsKeys: kmsKeys(cfn),
    listeners: listeners(cfn),
  };
}
