import { isUnknown } from '../../unknown.js';
import { type AwsCheck, CIS_AWS, hitAt } from '../hits.js';
import type { PolicyDocument, Statement, StatementList } from '../model.js';

const IAM_DOCS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide';

function known(list: StatementList | undefined): string[] {
  if (!list || isUnknown(list.values)) return [];
  return list.values.filter((v): v is string => typeof v === 'string');
}

/** IAM action patterns: `*` and `?` wildcards, case-insensitive. */
function matches(pattern: string, action: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(action);
}

const isEverything = (action: string): boolean => action === '*' || action === '*:*';

function* allowStatements(policies: readonly PolicyDocument[]): Generator<[PolicyDocument, Statement]> {
  for (const p of policies) for (const s of p.statements) if (s.effect === 'Allow') yield [p, s];
}

export const fullAdminPolicy: AwsCheck = {
  id: 'RF-AWS-016',
  title: 'IAM policy allows every action on every resource',
  severity: 'HIGH',
  description:
    'A statement allows Action "*" on Resource "*": whoever holds the policy is an administrator of the account, and a leaked credential or compromised workload gives the attacker everything.',
  remediation:
    'Grant only the actions and resources the role needs (start from AWS managed job-function policies or IAM Access Analyzer policy generation); keep administrator access for break-glass roles.',
  references: [`${IAM_DOCS}/best-practices.html#grant-least-privilege`, CIS_AWS],
  frameworks: { 'cis-aws': '1.16' },
  *run(m) {
    for (const [p, s] of allowStatements(m.policies)) {
      if (known(s.action).some(isEverything) && known(s.resource).includes('*'))
        yield hitAt(p.resource, s.action!.at, `${p.resource.address} (${p.where}) allows "*" on "*"`);
    }
  },
};

export const passRoleOnAnyRole: AwsCheck = {
  id: 'RF-AWS-017',
  title: 'IAM policy allows iam:PassRole on any role',
  severity: 'HIGH',
  description:
    'iam:PassRole on Resource "*" lets the holder hand any role in the account, administrator roles included, to a service it controls (an EC2 instance, a Lambda function) and act with that role: a direct privilege escalation.',
  remediation: 'Limit iam:PassRole to the ARNs of the specific roles, with an iam:PassedToService condition.',
  references: [`${IAM_DOCS}/id_roles_use_passrole.html`],
  *run(m) {
    for (const [p, s] of allowStatements(m.policies)) {
      const actions = known(s.action);
      if (actions.some(isEverything) || !known(s.resource).includes('*')) continue;
      const pass = actions.find((a) => matches(a, 'iam:PassRole'));
      if (pass)
        yield hitAt(p.resource, s.action!.at, `${p.resource.address} (${p.where}) allows ${pass} on "*"`);
    }
  },
};

export const allowNotAction: AwsCheck = {
  id: 'RF-AWS-018',
  title: 'IAM policy allows with NotAction',
  severity: 'MEDIUM',
  description:
    'An Allow statement with NotAction grants every action except those listed, including every action AWS adds in the future. It is almost always far broader than intended.',
  remediation: 'List the allowed actions with Action; use NotAction only in Deny statements.',
  references: [`${IAM_DOCS}/reference_policies_elements_notaction.html`],
  *run(m) {
    for (const [p, s] of allowStatements(m.policies)) {
      if (s.notAction)
        yield hitAt(p.resource, s.notAction.at, `${p.resource.address} (${p.where}) allows NotAction`);
    }
  },
};

export const publicPrincipal: AwsCheck = {
  id: 'RF-AWS-006',
  title: 'Resource policy allows access to everyone',
  severity: 'HIGH',
  description:
    'A policy statement allows Principal "*" (or {"AWS": "*"}) without a condition: any AWS account, and for S3 anyone on the internet, gets the allowed actions on the bucket, queue, topic, key or role.',
  remediation:
    'Name the accounts, roles or services that need access, or add a condition that narrows the principal (aws:SourceVpce, aws:PrincipalOrgID, aws:SourceArn).',
  references: [
    `${IAM_DOCS}/reference_policies_elements_principal.html`,
    `https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status`,
  ],
  *run(m) {
    for (const [p, s] of allowStatements(m.policies)) {
      if (s.publicPrincipal?.value === true && s.hasCondition === false)
        yield hitAt(
          p.resource,
          s.publicPrincipal.at,
          `${p.resource.address} (${p.where}) allows everyone ("*")`,
        );
    }
  },
};
