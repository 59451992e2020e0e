import { describe, expect, it } from 'vitest';
import { scanSource } from '../../../src/config/engine/scan-source.js';
import { kubernetesKind } from '../../../src/config/kubernetes/kind.js';
import { parseManifests } from '../../../src/config/kubernetes/parse-manifests.js';
import type { PssLevel } from '../../../src/config/kubernetes/pss/control.js';
import { NEWEST_POLICY_MINOR } from '../../../src/config/kubernetes/pss/controls/index.js';
import { controlsFor, evaluatePod } from '../../../src/config/kubernetes/pss/evaluate.js';

const yaml = (...l: string[]): string => `${l.join('\n')}\n`;

/** A Pod that passes the restricted level at every version, plus `spec` and `container` lines. */
function restrictedPod({
  spec = [],
  container = [],
}: {
  spec?: string[];
  container?: string[];
} = {}): string {
  return yaml(
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: p}',
    'spec:',
    '  securityContext:',
    '    runAsNonRoot: true',
    '    seccompProfile: {type: RuntimeDefault}',
    ...spec.map((l) => `  ${l}`),
    '  containers:',
    '    - name: app',
    '      image: nginx:1.27',
    '      securityContext:',
    '        allowPrivilegeEscalation: false',
    '        capabilities: {drop: [ALL]}',
    ...container.map((l) => `        ${l}`),
  );
}

/** The controls that refuse the pod at `level` and 1.`minor`. */
function refused(text: string, level: PssLevel, minor: number): string[] {
  const pod = parseManifests({ path: 'p.yaml', text, companions: new Map() }).pods[0]!;
  return evaluatePod(pod, level, minor).map((r) => r.control.control);
}

describe('Pod Security Standards per Kubernetes version', () => {
  it('grows the safe sysctls at 1.27, 1.29, 1.32 and 1.37', () => {
    const pod = (name: string) =>
      restrictedPod().replace(
        '    runAsNonRoot: true\n',
        `    runAsNonRoot: true\n    sysctls: [{name: ${name}, value: "1"}]\n`,
      );
    const sysctl = (name: string) => (minor: number) => refused(pod(name), 'baseline', minor);
    expect([26, 27].map(sysctl('net.ipv4.ip_local_reserved_ports'))).toEqual([['sysctls'], []]);
    expect([28, 29].map(sysctl('net.ipv4.tcp_keepalive_time'))).toEqual([['sysctls'], []]);
    expect([31, 32].map(sysctl('net.ipv4.tcp_rmem'))).toEqual([['sysctls'], []]);
    expect([36, 37].map(sysctl('net.ipv4.tcp_notsent_lowat'))).toEqual([['sysctls'], []]);
    expect([NEWEST_POLICY_MINOR].map(sysctl('kernel.msgmax'))).toEqual([['sysctls']]);
  });

  it('reads seccomp annotations before 1.19 and only the fields from 1.19', () => {
    const annotated = yaml(
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '  annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined}',
      'spec: {containers: [{name: app, image: "nginx:1.27"}]}',
    );
    expect(refused(annotated, 'baseline', 18)).toEqual(['seccompProfile_baseline']);
    expect(refused(annotated, 'baseline', 19)).toEqual([]);
    const field = restrictedPod({ container: ['seccompProfile: {type: Unconfined}'] });
    expect(refused(field, 'baseline', 18)).toEqual([]);
    expect(refused(field, 'baseline', 19)).toEqual(['seccompProfile_baseline']);
    expect(refused(field, 'restricted', 19)).toEqual(['seccompProfile_restricted']);
  });

  it('brings in restricted controls at their versions: allowPrivilegeEscalation 1.8, capabilities 1.22, runAsUser 1.23', () => {
    const bare = yaml(
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  securityContext: {runAsNonRoot: true, runAsUser: 0}',
      '  containers: [{name: app, image: "nginx:1.27"}]',
    );
    expect(refused(bare, 'restricted', 7)).toEqual([]);
    expect(refused(bare, 'restricted', 8)).toEqual(['allowPrivilegeEscalation']);
    expect(refused(bare, 'restricted', 22)).toEqual([
      'allowPrivilegeEscalation',
      'seccompProfile_restricted',
      'capabilities_restricted',
    ]);
    expect(refused(bare, 'restricted', 23)).toContain('runAsUser');
  });

  it('lets Windows pods off the Linux-only restricted controls from 1.25', () => {
    const windows = yaml(
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  os: {name: windows}',
      '  securityContext: {runAsNonRoot: true}',
      '  containers: [{name: app, image: "mcr.microsoft.com/windows/nanoserver:ltsc2022"}]',
    );
    expect(refused(windows, 'restricted', 24)).toEqual([
      'allowPrivilegeEscalation',
      'seccompProfile_restricted',
      'capabilities_restricted',
    ]);
    expect(refused(windows, 'restricted', 25)).toEqual([]);
  });

  it('forbids probe and lifecycle hosts from 1.34, and allows container_engine_t from 1.31', () => {
    const probe = restrictedPod({ container: [] }).replace(
      '      image: nginx:1.27\n',
      '      image: nginx:1.27\n      lifecycle: {preStop: {tcpSocket: {host: 10.0.0.1, port: 9}}}\n',
    );
    expect([33, 34].map((m) => refused(probe, 'baseline', m))).toEqual([[], ['hostProbesAndHostLifecycle']]);
    const engine = restrictedPod({ container: ['seLinuxOptions: {type: container_engine_t}'] });
    expect([30, 31].map((m) => refused(engine, 'baseline', m))).toEqual([['seLinuxOptions'], []]);
  });

  it('relaxes procMount, runAsNonRoot and runAsUser for pods in a user namespace from 1.35, at the levels upstream does', () => {
    const userns = yaml(
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  hostUsers: false',
      '  securityContext: {runAsUser: 0, seccompProfile: {type: RuntimeDefault}}',
      '  containers:',
      '    - name: app',
      '      image: nginx:1.27',
      '      securityContext: {procMount: Unmasked, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}',
    );
    expect(refused(userns, 'baseline', 34)).toEqual(['procMount']);
    expect(refused(userns, 'baseline', 35)).toEqual([]);
    expect(refused(userns, 'restricted', 34)).toEqual(['procMount', 'runAsNonRoot', 'runAsUser']);
    expect(refused(userns, 'restricted', 35)).toEqual(['procMount_restricted']);
  });

  it('composes the restricted level from its controls and the baseline ones they do not replace', () => {
    const ids = (level: PssLevel, minor: number) => controlsFor(level, minor).map((c) => c.control);
    expect(ids('baseline', 0)).not.toContain('hostProbesAndHostLifecycle');
    expect(ids('restricted', 21)).toContain('capabilities_baseline');
    expect(ids('restricted', 22)).not.toContain('capabilities_baseline');
    expect(ids('restricted', 22)).toContain('capabilities_restricted');
    expect(ids('restricted', 0)).not.toContain('hostPathVolumes');
    expect(ids('restricted', 35)).not.toContain('procMount');
    expect(ids('restricted', 99)).toEqual(ids('restricted', NEWEST_POLICY_MINOR));
  });
});

describe('PSS findings', () => {
  const scan = (text: string, version?: string) =>
    scanSource(kubernetesKind, {
      path: 'p.yaml',
      text,
      companions: new Map(),
      ...(version ? { settings: { 'k8s-version': version } } : {}),
    }).findings.filter((f) => f.details?.pss);

  it('name the control, its level, the version and the levels that refuse the pod, at the offending line', () => {
    const text = restrictedPod({
      container: ['privileged: true', 'capabilities: {add: [SYS_ADMIN], drop: [ALL]}'],
    });
    const found = scan(text.replace('        capabilities: {drop: [ALL]}\n', ''), '1.30');
    expect(found.map((f) => [f.ruleId, f.location.line, f.details?.pss, f.details?.frameworks])).toEqual([
      [
        'RF-K8S-001',
        13,
        { control: 'privileged', level: 'baseline', version: '1.30', refusedAt: ['baseline', 'restricted'] },
        { pss: 'baseline/privileged', 'cis-kubernetes': '5.2.2', 'mitre-attack': 'T1611' },
      ],
      [
        'RF-K8S-003',
        14,
        { control: 'capabilities_baseline', level: 'baseline', version: '1.30', refusedAt: ['baseline'] },
        { pss: 'baseline/capabilities_baseline', 'cis-kubernetes': '5.2.9', 'mitre-attack': 'T1611' },
      ],
      [
        'RF-K8S-018',
        14,
        {
          control: 'capabilities_restricted',
          level: 'restricted',
          version: '1.30',
          refusedAt: ['restricted'],
        },
        { pss: 'restricted/capabilities_restricted', 'cis-kubernetes': '5.2.10' },
      ],
    ]);
    expect(found[0]!.details?.message).toBe('Pod "p": container "app" sets securityContext.privileged: true');
  });

  it('evaluate the newest policy by default and accept versions past it', () => {
    const text = restrictedPod({ spec: ['hostNetwork: true'] });
    for (const version of [undefined, 'latest', 'v1.99.3']) {
      expect(scan(text, version).map((f) => f.details?.pss)).toEqual([
        {
          control: 'hostNamespaces',
          level: 'baseline',
          version: `1.${NEWEST_POLICY_MINOR}`,
          refusedAt: ['baseline', 'restricted'],
        },
      ]);
    }
  });
});
