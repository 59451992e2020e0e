import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanConfigPath } from '../../../src/config/engine/scan.js';
import { configKinds } from '../../../src/config/kinds.js';
import { scanConfig } from '../../../src/config/scan-config.js';
import { UserError } from '../../../src/util/errors.js';
import { ringfence } from '../../helpers/cli.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rf-k8s-scan-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

const yaml = (...l: string[]): string => `${l.join('\n')}\n`;
const deployment = (name: string, namespace?: string, ...podSpec: string[]): string =>
  yaml(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec:',
    '  template:',
    '    spec:',
    ...podSpec.map((l) => `      ${l}`),
    '      containers: [{name: app, image: "nginx:1.27"}]',
  );

const TREE = {
  'shop/namespace.yaml': yaml('apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: shop'),
  'shop/netpol.yaml': yaml(
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: {name: deny, namespace: shop}',
    'spec: {podSelector: {}}',
  ),
  'shop/web.yaml': deployment('web', 'shop'),
  'billing/api.yaml': deployment('api', 'billing'),
  'billing/worker.yml': deployment('worker', 'billing'),
  'loose/pod.json': JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  }),
  'broken/bad.yaml': yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: [x}'),
  'compose.yaml': yaml('services:', '  web: {image: "nginx:1.27"}'),
  'charts/web/templates/deploy.yaml': yaml(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: {{ .Release.Name }}}',
  ),
  'package.json': '{"name": "x"}',
};

describe('scanning a tree with Kubernetes manifests', () => {
  it('claims manifests by content, reports a malformed one once, and finds namespaces without a NetworkPolicy across files', async () => {
    write(TREE);
    const result = await scanConfigPath(root, { kinds: configKinds });
    const rel = (p: string) => p.slice(root.length + 1);
    expect(result.scanned.map((s) => [rel(s.path), s.kind])).toEqual([
      ['billing/api.yaml', 'kubernetes'],
      ['billing/worker.yml', 'kubernetes'],
      ['compose.yaml', 'compose'],
      ['loose/pod.json', 'kubernetes'],
      ['shop/namespace.yaml', 'kubernetes'],
      ['shop/netpol.yaml', 'kubernetes'],
      ['shop/web.yaml', 'kubernetes'],
    ]);
    expect(result.errors.map((e) => [rel(e.path), e.kind, e.line])).toEqual([
      ['broken/bad.yaml', 'kubernetes', 3],
    ]);
    const netpol = result.findings.filter((f) => f.ruleId === 'RF-K8S-039');
    expect(
      netpol.map((f) => [rel(f.location.path!), f.location.line, f.location.snippet, f.details?.message]),
    ).toEqual([
      [
        'billing/api.yaml',
        5,
        '  namespace: billing',
        'namespace "billing" has no NetworkPolicy in the scanned files (2 workloads in 2 files)',
      ],
      [
        'loose/pod.json',
        1,
        expect.any(String),
        'the namespace the manifests are applied to (none is written) has no NetworkPolicy in the scanned files (1 workload in 1 file)',
      ],
    ]);
  });

  it('honours inline suppressions, also of findings across files', async () => {
    write({
      'ns.yaml': yaml(
        '# ringfence:ignore:RF-K8S-039 policies come from the platform team',
        'apiVersion: v1',
        'kind: Namespace',
        'metadata: {name: shop}',
      ),
      'web.yaml': deployment('web', 'shop', 'hostPID: true  # ringfence:ignore:RF-K8S-002 node agent'),
    });
    const report = await scanConfig(root);
    expect(report.suppressed.map((f) => [f.ruleId, f.details?.ignoredBy])).toEqual([
      [
        'RF-K8S-039',
        {
          file: join(root, 'ns.yaml'),
          line: 1,
          reason: 'policies come from the platform team',
          inline: true,
        },
      ],
      ['RF-K8S-002', { file: join(root, 'web.yaml'), line: 9, reason: 'node agent', inline: true }],
    ]);
    expect(report.findings.some((f) => f.ruleId === 'RF-K8S-039' || f.ruleId === 'RF-K8S-002')).toBe(false);
  });

  it('evaluates the Pod Security Standards of the Kubernetes version asked for', async () => {
    write({
      'web.yaml': deployment(
        'web',
        'shop',
        'securityContext: {sysctls: [{name: net.ipv4.tcp_keepalive_time, value: "600"}]}',
      ),
    });
    const sysctls = async (settings?: Record<string, string>) =>
      (await scanConfig(root, settings ? { settings } : {})).findings
        .filter((f) => f.ruleId === 'RF-K8S-011')
        .map((f) => f.details?.pss);
    expect(await sysctls()).toEqual([]);
    expect(await sysctls({ 'k8s-version': '1.28' })).toEqual([
      { control: 'sysctls', level: 'baseline', version: '1.28', refusedAt: ['baseline', 'restricted'] },
    ]);
  });

  it('is a user error when the only manifest is malformed', async () => {
    write({ 'bad.yaml': TREE['broken/bad.yaml'] });
    await expect(scanConfig(root)).rejects.toThrow(UserError);
  });
});

describe('ringfence config with Kubernetes manifests', () => {
  it('reports findings with --k8s-version, and refuses a version that is not one (exit 2)', async () => {
    write({ 'web.yaml': deployment('web', 'shop', 'hostNetwork: true') });
    const ok = await ringfence(['config', root, '--k8s-version', 'v1.24.3', '--format', 'json']);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout) as {
      findings: { ruleId: string; location: { line: number }; details: { pss?: { version: string } } }[];
    };
    const hostNetwork = report.findings.find((f) => f.ruleId === 'RF-K8S-002')!;
    expect([hostNetwork.location.line, hostNetwork.details.pss?.version]).toEqual([9, '1.24']);
    const bad = await ringfence(['config', root, '--k8s-version', 'one-thirty']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "--k8s-version: expected a Kubernetes version such as 1.30 or latest, got 'one-thirty'",
    );
  });
});
