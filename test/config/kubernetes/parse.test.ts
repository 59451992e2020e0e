import { describe, expect, it } from 'vitest';
import { ConfigParseError } from '../../../src/config/engine/check.js';
import { scanSource } from '../../../src/config/engine/scan-source.js';
import { looksLikeManifest } from '../../../src/config/kubernetes/detect.js';
import { kubernetesKind } from '../../../src/config/kubernetes/kind.js';
import { parseManifests } from '../../../src/config/kubernetes/parse-manifests.js';
import { NEWEST_POLICY_MINOR } from '../../../src/config/kubernetes/pss/controls/index.js';
import { k8sVersionSettings, parseK8sVersion } from '../../../src/config/kubernetes/version.js';
import { UserError } from '../../../src/util/errors.js';

const yaml = (...l: string[]): string => `${l.join('\n')}\n`;
const source = (text: string, path = 'm.yaml') => ({ path, text, companions: new Map<string, string>() });
const parse = (text: string) => parseManifests(source(text));

/** A privileged container spec, indented to sit at `indent`. */
const privilegedPodSpec = (indent: number): string[] =>
  [
    'spec:',
    '  containers:',
    '    - name: app',
    '      image: nginx:1.27',
    '      securityContext: {privileged: true}',
  ].map((l) => ' '.repeat(indent) + l);

const WORKLOADS: [kind: string, apiVersion: string, lines: string[]][] = [
  ['Pod', 'v1', privilegedPodSpec(0)],
  ['PodTemplate', 'v1', ['template:', ...privilegedPodSpec(2)]],
  ['ReplicationController', 'v1', ['spec:', '  template:', ...privilegedPodSpec(4)]],
  ['ReplicaSet', 'apps/v1', ['spec:', '  template:', ...privilegedPodSpec(4)]],
  ['Deployment', 'apps/v1', ['spec:', '  template:', ...privilegedPodSpec(4)]],
  ['StatefulSet', 'apps/v1', ['spec:', '  template:', ...privilegedPodSpec(4)]],
  ['DaemonSet', 'apps/v1', ['spec:', '  template:', ...privilegedPodSpec(4)]],
  ['Job', 'batch/v1', ['spec:', '  template:', ...privilegedPodSpec(4)]],
  [
    'CronJob',
    'batch/v1',
    [
      'spec:',
      '  schedule: "@daily"',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      ...privilegedPodSpec(8),
    ],
  ],
];

describe('manifests', () => {
  it.each(WORKLOADS)('finds the pod of a %s and the line of its fields', (kind, apiVersion, lines) => {
    const text = yaml(
      `apiVersion: ${apiVersion}`,
      `kind: ${kind}`,
      'metadata: {name: w, namespace: shop}',
      ...lines,
    );
    const file = parse(text);
    expect(file.pods.map((p) => p.owner)).toEqual([{ kind, name: 'w', namespace: 'shop' }]);
    const privileged = scanSource(kubernetesKind, source(text)).findings.filter(
      (f) => f.ruleId === 'RF-K8S-001',
    );
    expect(privileged.map((f) => [f.location.line, f.details?.resource, f.details?.container])).toEqual([
      [text.split('\n').findIndex((l) => l.includes('privileged')) + 1, `${kind}/w`, 'app'],
    ]);
  });

  it('ignores look-alike kinds from other API groups (a Knative Service, a custom Deployment)', () => {
    const text = yaml(
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata: {name: k}',
      'spec: {type: LoadBalancer, template: {spec: {containers: [{image: "x:1"}]}}}',
      '---',
      'apiVersion: example.com/v1',
      'kind: Deployment',
      'metadata: {name: d}',
      ...privilegedPodSpec(0),
    );
    expect(scanSource(kubernetesKind, source(text)).findings).toEqual([]);
    expect(parse(text).objects.map((o) => [o.kind, o.group])).toEqual([
      ['Service', 'serving.knative.dev'],
      ['Deployment', 'example.com'],
    ]);
  });

  it('reads every document, expands Lists (also nested and typed ones) and skips empty documents and non-objects', () => {
    const text = yaml(
      '# leading comment',
      '---',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: {name: a}',
      '  - apiVersion: apps/v1',
      '    kind: DeploymentList',
      '    items:',
      '      - apiVersion: apps/v1',
      '        kind: Deployment',
      '        metadata: {name: b}',
      '        spec:',
      '          template:',
      ...privilegedPodSpec(12),
      '---',
      '---',
      '- just a list',
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {generateName: c-}',
    );
    const file = parse(text);
    expect(file.objects.map((o) => [o.kind, o.name, o.range.line])).toEqual([
      ['ConfigMap', 'a', 6],
      ['Deployment', 'b', 12],
      ['Secret', 'c-', 26],
    ]);
    const privileged = scanSource(kubernetesKind, source(text)).findings.find(
      (f) => f.ruleId === 'RF-K8S-001',
    );
    expect(privileged?.location.line).toBe(21);
  });

  it('reads JSON manifests, with lines', () => {
    const text = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'j' },
        spec: { hostPID: true, containers: [{ name: 'app', image: 'nginx:1.27' }] },
      },
      null,
      2,
    );
    const hits = scanSource(kubernetesKind, source(text, 'pod.json')).findings.filter(
      (f) => f.ruleId === 'RF-K8S-002',
    );
    expect(hits.map((f) => [f.location.line, f.location.snippet])).toEqual([[8, '    "hostPID": true,']]);
  });

  it('reads YAML as kubectl does (1.1: yes is true, 0644 is octal)', () => {
    const file = parse(
      yaml(
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: p}',
        'spec:',
        '  hostNetwork: yes',
        '  containers: [{name: app, image: "nginx:1.27"}]',
        '  volumes: [{name: c, configMap: {name: c, defaultMode: 0644}}]',
      ),
    );
    expect(file.pods[0]!.spec.hostNetwork).toBe(true);
    expect(JSON.stringify(file.pods[0]!.spec.volumes)).toContain('"defaultMode":420');
  });

  it('turns malformed YAML into one error with its line', () => {
    const broken = yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: [p', 'spec: {}');
    const scan = scanSource(kubernetesKind, source(broken));
    expect(scan.findings).toEqual([]);
    expect(scan.errors).toEqual([
      {
        path: 'm.yaml',
        kind: 'kubernetes',
        message: expect.stringMatching(/^invalid YAML: /),
        line: expect.any(Number),
      },
    ]);
    expect(() => parse(yaml('apiVersion: v1', 'kind: Pod', 'kind: Pod'))).toThrow(ConfigParseError);
    const json = scanSource(
      kubernetesKind,
      source('{\n  "apiVersion": "v1",\n  "kind": "Pod",\n}\n', 'p.json'),
    );
    expect(json.errors.map((e) => [e.line, e.message.startsWith('invalid JSON: ')])).toEqual([[4, true]]);
  });
});

describe('recognising manifests by content', () => {
  it.each([
    ['deploy.yaml', yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: x}')],
    ['all.yml', yaml('---', '# c', 'apiVersion: v1', 'kind: List', 'items: []')],
    ['quoted.yaml', yaml('"apiVersion": v1', '"kind": "Pod"')],
    ['pod.json', '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}}'],
    ['broken.json', '{"apiVersion": "v1", "kind": "Pod", '],
  ])('claims %s', (path, text) => {
    expect(looksLikeManifest(text, path)).toBe(true);
  });

  it.each([
    ['compose.yaml', yaml('services:', '  web: {image: nginx}')],
    ['values.yaml', yaml('image:', '  kind: nginx', '  apiVersion: 2')],
    [
      'chart/templates/deploy.yaml',
      yaml('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: {{ .Release.Name }}'),
    ],
    ['cdk.json', '{"Resources": {"M": {"Properties": {"Manifest": {"apiVersion": "v1", "kind": "Pod"}}}}}'],
    ['package.json', '{"name": "x", "version": "1.0.0"}'],
  ])('leaves %s alone', (path, text) => {
    expect(looksLikeManifest(text, path)).toBe(false);
  });
});

describe('--k8s-version', () => {
  it('takes 1.N, v1.N, 1.N.P and latest; newer than the newest policy is the newest', () => {
    expect(['1.30', 'v1.25', '1.19.4', ' v1.0 ', 'latest', '1.500'].map(parseK8sVersion)).toEqual([
      30,
      25,
      19,
      0,
      NEWEST_POLICY_MINOR,
      NEWEST_POLICY_MINOR,
    ]);
    expect(['2.0', '1', '1.x', 'v1.30-rc1', ''].map(parseK8sVersion)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('is a user error on the command line and a file error when it reaches a parser unchecked', () => {
    expect(k8sVersionSettings('1.29')).toEqual({ 'k8s-version': '1.29' });
    expect(k8sVersionSettings(undefined)).toBeUndefined();
    expect(() => k8sVersionSettings('one')).toThrow(UserError);
    const scan = scanSource(kubernetesKind, {
      ...source(yaml('apiVersion: v1', 'kind: Pod')),
      settings: { 'k8s-version': 'one' },
    });
    expect(scan.errors.map((e) => e.message)).toEqual([
      '--k8s-version: "one" is not a Kubernetes version such as 1.30',
    ]);
  });
});
