import type { Check, CheckMeta, Hit } from '../../engine/check.js';
import type { KubernetesFile, ManifestObject } from '../model.js';
import { isKind } from '../resources.js';
import { field, listOf, recordAt, stringOf } from '../values.js';
import { hitOnObject } from './object-hits.js';

const RBAC_REF = 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/';
const RBAC_GOOD_PRACTICES = 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/';

interface Rule {
  index: number;
  apiGroups: readonly unknown[];
  resources: readonly unknown[];
  verbs: readonly unknown[];
}

function rulesOf(obj: ManifestObject): Rule[] {
  return listOf(field(obj.fields, 'rules')).map((rule, index) => ({
    index,
    apiGroups: listOf(field(rule, 'apiGroups')),
    resources: listOf(field(rule, 'resources')),
    verbs: listOf(field(rule, 'verbs')),
  }));
}

/** A check over the rules of every Role and ClusterRole (or only `kinds`). */
function ruleCheck(
  meta: CheckMeta,
  find: (role: ManifestObject, rule: Rule) => Iterable<Hit>,
  kinds: string[] = ['Role', 'ClusterRole'],
): Check<KubernetesFile> {
  return {
    ...meta,
    *run(file) {
      for (const obj of file.objects) {
        if (isKind(obj, ...kinds)) for (const rule of rulesOf(obj)) yield* find(obj, rule);
      }
    },
  };
}

export const rbacWildcard = ruleCheck(
  {
    id: 'RF-K8S-030',
    title: 'RBAC rule uses a wildcard',
    severity: 'HIGH',
    description:
      '"*" in verbs, resources or apiGroups grants everything of that kind, including verbs and resources added later (custom resources, new subresources): far more than whoever wrote the role meant to give.',
    remediation: 'List the API groups, resources and verbs the subject needs, one rule per set of resources.',
    references: [RBAC_REF, RBAC_GOOD_PRACTICES],
    frameworks: { 'cis-kubernetes': '5.1.3' },
  },
  function* (role, rule) {
    for (const key of ['apiGroups', 'resources', 'verbs'] as const) {
      if (rule[key].includes('*')) {
        yield hitOnObject(role, ['rules', rule.index, key], `rule ${rule.index + 1} grants "*" in ${key}`);
      }
    }
  },
);

const ESCALATING_VERBS = ['escalate', 'bind', 'impersonate'];

export const rbacEscalation = ruleCheck(
  {
    id: 'RF-K8S-031',
    title: 'RBAC rule allows privilege escalation',
    severity: 'HIGH',
    description:
      'escalate lets a subject write roles with permissions it does not have, bind lets it bind any role to itself, and impersonate lets it act as another user, group or service account: each is a path to cluster-admin.',
    remediation:
      'Remove escalate, bind and impersonate; grant them only to tightly controlled administrative identities.',
    references: [RBAC_GOOD_PRACTICES],
    frameworks: { 'cis-kubernetes': '5.1.8' },
  },
  function* (role, rule) {
    const found = ESCALATING_VERBS.filter((verb) => rule.verbs.includes(verb));
    if (found.length > 0) {
      yield hitOnObject(
        role,
        ['rules', rule.index, 'verbs'],
        `rule ${rule.index + 1} grants ${found.join(', ')}`,
      );
    }
  },
);

const READ_VERBS = ['get', 'list', 'watch', '*'];

export const clusterSecretsRead = ruleCheck(
  {
    id: 'RF-K8S-032',
    title: 'ClusterRole can read Secrets',
    severity: 'HIGH',
    description:
      'get, list or watch on secrets in a ClusterRole, once bound cluster-wide, reads every Secret of every namespace: service account tokens, TLS keys, database passwords. list and watch return the values too.',
    remediation:
      'Grant Secret access with a Role in the one namespace that needs it, limited by resourceNames to the Secrets it uses.',
    references: [RBAC_GOOD_PRACTICES],
    frameworks: { 'cis-kubernetes': '5.1.2', 'mitre-attack': 'T1552.007' },
  },
  function* (role, rule) {
    const coreGroup = rule.apiGroups.includes('') || rule.apiGroups.includes('*');
    const secrets = rule.resources.includes('secrets') || rule.resources.includes('*');
    const verbs = READ_VERBS.filter((verb) => rule.verbs.includes(verb));
    if (coreGroup && secrets && verbs.length > 0) {
      yield hitOnObject(
        role,
        ['rules', rule.index, 'resources'],
        `rule ${rule.index + 1} grants ${verbs.join(', ')} on secrets in every namespace`,
      );
    }
  },
  ['ClusterRole'],
);

function* bindings(file: KubernetesFile): Generator<ManifestObject> {
  for (const obj of file.objects) if (isKind(obj, 'RoleBinding', 'ClusterRoleBinding')) yield obj;
}

export const clusterAdminBinding: Check<KubernetesFile> = {
  id: 'RF-K8S-033',
  title: 'Binding to cluster-admin',
  severity: 'HIGH',
  description:
    'cluster-admin can do anything to any resource: a binding to it makes its subjects, and whoever steals their credentials, owners of the cluster (in a RoleBinding, of the whole namespace).',
  remediation:
    'Bind a role with only the permissions the subjects need; keep cluster-admin for break-glass accounts.',
  references: [RBAC_REF, RBAC_GOOD_PRACTICES],
  frameworks: { 'cis-kubernetes': '5.1.1', 'mitre-attack': 'T1098' },
  *run(file) {
    for (const binding of bindings(file)) {
      const ref = recordAt(binding.fields, 'roleRef');
      if (
        stringOf(field(ref, 'kind')) === 'ClusterRole' &&
        stringOf(field(ref, 'name')) === 'cluster-admin'
      ) {
        yield hitOnObject(binding, ['roleRef', 'name'], 'binds cluster-admin');
      }
    }
  },
};

/** Subjects that mean "anyone": no credentials at all, or any authenticated identity. */
const EVERYONE: Readonly<Record<string, readonly string[]>> = {
  User: ['system:anonymous'],
  Group: ['system:unauthenticated', 'system:authenticated'],
};

export const bindingToEveryone: Check<KubernetesFile> = {
  id: 'RF-K8S-034',
  title: 'Role bound to anonymous or all users',
  severity: 'CRITICAL',
  description:
    'system:anonymous and system:unauthenticated are requests with no credentials at all; system:authenticated is every identity the API server accepts (on some managed clusters, any account of the cloud provider). A role bound to them is granted to the world.',
  remediation: 'Bind the role to the specific users, groups or service accounts that need it.',
  references: [RBAC_REF, RBAC_GOOD_PRACTICES],
  frameworks: { 'mitre-attack': 'T1078' },
  *run(file) {
    for (const binding of bindings(file)) {
      for (const [i, subject] of listOf(field(binding.fields, 'subjects')).entries()) {
        const kind = stringOf(field(subject, 'kind')) ?? '';
        const name = stringOf(field(subject, 'name')) ?? '';
        if (Object.hasOwn(EVERYONE, kind) && EVERYONE[kind]!.includes(name)) {
          yield hitOnObject(binding, ['subjects', i], `binds ${kind} ${name}`);
        }
      }
    }
  },
};
