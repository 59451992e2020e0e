import type { AwsModel } from '../../iac/aws/model.js';
import type { Resource } from '../body.js';
import type { Evaluator } from '../eval/evaluator.js';
import { compute } from './compute.js';
import { ecrRepositories, eksClusters, taskDefinitions } from './containers.js';
import { policyDocuments } from './iam.js';
import { kmsKeys, listeners } from './keys.js';
import { trails } from './logging.js';
import { ingressRules } from './network.js';
import { TfReader } from './reader.js';
import { bucketAcls, buckets } from './s3.js';
import { databases, ebsDefaultEncryption, volumes } from './storage.js';

/** The Terraform adapter: a file's AWS resources in the shared model the AWS policies read. */
export function awsFromTerraform(resources: readonly Resource[], evaluator: Evaluator): AwsModel {
  const tf = new TfReader(resources, evaluator);
  return {
    ingressRules: ingressRules(tf),
    buckets: buckets(tf),
    bucketAcls: bucketAcls(tf),
    volumes: volumes(tf),
    ebsDefaultEncryption: ebsDefaultEncryption(tf),
    databases: databases(tf),
    policies: policyDocuments(tf),
    trails: trails(tf),
    compute: compute(tf),
    eksClusters: eksClusters(tf),
    ecrRepositories: ecrRepositories(tf),
    taskDefinitions: taskDefinitions(tf),
    kmsKeys: kmsKeys(tf),
    listeners: listeners(tf),
  };
}
