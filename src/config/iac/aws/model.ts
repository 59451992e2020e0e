import type { LineRange } from '../../engine/check.js';
import type { Maybe } from '../unknown.js';

/**
 * AWS resources as the shared policies see them, whatever file described them. The Terraform
 * and CloudFormation adapters fill this from attribute paths and property paths; a policy is
 * written once, against this. Values a file does not determine are UNKNOWN; `at` is where the
 * value was written (the offending line), absent when the value is the service's default.
 */

export interface AwsResource {
  /** `aws_s3_bucket.logs` (Terraform) or `LogsBucket` (CloudFormation logical id). */
  address: string;
  /** The whole definition. */
  at: LineRange;
  /** The line naming it: where a finding about something missing points. */
  header: LineRange;
}

/** A setting and where it is written; `at` absent means the default applies. */
export interface Setting<T> {
  value: Maybe<T>;
  at?: LineRange;
  /** The setting's name as the file writes it (`encrypted`, `Encrypted`), for messages. */
  name: string;
}

export interface IngressRule {
  resource: AwsResource;
  /** The rule: an inline block or entry, or the rule resource. */
  at: LineRange;
  /** As written: "tcp", "6", "-1", "all"... */
  protocol: Setting<string>;
  fromPort: Setting<number>;
  toPort: Setting<number>;
  /** Each source CIDR with the line that names it. */
  cidrs: { value: Maybe<string>; at: LineRange }[];
}

export interface PublicAccessBlock {
  at: LineRange;
  /** The four switches; a missing one is false. */
  flags: Setting<boolean>[];
}

export interface Bucket {
  resource: AwsResource;
  /** undefined: none found for this bucket; UNKNOWN: one exists whose bucket we cannot tell. */
  publicAccessBlock: Maybe<PublicAccessBlock> | undefined;
  /** Default encryption configured. */
  encryption: Maybe<boolean>;
  versioning: Setting<boolean>;
  logging: Maybe<boolean>;
  /** Other buckets deliver their access logs here (a log bucket does not log itself). */
  isLogTarget: boolean;
}

export interface BucketAcl {
  resource: AwsResource;
  acl: Setting<string>;
}

export interface Volume {
  resource: AwsResource;
  encrypted: Setting<boolean>;
}

export interface Toggle {
  resource: AwsResource;
  setting: Setting<boolean>;
}

export interface Database {
  resource: AwsResource;
  kind: 'instance' | 'cluster';
  /** Encryption, backups and deletion protection are decided elsewhere (cluster member, replica, snapshot). */
  inherits: boolean;
  storageEncrypted: Setting<boolean>;
  publiclyAccessible: Setting<boolean>;
  backupRetention: Setting<number>;
  deletionProtection: Setting<boolean>;
}

/** A list inside a policy statement (`Action`, `Resource`...). */
export interface StatementList {
  name: string;
  values: Maybe<Maybe<string>[]>;
  at: LineRange;
}

export interface Statement {
  at: LineRange;
  effect: Maybe<string>;
  action?: StatementList;
  notAction?: StatementList;
  resource?: StatementList;
  /** Principal is everyone ("*", {"AWS": "*"}); `at` is where. */
  publicPrincipal?: { value: Maybe<boolean>; at: LineRange };
  hasCondition: Maybe<boolean>;
}

export interface PolicyDocument {
  resource: AwsResource;
  /** What holds it, for messages: `policy`, `PolicyDocument`, `statement`... */
  where: string;
  statements: Statement[];
}

export interface Trail {
  resource: AwsResource;
  logging: Setting<boolean>;
  multiRegion: Setting<boolean>;
  logFileValidation: Setting<boolean>;
  kmsKey: Setting<boolean>;
}

export interface Compute {
  resource: AwsResource;
  kind: 'instance' | 'launch template' | 'launch configuration';
  /** Instance metadata options; undefined when the resource type cannot set them. */
  metadata?: { httpTokens: Setting<string>; httpEndpoint: Setting<string>; at?: LineRange };
  publicIps: Setting<boolean>[];
  /** Every EBS volume declared (root, extra, mappings); `encrypted` absent means unencrypted. */
  volumes: { label: string; encrypted: Setting<boolean>; at: LineRange }[];
}

export interface EksCluster {
  resource: AwsResource;
  publicAccess: Setting<boolean>;
  publicAccessCidrs: { values: Maybe<Maybe<string>[]>; at?: LineRange };
  /** Envelope encryption of Secrets: absent, or the resources list that should hold "secrets". */
  secretsEncryption: Maybe<boolean>;
  encryptionAt?: LineRange;
}

export interface EcrRepository {
  resource: AwsResource;
  tagMutability: Setting<string>;
  scanOnPush: Setting<boolean>;
}

export interface ContainerDefinition {
  name: Maybe<string>;
  at: LineRange;
  privileged: Setting<boolean>;
}

export interface TaskDefinition {
  resource: AwsResource;
  networkMode: Setting<string>;
  containers: Maybe<ContainerDefinition[]>;
}

export interface KmsKey {
  resource: AwsResource;
  rotation: Setting<boolean>;
  /** Only symmetric encryption keys can rotate automatically. */
  symmetric: Maybe<boolean>;
}

export interface Listener {
  resource: AwsResource;
  protocol: Setting<string>;
  /** Every default action redirects (to HTTPS). */
  redirects: Maybe<boolean>;
}

export interface AwsModel {
  ingressRules: IngressRule[];
  buckets: Bucket[];
  /** Canned ACLs set on buckets (on the bucket or by a separate ACL resource). */
  bucketAcls: BucketAcl[];
  volumes: Volume[];
  /** Account-level EBS encryption by default. */
  ebsDefaultEncryption: Toggle[];
  databases: Database[];
  policies: PolicyDocument[];
  trails: Trail[];
  compute: Compute[];
  eksClusters: EksCluster[];
  ecrRepositories: EcrRepository[];
  taskDefinitions: TaskDefinition[];
  kmsKeys: KmsKey[];
  listeners: Listener[];
}
