// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolation under test is written in plain strings
import { describe, expect, it } from 'vitest';
import { scanSource } from '../../../src/config/engine/scan-source.js';
import { podChecks } from '../../../src/config/kubernetes/checks/index.js';
import { kubernetesKind } from '../../../src/config/kubernetes/kind.js';
import { terraformChecks } from '../../../src/config/terraform/checks/index.js';
import { terraformKind } from '../../../src/config/terraform/kind.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

function terraform(text: string) {
  const result = scanSource(terraformKind, { path: 'k8s.tf', text, companions: new Map() });
  expect(result.errors).toEqual([]);
  return result.findings;
}

function manifest(text: string) {
  const result = scanSource(kubernetesKind, { path: 'k8s.yaml', text, companions: new Map() });
  expect(result.errors).toEqual([]);
  return result.findings;
}

const ids = (findings: { ruleId: string }[]) => findings.map((f) => f.ruleId).sort();
const at = (findings: { ruleId: string; location: { line?: number } }[], id: string) =>
  findings.filter((f) => f.ruleId === id).map((f) => f.location.line);

/** The same workload written for the Kubernetes provider and as a manifest. */
const PAIRS: { name: string; tf: string; yaml: string }[] = [
  {
    name: 'a privileged Deployment on the host network with a latest image',
    tf: lines(
      'resource "kubernetes_deployment" "web" {',
      '  metadata {',
      '    name      = "web"',
      '    namespace = "prod"',
      '  }',
      '  spec {',
      '    template {',
      '      metadata {',
      '        labels = { app = "web" }',
      '      }',
      '      spec {',
      '        host_network = true',
      '        container {',
      '          name  = "app"',
      '          image = "nginx:latest"',
      '          security_context {',
      '            privileged = true',
      '            capabilities {',
      '              add = ["SYS_ADMIN"]',
      '            }',
      '          }',
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
    ),
    yaml: lines(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web, namespace: prod}',
      'spec:',
      '  template:',
      '    metadata:',
      '      labels: {app: web}',
      '    spec:',
      '      hostNetwork: true',
      '      containers:',
      '        - name: app',
      '          image: nginx:latest',
      '          securityContext:',
      '            privileged: true',
      '            capabilities: {add: [SYS_ADMIN]}',
    ),
  },
  {
    name: 'a CronJob (v1 resource) mounting the Docker socket, running as root, with a secret in env',
    tf: lines(
      'resource "kubernetes_cron_job_v1" "backup" {',
      '  metadata {',
      '    name = "backup"',
      '  }',
      '  spec {',
      '    schedule = "0 3 * * *"',
      '    job_template {',
      '      metadata {}',
      '      spec {',
      '        template {',
      '          metadata {}',
      '          spec {',
      '            host_pid = true',
      '            container {',
      '              name  = "backup"',
      '              image = "registry.example/backup:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"',
      '              env {',
      '                name  = "DB_PASSWORD"',
      '                value = "hunter2"',
      '              }',
      '              security_context {',
      '                run_as_user = 0',
      '              }',
      '              volume_mount {',
      '                name       = "docker"',
      '                mount_path = "/var/run/docker.sock"',
      '              }',
      '            }',
      '            volume {',
      '              name = "docker"',
      '              host_path {',
      '                path = "/var/run/docker.sock"',
      '              }',
      '            }',
      '          }',
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
    ),
    yaml: lines(
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata: {name: backup}',
      'spec:',
      '  schedule: "0 3 * * *"',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      '          hostPID: true',
      '          containers:',
      '            - name: backup',
      '              image: registry.example/backup:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      '              env:',
      '                - {name: DB_PASSWORD, value: hunter2}',
      '              securityContext: {runAsUser: 0}',
      '              volumeMounts:',
      '                - {name: docker, mountPath: /var/run/docker.sock}',
      '          volumes:',
      '            - name: docker',
      '              hostPath: {path: /var/run/docker.sock}',
    ),
  },
  {
    name: 'a hardened Pod',
    tf: lines(
      'resource "kubernetes_pod_v1" "api" {',
      '  metadata {',
      '    name      = "api"',
      '    namespace = "prod"',
      '  }',
      '  spec {',
      '    automount_service_account_token = false',
      '    security_context {',
      '      run_as_non_root = true',
      '      run_as_user     = 10001',
      '      run_as_group    = 10001',
      '      seccomp_profile {',
      '        type = "RuntimeDefault"',
      '      }',
      '    }',
      '    container {',
      '      name  = "api"',
      '      image = "registry.example/api:2.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"',
      '      security_context {',
      '        allow_privilege_escalation = false',
      '        read_only_root_filesystem  = true',
      '        capabilities {',
      '          drop = ["ALL"]',
      '        }',
      '      }',
      '      resources {',
      '        limits   = { cpu = "500m", memory = "256Mi" }',
      '        requests = { cpu = "100m", memory = "128Mi" }',
      '      }',
      '      liveness_probe {',
      '        http_get {',
      '          path = "/healthz"',
      '          port = 8080',
      '        }',
      '      }',
      '      readiness_probe {',
      '        http_get {',
      '          path = "/ready"',
      '          port = 8080',
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
    ),
    yaml: lines(
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: api, namespace: prod}',
      'spec:',
      '  automountServiceAccountToken: false',
      '  securityContext:',
      '    runAsNonRoot: true',
      '    runAsUser: 10001',
      '    runAsGroup: 10001',
      '    seccompProfile: {type: RuntimeDefault}',
      '  containers:',
      '    - name: api',
      '      image: registry.example/api:2.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      '      securityContext:',
      '        allowPrivilegeEscalation: false',
      '        readOnlyRootFilesystem: true',
      '        capabilities: {drop: [ALL]}',
      '      resources:',
      '        limits: {cpu: 500m, memory: 256Mi}',
      '        requests: {cpu: 100m, memory: 128Mi}',
      '      livenessProbe: {httpGet: {path: /healthz, port: 8080}}',
      '      readinessProbe: {httpGet: {path: /ready, port: 8080}}',
    ),
  },
];

describe('Kubernetes provider resources', () => {
  it('run every manifest pod check, with the same ids', () => {
    const ids = terraformChecks.map((c) => c.id);
    for (const c of podChecks) expect(ids).toContain(c.id);
  });

  for (const pair of PAIRS) {
    it(`find what the equivalent manifest has: ${pair.name}`, () => {
      expect(ids(terraform(pair.tf))).toEqual(ids(manifest(pair.yaml)));
    });
  }

  it('finds nothing in the hardened pod, and something in the others', () => {
    expect(ids(terraform(PAIRS[2]!.tf))).toEqual([]);
    expect(ids(terraform(PAIRS[0]!.tf)).length).toBeGreaterThan(5);
  });

  it('points at the Terraform attribute or block that is wrong', () => {
    const deployment = terraform(PAIRS[0]!.tf);
    expect(at(deployment, 'RF-K8S-001')).toEqual([17]);
    expect(at(deployment, 'RF-K8S-002')).toEqual([12]);
    expect(at(deployment, 'RF-K8S-022')).toEqual([15]);
    expect(deployment.find((f) => f.ruleId === 'RF-K8S-001')).toMatchObject({
      details: { fileKind: 'terraform', resource: 'Deployment/web', namespace: 'prod', container: 'app' },
    });
    const cron = terraform(PAIRS[1]!.tf);
    const socket = cron.find(
      (f) => /docker\.sock/.test(String(f.details?.message)) && f.location.line! >= 29,
    );
    expect(socket?.location).toMatchObject({ line: 32, endLine: 32 });
  });

  it('assumes the safe value where a value is unknown, and uses variable defaults where there are some', () => {
    const deployment = (variable: string, privileged: string, image: string) =>
      lines(
        variable,
        'resource "kubernetes_deployment_v1" "web" {',
        '  metadata {',
        '    name = "web"',
        '  }',
        '  spec {',
        '    template {',
        '      metadata {}',
        '      spec {',
        '        container {',
        '          name  = "app"',
        `          image = ${image}`,
        '          security_context {',
        `            privileged      = ${privileged}`,
        '            run_as_non_root = var.non_root',
        '          }',
        '        }',
        '      }',
        '    }',
        '  }',
        '}',
      );
    const unknown = terraform(deployment('variable "privileged" {}', 'var.privileged', '"nginx:${var.tag}"'));
    expect(at(unknown, 'RF-K8S-001')).toEqual([]);
    expect(at(unknown, 'RF-K8S-015')).toEqual([]);
    expect(unknown.filter((f) => /image|tag|digest/i.test(f.title))).toEqual([]);
    const known = terraform(
      deployment('variable "privileged" {\n  default = true\n}', 'var.privileged', '"nginx"'),
    );
    expect(at(known, 'RF-K8S-001')).toEqual([16]);
    expect(at(known, 'RF-K8S-023')).toEqual([14]);
  });
});
