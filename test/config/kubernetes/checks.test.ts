import { describe, expect, it } from 'vitest';
import { scanSource } from '../../../src/config/engine/scan-source.js';
import { kubernetesChecks, kubernetesTreeChecks } from '../../../src/config/kubernetes/checks/index.js';
import { summarizeNamespaces } from '../../../src/config/kubernetes/checks/namespaces.js';
import { kubernetesKind } from '../../../src/config/kubernetes/kind.js';
import { parseManifests } from '../../../src/config/kubernetes/parse-manifests.js';

/** [manifest, expected [line, endLine] of each finding of the rule]. */
type Bad = [string, [number, number][]];
interface Case {
  bad: Bad[];
  good: string[];
}

const yaml = (...l: string[]): string => `${l.join('\n')}\n`;

/** A Pod: lines 1-5 are its header, `spec` lines start at line 6. */
const pod = (...spec: string[]): string =>
  yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', ...spec.map((l) => `  ${l}`));

/** Pod-spec lines for one container "app": `containers:` (line 6 in a pod), `- name: app` (7), the image (8), then `extra` from line 9. */
const containers = (extra: string[] = [], image = 'nginx:1.27'): string[] => [
  'containers:',
  '  - name: app',
  `    image: ${image}`,
  ...extra.map((l) => `    ${l}`),
];

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

const role = (kind: string, ...rules: string[]): string =>
  yaml(
    'apiVersion: rbac.authorization.k8s.io/v1',
    `kind: ${kind}`,
    'metadata:',
    '  name: r',
    'rules:',
    ...rules,
  );

const binding = (kind: string, ...rest: string[]): string =>
  yaml('apiVersion: rbac.authorization.k8s.io/v1', `kind: ${kind}`, 'metadata:', '  name: b', ...rest);

const service = (...spec: string[]): string =>
  yaml('apiVersion: v1', 'kind: Service', 'metadata:', '  name: s', 'spec:', ...spec.map((l) => `  ${l}`));

const CASES: Record<string, Case> = {
  'RF-K8S-001': {
    bad: [
      [pod(...containers(['securityContext:', '  privileged: true'])), [[10, 10]]],
      [
        pod(
          'initContainers:',
          '  - name: setup',
          '    image: busybox:1.36',
          '    securityContext: {privileged: yes}',
          ...containers(),
        ),
        [[9, 9]],
      ],
    ],
    good: [pod(...containers(['securityContext:', '  privileged: false']))],
  },
  'RF-K8S-002': {
    bad: [
      [
        pod('hostPID: true', 'hostIPC: true', ...containers()),
        [
          [6, 6],
          [7, 7],
        ],
      ],
    ],
    good: [pod('hostNetwork: false', ...containers())],
  },
  'RF-K8S-003': {
    bad: [
      [
        pod(...containers(['securityContext:', '  capabilities:', '    add: [NET_BIND_SERVICE, NET_ADMIN]'])),
        [[11, 11]],
      ],
    ],
    good: [pod(...containers(['securityContext:', '  capabilities:', '    add: [CHOWN, NET_BIND_SERVICE]']))],
  },
  'RF-K8S-004': {
    bad: [
      [pod(...containers(), 'volumes:', '  - name: data', '    hostPath:', '      path: /data'), [[11, 12]]],
    ],
    good: [pod(...containers(), 'volumes:', '  - name: data', '    emptyDir: {}')],
  },
  'RF-K8S-005': {
    bad: [[pod(...containers(['ports:', '  - containerPort: 80', '    hostPort: 8080'])), [[11, 11]]]],
    good: [pod(...containers(['ports:', '  - containerPort: 80', '    hostPort: 0']))],
  },
  'RF-K8S-006': {
    bad: [
      [
        pod(...containers(['livenessProbe:', '  httpGet: {host: 169.254.169.254, path: /, port: 80}'])),
        [[10, 10]],
      ],
    ],
    good: [pod(...containers(['livenessProbe:', '  httpGet: {path: /healthz, port: 80}']))],
  },
  'RF-K8S-007': {
    bad: [
      [pod('securityContext:', '  appArmorProfile: {type: Unconfined}', ...containers()), [[7, 7]]],
      [
        yaml(
          'apiVersion: v1',
          'kind: Pod',
          'metadata:',
          '  name: p',
          '  annotations:',
          '    container.apparmor.security.beta.kubernetes.io/app: unconfined',
          'spec:',
          '  containers: [{name: app, image: "nginx:1.27"}]',
        ),
        [[6, 6]],
      ],
    ],
    good: [pod('securityContext:', '  appArmorProfile: {type: RuntimeDefault}', ...containers())],
  },
  'RF-K8S-008': {
    bad: [
      [
        pod(...containers(['securityContext:', '  seLinuxOptions: {type: spc_t, user: system_u}'])),
        [
          [10, 10],
          [10, 10],
        ],
      ],
    ],
    good: [
      pod(
        ...containers(['securityContext:', '  seLinuxOptions: {type: container_t, level: "s0:c123,c456"}']),
      ),
    ],
  },
  'RF-K8S-009': {
    bad: [[pod(...containers(['securityContext:', '  procMount: Unmasked'])), [[10, 10]]]],
    good: [pod(...containers(['securityContext:', '  procMount: Default']))],
  },
  'RF-K8S-010': {
    bad: [[pod('securityContext:', '  seccompProfile: {type: Unconfined}', ...containers()), [[7, 7]]]],
    good: [
      pod(
        'securityContext:',
        '  seccompProfile: {type: Localhost, localhostProfile: p.json}',
        ...containers(),
      ),
    ],
  },
  'RF-K8S-011': {
    bad: [
      [
        pod(
          'securityContext:',
          '  sysctls:',
          '    - name: kernel.msgmax',
          '      value: "65536"',
          '    - name: net.ipv4.tcp_syncookies',
          '      value: "1"',
          ...containers(),
        ),
        [[8, 9]],
      ],
    ],
    good: [
      pod(
        'securityContext:',
        '  sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: "0"}]',
        ...containers(),
      ),
    ],
  },
  'RF-K8S-012': {
    bad: [
      [pod(...containers(['securityContext:', '  windowsOptions:', '    hostProcess: true'])), [[11, 11]]],
    ],
    good: [pod(...containers(['securityContext:', '  windowsOptions:', '    hostProcess: false']))],
  },
  'RF-K8S-013': {
    bad: [
      [
        pod(...containers(), 'volumes:', '  - name: share', '    nfs: {server: nfs.local, path: /exports}'),
        [[10, 11]],
      ],
    ],
    good: [
      pod(
        ...containers(),
        'volumes:',
        '  - name: implicit-empty-dir',
        '  - name: cfg',
        '    configMap: {name: app}',
      ),
    ],
  },
  'RF-K8S-014': {
    bad: [
      [pod(...containers()), [[7, 7]]],
      [pod(...containers(['securityContext:', '  allowPrivilegeEscalation: true'])), [[10, 10]]],
    ],
    good: [pod(...containers(['securityContext:', '  allowPrivilegeEscalation: false']))],
  },
  'RF-K8S-015': {
    bad: [
      [pod(...containers()), [[7, 7]]],
      [pod('securityContext:', '  runAsNonRoot: false', ...containers()), [[7, 7]]],
    ],
    good: [pod('securityContext:', '  runAsNonRoot: true', ...containers())],
  },
  'RF-K8S-016': {
    bad: [[pod(...containers(['securityContext:', '  runAsUser: 0'])), [[10, 10]]]],
    good: [pod(...containers(['securityContext:', '  runAsUser: 10001']))],
  },
  'RF-K8S-017': {
    bad: [[pod(...containers()), [[7, 7]]]],
    good: [pod('securityContext:', '  seccompProfile: {type: RuntimeDefault}', ...containers())],
  },
  'RF-K8S-018': {
    bad: [
      [pod(...containers()), [[7, 7]]],
      [
        pod(
          ...containers(['securityContext:', '  capabilities:', '    drop: [NET_RAW]', '    add: [CHOWN]']),
        ),
        [
          [11, 11],
          [12, 12],
        ],
      ],
    ],
    good: [
      pod(...containers(['securityContext:', '  capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}'])),
    ],
  },
  'RF-K8S-019': {
    bad: [
      [pod('hostUsers: false', ...containers(['securityContext:', '  procMount: Unmasked'])), [[11, 11]]],
    ],
    good: [pod('hostUsers: false', ...containers(['securityContext:', '  procMount: Default']))],
  },
  'RF-K8S-020': {
    bad: [
      [pod(...containers()), [[7, 7]]],
      [pod(...containers(['resources:', '  limits: {memory: 1Gi}'])), [[10, 10]]],
    ],
    good: [pod(...containers(['resources:', '  limits: {cpu: 500m, memory: 1Gi}']))],
  },
  'RF-K8S-021': {
    bad: [[pod(...containers(['resources:', '  limits: {cpu: 500m, memory: 1Gi}'])), [[9, 10]]]],
    good: [pod(...containers(['resources:', '  requests: {cpu: 100m, memory: 128Mi}']))],
  },
  'RF-K8S-022': {
    bad: [[pod(...containers([], 'nginx:latest')), [[8, 8]]]],
    good: [pod(...containers([], `nginx:latest@${DIGEST}`))],
  },
  'RF-K8S-023': {
    bad: [[pod(...containers([], 'registry.example.com:5000/team/app')), [[8, 8]]]],
    good: [pod(...containers([], `nginx@${DIGEST}`)), pod(...containers([], '$(APP_IMAGE)'))],
  },
  'RF-K8S-024': {
    bad: [[pod(...containers([], 'ghcr.io/acme/app:1.4.2')), [[8, 8]]]],
    good: [
      pod(...containers([], `ghcr.io/acme/app:1.4.2@${DIGEST}`)),
      pod(...containers([], 'nginx:latest')),
    ],
  },
  'RF-K8S-025': {
    bad: [
      [pod(...containers()), [[5, 5]]],
      [pod('automountServiceAccountToken: true', ...containers()), [[6, 6]]],
    ],
    good: [
      pod('automountServiceAccountToken: false', ...containers()),
      yaml(
        'apiVersion: v1',
        'kind: ServiceAccount',
        'metadata: {name: app, namespace: shop}',
        'automountServiceAccountToken: false',
        '---',
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: p, namespace: shop}',
        'spec:',
        '  serviceAccountName: app',
        '  containers: [{name: app, image: "nginx:1.27"}]',
      ),
    ],
  },
  'RF-K8S-026': {
    bad: [
      [pod(...containers()), [[7, 7]]],
      [pod(...containers(['securityContext: {readOnlyRootFilesystem: false}'])), [[9, 9]]],
    ],
    good: [pod(...containers(['securityContext:', '  readOnlyRootFilesystem: true']))],
  },
  'RF-K8S-027': {
    bad: [
      [
        yaml(
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata:',
          '  name: c',
          '  namespace: default',
          'data: {a: "1"}',
        ),
        [[5, 5]],
      ],
    ],
    good: [yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: c', '  namespace: shop')],
  },
  'RF-K8S-028': {
    bad: [
      [
        pod(
          ...containers(),
          'volumes:',
          '  - name: docker',
          '    hostPath: {path: /var/run/docker.sock, type: Socket}',
          '  - name: containerd',
          '    hostPath:',
          '      path: /run/containerd/',
        ),
        [
          [11, 11],
          [14, 14],
        ],
      ],
    ],
    good: [pod(...containers(), 'volumes:', '  - name: data', '    hostPath: {path: /srv/docker-data}')],
  },
  'RF-K8S-029': {
    bad: [
      [
        pod(
          ...containers(),
          'volumes:',
          '  - {name: root, hostPath: {path: /}}',
          '  - {name: kubelet, hostPath: {path: /var/lib/kubelet/pods}}',
          '  - {name: keys, hostPath: {path: /home/ci/.ssh}}',
        ),
        [
          [10, 10],
          [11, 11],
          [12, 12],
        ],
      ],
    ],
    good: [
      pod(
        ...containers(),
        'volumes:',
        '  - {name: tz, hostPath: {path: /etc/localtime}}',
        '  - {name: sock, hostPath: {path: /var/run/docker.sock}}',
      ),
    ],
  },
  'RF-K8S-030': {
    bad: [
      [
        role('ClusterRole', '  - apiGroups: ["*"]', '    resources: [pods]', '    verbs:', '      - "*"'),
        [
          [6, 6],
          [8, 9],
        ],
      ],
    ],
    good: [role('Role', '  - apiGroups: [""]', '    resources: [pods]', '    verbs: [get, list]')],
  },
  'RF-K8S-031': {
    bad: [
      [
        role(
          'Role',
          '  - apiGroups: [rbac.authorization.k8s.io]',
          '    resources: [roles]',
          '    verbs: [get, bind, escalate]',
        ),
        [[8, 8]],
      ],
    ],
    good: [
      role(
        'ClusterRole',
        '  - apiGroups: [rbac.authorization.k8s.io]',
        '    resources: [roles]',
        '    verbs: [get, list]',
      ),
    ],
  },
  'RF-K8S-032': {
    bad: [
      [
        role(
          'ClusterRole',
          '  - apiGroups: [""]',
          '    resources: [configmaps, secrets]',
          '    verbs: [list]',
        ),
        [[7, 7]],
      ],
    ],
    good: [
      role('Role', '  - apiGroups: [""]', '    resources: [secrets]', '    verbs: [get]'),
      role('ClusterRole', '  - apiGroups: [""]', '    resources: [secrets]', '    verbs: [create]'),
    ],
  },
  'RF-K8S-033': {
    bad: [
      [
        binding(
          'ClusterRoleBinding',
          'roleRef:',
          '  apiGroup: rbac.authorization.k8s.io',
          '  kind: ClusterRole',
          '  name: cluster-admin',
          'subjects: [{kind: ServiceAccount, name: ci, namespace: tools}]',
        ),
        [[8, 8]],
      ],
    ],
    good: [
      binding(
        'RoleBinding',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
        'subjects: [{kind: ServiceAccount, name: ci, namespace: tools}]',
      ),
    ],
  },
  'RF-K8S-034': {
    bad: [
      [
        binding(
          'ClusterRoleBinding',
          'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
          'subjects:',
          '  - kind: Group',
          '    name: system:unauthenticated',
          '  - {kind: User, name: system:anonymous}',
        ),
        [
          [7, 8],
          [9, 9],
        ],
      ],
    ],
    good: [
      binding(
        'ClusterRoleBinding',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
        'subjects: [{kind: Group, name: oncall}]',
      ),
    ],
  },
  'RF-K8S-035': {
    bad: [
      [
        pod(
          ...containers([
            'env:',
            '  - name: DB_PASSWORD',
            '    value: hunter2',
            '  - name: QUEUE_URL',
            '    value: amqp://app:s3cret@mq:5672/',
          ]),
        ),
        [
          [11, 11],
          [13, 13],
        ],
      ],
    ],
    good: [
      pod(
        ...containers([
          'env:',
          '  - name: DB_PASSWORD',
          '    valueFrom: {secretKeyRef: {name: db, key: password}}',
          '  - {name: API_TOKEN, value: "$(SHARED_TOKEN)"}',
          '  - {name: PASSWORD_FILE, value: /run/secrets/db}',
        ]),
      ),
    ],
  },
  'RF-K8S-036': {
    bad: [
      [
        yaml('apiVersion: v1', 'kind: Secret', 'metadata: {name: db}', 'stringData:', '  password: hunter2'),
        [[4, 5]],
      ],
    ],
    good: [
      yaml(
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: token',
        '  annotations: {kubernetes.io/service-account.name: app}',
        'type: kubernetes.io/service-account-token',
      ),
    ],
  },
  'RF-K8S-037': {
    bad: [[service('type: NodePort', 'ports: [{port: 80}]'), [[6, 6]]]],
    good: [service('type: ClusterIP', 'ports: [{port: 80}]')],
  },
  'RF-K8S-038': {
    bad: [
      [service('type: LoadBalancer', 'ports: [{port: 443}]'), [[6, 6]]],
      [
        service('type: LoadBalancer', 'loadBalancerSourceRanges:', '  - 10.0.0.0/8', '  - 0.0.0.0/0'),
        [[9, 9]],
      ],
    ],
    good: [
      service('type: LoadBalancer', 'loadBalancerSourceRanges: [203.0.113.0/24]'),
      yaml(
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: s',
        '  annotations: {networking.gke.io/load-balancer-type: Internal}',
        'spec: {type: LoadBalancer}',
      ),
    ],
  },
  'RF-K8S-039': {
    bad: [
      [yaml('apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: shop'), [[4, 4]]],
      [
        yaml(
          'apiVersion: batch/v1',
          'kind: CronJob',
          'metadata: {name: report, namespace: shop}',
          'spec:',
          '  schedule: "0 * * * *"',
          '  jobTemplate: {spec: {template: {spec: {containers: [{name: r, image: "r:1"}]}}}}',
        ),
        [[3, 3]],
      ],
    ],
    good: [
      yaml(
        'apiVersion: v1',
        'kind: Namespace',
        'metadata: {name: shop}',
        '---',
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata: {name: default-deny, namespace: shop}',
        'spec: {podSelector: {}, policyTypes: [Ingress, Egress]}',
      ),
    ],
  },
  'RF-K8S-040': {
    bad: [[pod(...containers(['readinessProbe: {httpGet: {path: /ready, port: 80}}'])), [[7, 7]]]],
    good: [
      pod(...containers(['livenessProbe: {tcpSocket: {port: 80}}'])),
      pod('restartPolicy: Never', ...containers()),
      yaml(
        'apiVersion: batch/v1',
        'kind: Job',
        'metadata: {name: migrate}',
        'spec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: "m:1"}]}}}',
      ),
    ],
  },
  'RF-K8S-041': {
    bad: [[pod(...containers(['livenessProbe: {tcpSocket: {port: 80}}'])), [[7, 7]]]],
    good: [pod(...containers(['readinessProbe: {exec: {command: [ready]}}']))],
  },
  'RF-K8S-042': {
    bad: [
      [pod('hostAliases:', '  - ip: 10.1.2.3', '    hostnames: [api.internal]', ...containers()), [[6, 8]]],
    ],
    good: [pod('hostAliases: []', ...containers())],
  },
  'RF-K8S-043': {
    bad: [[pod('shareProcessNamespace: true', ...containers()), [[6, 6]]]],
    good: [pod('shareProcessNamespace: false', ...containers())],
  },
  'RF-K8S-044': {
    bad: [
      [
        pod(
          ...containers([
            'securityContext:',
            '  capabilities:',
            '    add:',
            '      - cap_sys_admin',
            '      - NET_ADMIN',
          ]),
        ),
        [[12, 12]],
      ],
    ],
    good: [pod(...containers(['securityContext:', '  capabilities: {add: [NET_ADMIN, NET_BIND_SERVICE]}']))],
  },
  'RF-K8S-045': {
    bad: [
      [
        pod('securityContext: {runAsUser: 1000}', ...containers(['securityContext: {runAsUser: 33}'])),
        [
          [6, 6],
          [10, 10],
        ],
      ],
    ],
    good: [pod('securityContext: {runAsUser: 10001}', ...containers(['securityContext: {runAsUser: 0}']))],
  },
  'RF-K8S-046': {
    bad: [
      [
        pod(
          'securityContext:',
          '  fsGroup: 0',
          '  supplementalGroups: [5, 0]',
          ...containers(['securityContext: {runAsGroup: 0}']),
        ),
        [
          [7, 7],
          [8, 8],
          [12, 12],
        ],
      ],
    ],
    good: [
      pod(
        'securityContext: {fsGroup: 10001, supplementalGroups: [10002]}',
        ...containers(['securityContext: {runAsGroup: 10001}']),
      ),
    ],
  },
};

/** Line ranges of the rule's findings: the file's own checks, and the tree checks run over this one file. */
function ranges(text: string, ruleId: string): [number, number][] {
  const source = { path: 'manifest.yaml', text, companions: new Map() };
  const result = scanSource(kubernetesKind, source);
  expect(result.errors).toEqual([]);
  const found: [number, number][] = result.findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => [f.location.line!, f.location.endLine!]);
  const summary = summarizeNamespaces(parseManifests(source));
  for (const check of kubernetesTreeChecks.filter((c) => c.id === ruleId)) {
    for (const hit of check.run([{ path: source.path, summary }]))
      found.push([hit.line, hit.endLine ?? hit.line]);
  }
  return found;
}

describe('Kubernetes checks', () => {
  it('has a good and a bad example for every check, and no example for a check that does not exist', () => {
    const ids = [...kubernetesChecks, ...kubernetesTreeChecks].map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(CASES).sort()).toEqual([...ids].sort());
  });

  for (const [id, c] of Object.entries(CASES)) {
    describe(id, () => {
      c.bad.forEach(([text, expected], i) => {
        it(`fires on bad example ${i + 1} at the right lines`, () => {
          expect(ranges(text, id)).toEqual(expected);
        });
      });
      c.good.forEach((text, i) => {
        it(`stays quiet on good example ${i + 1}`, () => {
          expect(ranges(text, id)).toEqual([]);
        });
      });
    });
  }

  it('finds nothing in a hardened workload with its NetworkPolicy', () => {
    const text = yaml(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web, namespace: shop}',
      'spec:',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      automountServiceAccountToken: false',
      '      securityContext:',
      '        runAsNonRoot: true',
      '        runAsUser: 10001',
      '        runAsGroup: 10001',
      '        seccompProfile: {type: RuntimeDefault}',
      '      containers:',
      '        - name: app',
      `          image: ghcr.io/acme/web:1.4.2@${DIGEST}`,
      '          securityContext:',
      '            allowPrivilegeEscalation: false',
      '            readOnlyRootFilesystem: true',
      '            capabilities: {drop: [ALL]}',
      '          resources:',
      '            limits: {cpu: 500m, memory: 256Mi}',
      '            requests: {cpu: 100m, memory: 128Mi}',
      '          livenessProbe: {httpGet: {path: /healthz, port: 8080}}',
      '          readinessProbe: {httpGet: {path: /ready, port: 8080}}',
      '          env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}]',
      '      volumes: [{name: tmp, emptyDir: {}}]',
      '---',
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: {name: default-deny, namespace: shop}',
      'spec: {podSelector: {}, policyTypes: [Ingress, Egress]}',
    );
    const ids = Object.keys(CASES).flatMap((id) => (ranges(text, id).length > 0 ? [id] : []));
    expect(ids).toEqual([]);
  });

  it('gives every check the metadata a report needs, and maps the frameworks', () => {
    const all = [...kubernetesChecks, ...kubernetesTreeChecks];
    for (const c of all) {
      expect(c.id).toMatch(/^RF-K8S-\d{3}$/);
      expect(c.description.length).toBeGreaterThan(40);
      expect(c.remediation.length).toBeGreaterThan(10);
      for (const r of c.references) expect(r).toMatch(/^https:\/\//);
      // Rule text stays ASCII, so rendered reports stay one-byte strings (docs/PERFORMANCE.md).
      expect(`${c.title}${c.description}${c.remediation}`).toMatch(/^[\x20-\x7e]*$/);
    }
    const frameworks = Object.fromEntries(all.map((c) => [c.id, c.frameworks]));
    expect(frameworks).toMatchObject({
      'RF-K8S-001': { pss: 'baseline/privileged', 'cis-kubernetes': '5.2.2', 'mitre-attack': 'T1611' },
      'RF-K8S-015': { pss: 'restricted/runAsNonRoot', 'cis-kubernetes': '5.2.7' },
      'RF-K8S-025': { 'cis-kubernetes': '5.1.6' },
      'RF-K8S-030': { 'cis-kubernetes': '5.1.3' },
      'RF-K8S-033': { 'cis-kubernetes': '5.1.1' },
      'RF-K8S-039': { 'cis-kubernetes': '5.3.2' },
    });
  });
});
