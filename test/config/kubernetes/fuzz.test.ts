import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigParseError } from '../../../src/config/engine/check.js';
import { scanSource } from '../../../src/config/engine/scan-source.js';
import { summarizeNamespaces } from '../../../src/config/kubernetes/checks/namespaces.js';
import { kubernetesKind } from '../../../src/config/kubernetes/kind.js';
import { parseManifests } from '../../../src/config/kubernetes/parse-manifests.js';
import type { PssLevel } from '../../../src/config/kubernetes/pss/control.js';
import { evaluatePod } from '../../../src/config/kubernetes/pss/evaluate.js';

const scan = (text: string, path = 'm.yaml') =>
  scanSource(kubernetesKind, { path, text, companions: new Map() });
/** YAML as kubectl reads it (1.1), so strings such as `yes` stay strings. */
const toYaml = (doc: unknown): string => stringify(doc, { version: '1.1' });

/** YAML fragments, valid and broken, to combine at random. */
const fragment = fc.oneof(
  fc.constantFrom(
    'apiVersion: v1',
    'apiVersion: apps/v1',
    'kind: Pod',
    'kind: List',
    'kind: Deployment',
    'items:',
    '  - kind: Pod',
    'spec:',
    '  template:',
    '  containers:',
    '    - name: app',
    '      securityContext: {privileged: true, capabilities: {add: [ALL]}}',
    '  volumes: [{name: v, hostPath: {path: /}}]',
    'metadata: {name: x, namespace: default}',
    'rules: [{verbs: ["*"]}]',
    '---',
    '<<: *a',
    '&a {kind: Pod}',
    '[',
    '{',
    ': :',
    '\t- tab',
  ),
  fc.string({ maxLength: 30 }),
);
const manifestText = fc.array(fragment, { maxLength: 25 }).map((ls) => ls.join('\n'));

/** Arbitrary values where manifests put their settings, including wrong types. */
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 12 }),
    fc.integer({ min: -2, max: 70000 }),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(
      'ALL',
      'SYS_ADMIN',
      'Unconfined',
      'RuntimeDefault',
      'Default',
      'Unmasked',
      '/var/run/docker.sock',
      '*',
      'windows',
    ),
    fc.array(tie('any'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom(
        'type',
        'add',
        'drop',
        'name',
        'path',
        'host',
        'hostPort',
        'value',
        'hostProcess',
        'user',
        '__proto__',
      ),
      tie('any'),
      { maxKeys: 3 },
    ),
  ),
})).any;

const securityContextKeys = fc.constantFrom(
  'privileged',
  'capabilities',
  'allowPrivilegeEscalation',
  'runAsNonRoot',
  'runAsUser',
  'runAsGroup',
  'seccompProfile',
  'appArmorProfile',
  'seLinuxOptions',
  'procMount',
  'windowsOptions',
  'readOnlyRootFilesystem',
  'sysctls',
  'fsGroup',
  'supplementalGroups',
);
const container = fc.record(
  {
    name: fc.constantFrom('app', 'side'),
    image: fc.constantFrom('nginx', 'nginx:latest', 'nginx:1.27', 'x@sha256:00'),
    securityContext: fc.dictionary(securityContextKeys, value, { maxKeys: 5 }),
    ports: fc.array(fc.record({ containerPort: fc.constant(80), hostPort: value }), { maxLength: 2 }),
    env: fc.array(fc.record({ name: fc.constantFrom('DB_PASSWORD', 'MODE'), value }), { maxLength: 2 }),
    livenessProbe: value,
  },
  { requiredKeys: ['name'] },
);
const podSpec = fc.record(
  {
    containers: fc.array(container, { minLength: 1, maxLength: 2 }),
    initContainers: fc.array(container, { maxLength: 1 }),
    securityContext: fc.dictionary(securityContextKeys, value, { maxKeys: 5 }),
    hostNetwork: value,
    hostPID: value,
    hostUsers: value,
    os: fc.record({ name: fc.constantFrom('linux', 'windows') }),
    volumes: fc.array(
      fc.dictionary(fc.constantFrom('name', 'hostPath', 'emptyDir', 'nfs', 'secret'), value, { maxKeys: 2 }),
      {
        maxLength: 2,
      },
    ),
    automountServiceAccountToken: value,
  },
  { requiredKeys: ['containers'] },
);
const annotations = fc.dictionary(
  fc.constantFrom(
    'container.apparmor.security.beta.kubernetes.io/app',
    'seccomp.security.alpha.kubernetes.io/pod',
    'container.seccomp.security.alpha.kubernetes.io/app',
  ),
  fc.constantFrom('', 'unconfined', 'runtime/default', 'localhost/p'),
  { maxKeys: 2 },
);

function verdicts(text: string, path = 'm.yaml'): string[][] {
  const file = parseManifests({ path, text, companions: new Map() });
  return file.pods.flatMap((pod) =>
    (['baseline', 'restricted'] as PssLevel[]).flatMap((level) =>
      [0, 19, 25, 35, 37].map((minor) => evaluatePod(pod, level, minor).map((r) => r.control.control)),
    ),
  );
}

describe('Kubernetes parser and checks, properties', () => {
  it('either parses or throws a ConfigParseError, for any text', () => {
    fc.assert(
      fc.property(manifestText, (text) => {
        try {
          summarizeNamespaces(parseManifests({ path: 'm.yaml', text, companions: new Map() }));
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigParseError);
        }
      }),
      { numRuns: 800 },
    );
  });

  it('scanning never throws: malformed is one error entry, otherwise findings point inside the file', () => {
    fc.assert(
      fc.property(manifestText, (text) => {
        const result = scan(text);
        expect(result.errors.filter((e) => e.ruleId !== undefined)).toEqual([]);
        if (result.errors.length > 0) expect([result.errors.length, result.findings.length]).toEqual([1, 0]);
        const total = text.split(/\r?\n/).length;
        for (const f of result.findings) {
          expect(f.location.line).toBeGreaterThanOrEqual(1);
          expect(f.location.endLine).toBeLessThanOrEqual(total);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('runs every check on arbitrary pods without a failing check, with lines inside the file', () => {
    fc.assert(
      fc.property(podSpec, annotations, (spec, notes) => {
        const text = toYaml({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', annotations: notes },
          spec,
        });
        const result = scan(text);
        expect(result.errors).toEqual([]);
        const total = text.split('\n').length;
        for (const f of result.findings) expect(f.location.endLine).toBeLessThanOrEqual(total);
      }),
      { numRuns: 500 },
    );
  });

  it('judges a pod the same as a Pod, in a Deployment, a CronJob, a List, and written as JSON', () => {
    fc.assert(
      fc.property(podSpec, annotations, (spec, notes) => {
        const template = { metadata: { annotations: notes }, spec };
        const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: notes }, spec };
        const expected = verdicts(toYaml(pod));
        const wrapped = [
          { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template } },
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            metadata: { name: 'c' },
            spec: { schedule: '@daily', jobTemplate: { spec: { template } } },
          },
          { apiVersion: 'v1', kind: 'List', items: [pod] },
        ];
        for (const doc of wrapped) expect(verdicts(toYaml(doc))).toEqual(expected);
        expect(verdicts(JSON.stringify(pod, null, 1), 'p.json')).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
