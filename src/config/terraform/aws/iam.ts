import { policyStatements } from '../../iac/aws/documents.js';
import { stringSetting } from '../../iac/aws/fields.js';
import type { PolicyDocument, Statement, StatementList } from '../../iac/aws/model.js';
import { asString, isUnknown, type Maybe, UNKNOWN } from '../../iac/unknown.js';
import { jsonDocument } from './json-document.js';
import type { TfField, TfFields, TfReader } from './reader.js';

/**
 * Policy documents: attributes that hold one (jsonencode(...), a heredoc or a JSON string) and
 * `data "aws_iam_policy_document"` statements. A document that comes from a data source
 * (`policy = data.aws_iam_policy_document.x.json`) is checked once, at the data source.
 */

const POLICY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_iam_policy: ['policy'],
  aws_iam_role_policy: ['policy'],
  aws_iam_user_policy: ['policy'],
  aws_iam_group_policy: ['policy'],
  aws_iam_role: ['assume_role_policy'],
  aws_s3_bucket: ['policy'],
  aws_s3_bucket_policy: ['policy'],
  aws_sqs_queue: ['policy'],
  aws_sqs_queue_policy: ['policy'],
  aws_sns_topic: ['policy'],
  aws_sns_topic_policy: ['policy'],
  aws_kms_key: ['policy'],
  aws_ecr_repository_policy: ['policy'],
  aws_secretsmanager_secret_policy: ['policy'],
};

export function policyDocuments(tf: TfReader): PolicyDocument[] {
  const out: PolicyDocument[] = [];
  for (const [type, attrs] of Object.entries(POLICY_ATTRIBUTES)) {
    for (const r of tf.managed(type)) {
      const f = tf.fields(r.block);
      const holders = [
        { f, attrs },
        ...(type === 'aws_iam_role'
          ? f.blocks('inline_policy').map((b) => ({ f: b, attrs: ['policy'] }))
          : []),
      ];
      for (const { f: holder, attrs: names } of holders) {
        for (const name of names) {
          const field = holder.get(name);
          if (field)
            out.push({ resource: tf.resource(r), where: name, statements: fromAttribute(tf, field) });
        }
      }
    }
  }
  for (const r of tf.data('aws_iam_policy_document')) {
    const statements = tf
      .fields(r.block)
      .blocks('statement')
      .map((s) => fromStatementBlock(s));
    out.push({ resource: tf.resource(r), where: 'statement', statements });
  }
  return out;
}

function fromAttribute(tf: TfReader, field: TfField): Statement[] {
  const { value, reader } = jsonDocument(tf, field);
  return policyStatements(value, reader);
}

function fromStatementBlock(s: TfFields): Statement {
  const statement: Statement = {
    at: s.at,
    effect: stringSetting(s, 'effect', 'Allow').value,
    hasCondition: s.blocks('condition').length > 0,
  };
  const action = list(s, 'actions');
  const notAction = list(s, 'not_actions');
  const resource = list(s, 'resources');
  if (action) statement.action = action;
  if (notAction) statement.notAction = notAction;
  if (resource) statement.resource = resource;
  const principals = s.blocks('principals');
  if (principals.length > 0) {
    const verdicts = principals.map((p) => ({ at: p.at, everyone: everyone(p) }));
    const hit = verdicts.find((v) => v.everyone === true);
    statement.publicPrincipal = hit
      ? { value: true, at: hit.at }
      : { value: verdicts.some((v) => v.everyone === UNKNOWN) ? UNKNOWN : false, at: principals[0]!.at };
  }
  return statement;
}

function list(s: TfFields, name: string): StatementList | undefined {
  const field = s.get(name);
  if (!field) return undefined;
  const v = field.value;
  return {
    name,
    values: Array.isArray(v) ? v.map(asString) : isUnknown(v) ? UNKNOWN : [asString(v)],
    at: field.at,
  };
}

/** `principals { type = "*" }` or `type = "AWS"` with `"*"` among the identifiers. */
function everyone(p: TfFields): Maybe<boolean> {
  const type = p.get('type')?.value;
  if (type === '*') return true;
  if (isUnknown(type)) return UNKNOWN;
  if (type !== 'AWS') return false;
  const ids = p.get('identifiers')?.value;
  if (!Array.isArray(ids)) return isUnknown(ids) ? UNKNOWN : false;
  return ids.includes('*') ? true : ids.some(isUnknown) ? UNKNOWN : false;
}
