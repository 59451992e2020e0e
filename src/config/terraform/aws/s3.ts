import { boolSetting, stringSetting } from '../../iac/aws/fields.js';
import type { Bucket, BucketAcl, PublicAccessBlock, Setting } from '../../iac/aws/model.js';
import { type Maybe, UNKNOWN } from '../../iac/unknown.js';
import { type Resource, referencedAddress } from '../body.js';
import type { TfFields, TfReader } from './reader.js';

/**
 * S3 buckets with what applies to them, written inline (AWS provider v3) or as separate
 * resources that name the bucket (v4+: aws_s3_bucket_versioning...). A separate resource whose
 * bucket cannot be told (`bucket = var.name`) might be the one: the bucket's state is UNKNOWN.
 */

interface Link {
  address?: string;
  name?: string;
}

interface Companion {
  /** undefined: the resource names no bucket. */
  link: Maybe<Link> | undefined;
  fields: TfFields;
  resource: Resource;
}

const PUBLIC_ACCESS_FLAGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

export function buckets(tf: TfReader): Bucket[] {
  const companions = (type: string, attr = 'bucket'): Companion[] =>
    tf.managed(type).map((r) => {
      const fields = tf.fields(r.block);
      return { link: linkOf(fields, attr), fields, resource: r };
    });
  const accessBlocks = companions('aws_s3_bucket_public_access_block');
  const encryption = companions('aws_s3_bucket_server_side_encryption_configuration');
  const versioning = companions('aws_s3_bucket_versioning');
  const logging = companions('aws_s3_bucket_logging');
  const logTargets = [
    ...logging.map((c) => linkOf(c.fields, 'target_bucket')),
    ...tf
      .managed('aws_s3_bucket')
      .flatMap((r) => tf.fields(r.block).blocks('logging'))
      .map((f) => linkOf(f, 'target_bucket')),
  ];
  const accountWide = tf.managed('aws_s3_account_public_access_block').length > 0;

  return tf.managed('aws_s3_bucket').map((r) => {
    const f = tf.fields(r.block);
    const nameValue = f.get('bucket')?.value;
    const self: Link = {
      address: `aws_s3_bucket.${r.name}`,
      ...(typeof nameValue === 'string' ? { name: nameValue } : {}),
    };
    const mine = (list: Companion[]) => ({
      found: list.filter((c) => c.link !== UNKNOWN && sameBucket(c.link, self)),
      unknown: list.some((c) => c.link === UNKNOWN),
    });
    const presence = (inline: boolean, list: Companion[]): Maybe<boolean> => {
      const m = mine(list);
      return inline || m.found.length > 0 ? true : m.unknown ? UNKNOWN : false;
    };
    const blocks = mine(accessBlocks);
    return {
      resource: tf.resource(r),
      publicAccessBlock: blocks.found[0]
        ? accessBlock(tf, blocks.found[0])
        : blocks.unknown || accountWide
          ? UNKNOWN
          : undefined,
      encryption: presence(f.blocks('server_side_encryption_configuration').length > 0, encryption),
      versioning: versioningOf(f, mine(versioning)),
      logging: presence(f.blocks('logging').length > 0, logging),
      isLogTarget: logTargets.some((l) => l !== undefined && l !== UNKNOWN && sameBucket(l, self)),
    };
  });
}

function linkOf(f: TfFields, attr: string): Maybe<Link> | undefined {
  const field = f.get(attr);
  if (!field) return undefined;
  const address = field.expr ? referencedAddress(field.expr) : undefined;
  if (address) return { address };
  return typeof field.value === 'string' ? { name: field.value } : UNKNOWN;
}

function sameBucket(link: Link | undefined, bucket: Link): boolean {
  if (!link) return false;
  return link.address === bucket.address || (link.name !== undefined && link.name === bucket.name);
}

function accessBlock(tf: TfReader, c: Companion): PublicAccessBlock {
  return {
    at: tf.resource(c.resource).header,
    flags: PUBLIC_ACCESS_FLAGS.map((name) => boolSetting(c.fields, name, false)),
  };
}

function versioningOf(
  bucket: TfFields,
  separate: { found: Companion[]; unknown: boolean },
): Setting<boolean> {
  const inline = bucket.blocks('versioning')[0];
  if (inline) return boolSetting(inline, 'enabled', false);
  const config = separate.found[0]?.fields.blocks('versioning_configuration')[0];
  if (config) {
    const status = stringSetting(config, 'status', UNKNOWN);
    return { ...status, value: status.value === UNKNOWN ? UNKNOWN : status.value === 'Enabled' };
  }
  return { value: separate.unknown ? UNKNOWN : false, name: 'versioning' };
}

/** Canned ACLs: `acl` on the bucket (v3) or on aws_s3_bucket_acl. */
export function bucketAcls(tf: TfReader): BucketAcl[] {
  return tf.managed('aws_s3_bucket', 'aws_s3_bucket_acl').flatMap((r) => {
    const acl = stringSetting(tf.fields(r.block), 'acl', UNKNOWN);
    return acl.at ? [{ resource: tf.resource(r), acl }] : [];
  });
}
