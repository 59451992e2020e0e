import { describe, expect, it } from 'vitest';
import { composeKind } from '../../../src/config/compose/kind.js';
import { dockerfileKind } from '../../../src/config/dockerfile/kind.js';
import { registerKind } from '../../../src/config/engine/scan-source.js';
import { configKinds } from '../../../src/config/kinds.js';
import type { AnalyzerInput, ScanMode } from '../../../src/inventory/analyzer.js';
import { checkSetVersion, configFileAnalyzer } from '../../../src/inventory/config/analyzer.js';
import { inputFor } from '../os/input.js';

const wants = (path: string, mode: ScanMode, size = 100) =>
  configFileAnalyzer.wants({ path, size, mode: 0o644 }, mode);

const MiB = 1 << 20;

describe('config-files analyzer: which files it wants', () => {
  it('takes configuration files by name, or small YAML/JSON/HCL to look at, where an application keeps them', () => {
    for (const path of [
      'app/Dockerfile',
      'usr/src/app/docker-compose.yml',
      'srv/api/Containerfile',
      'opt/app/deploy/web.yaml',
      'home/app/infra/main.tf',
      'usr/local/app/compose.yaml',
      'etc/kubernetes/manifests/kube-apiserver.yaml',
    ]) {
      expect(wants(path, 'image'), path).toBe(true);
      expect(wants(path, 'rootfs'), path).toBe(true);
    }
  });

  it("skips the system's directories, dependency trees, tool caches and big generic files in an image", () => {
    for (const path of [
      'usr/share/doc/docker.io/examples/Dockerfile',
      'usr/lib/python3/dist-packages/x/docker-compose.yml',
      'usr/local/lib/node_modules/npm/Dockerfile',
      'app/node_modules/left-pad/docker-compose.yml',
      'opt/venv/lib/python3.11/site-packages/x/compose.yaml',
      'var/www/vendor/acme/lib/Dockerfile',
      'go/pkg/mod/github.com/acme/x@v1.0.0/Dockerfile',
      'root/.cache/pip/deploy.yaml',
      'app/.git/Dockerfile',
      'var/lib/docker/overlay2/x/Dockerfile',
      'app/README.md',
      'app/package.json.Dockerfile.bak',
    ]) {
      expect(wants(path, 'image'), path).toBe(false);
    }
    expect(wants('opt/app/deploy/web.yaml', 'image', 2 * MiB)).toBe(false);
    expect(wants('app/Dockerfile', 'image', 20 * MiB)).toBe(true);
  });

  it('searches a source tree as `ringfence config` does: only VCS metadata and vendored dependencies skipped', () => {
    for (const path of ['lib/deploy/Dockerfile', '.devcontainer/Dockerfile', 'usr/compose.yaml']) {
      expect(wants(path, 'fs'), path).toBe(true);
    }
    expect(wants('k8s/big.yaml', 'fs', 2 * MiB)).toBe(true);
    expect(wants('node_modules/x/Dockerfile', 'fs')).toBe(false);
    expect(wants('.git/Dockerfile', 'fs')).toBe(false);
  });
});

describe('config-files analyzer: what it finds', () => {
  const analyze = (input: AnalyzerInput) => configFileAnalyzer.analyze(input);

  it("scans a file claimed by name with its kind's checks, at the path inside the image", async () => {
    const out = await analyze(inputFor('app/Dockerfile', 'FROM debian:12\nRUN apt-get update\n'));
    expect(out?.config?.kind).toBe('dockerfile');
    expect(out?.config?.errors).toEqual([]);
    const update = out?.config?.findings.find((f) => f.ruleId === 'RF-DF-003');
    expect(update).toMatchObject({ target: 'app/Dockerfile', location: { path: 'app/Dockerfile', line: 2 } });
  });

  it('claims a content candidate only when a kind recognises the content', async () => {
    const stack = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
    const out = await analyze(inputFor('srv/stack.yaml', stack));
    expect(out?.config?.kind).toBe('compose');
    expect(out?.config?.findings.map((f) => `${f.ruleId}:${f.location.line}`)).toContain('RF-DC-001:4');
    expect(await analyze(inputFor('srv/settings.yaml', 'logLevel: debug\n'))).toBeUndefined();
    expect(await analyze(inputFor('srv/data.json', Buffer.from([0x7b, 0, 0x7d])))).toBeUndefined();
  });

  it('makes a malformed or unreadable file claimed by name one error entry', async () => {
    const broken = await analyze(inputFor('app/docker-compose.yml', 'services:\n  web: [\n'));
    expect(broken?.config?.findings).toEqual([]);
    expect(broken?.config?.errors).toEqual([
      {
        path: 'app/docker-compose.yml',
        kind: 'compose',
        line: expect.any(Number),
        message: expect.any(String),
      },
    ]);
    const binary = await analyze(inputFor('app/Dockerfile', Buffer.from([0x46, 0, 0x4f])));
    expect(binary?.config?.errors).toEqual([
      { path: 'app/Dockerfile', kind: 'dockerfile', message: 'binary content (NUL byte at offset 1)' },
    ]);
    const huge: AnalyzerInput = {
      ...inputFor('app/Dockerfile', ''),
      size: 20 * MiB,
      content: {
        size: 20 * MiB,
        read: () => Promise.reject(new Error('must not be read')),
        readAt: () => Promise.reject(new Error('must not be read')),
      },
    };
    expect((await analyze(huge))?.config?.errors).toEqual([
      {
        path: 'app/Dockerfile',
        kind: 'dockerfile',
        message: `file is ${20 * MiB} bytes, over the ${10 * MiB}-byte limit; not scanned`,
      },
    ]);
  });

  it('has a version that changes with the set of checks (part of the layer cache key)', () => {
    expect(configFileAnalyzer.version).toBe(checkSetVersion(configKinds));
    const kinds = [registerKind(dockerfileKind), registerKind(composeKind)];
    const reRated = [
      registerKind({
        ...dockerfileKind,
        checks: dockerfileKind.checks.map((c, i) => (i === 0 ? { ...c, severity: 'LOW' as const } : c)),
      }),
      registerKind(composeKind),
    ];
    const fewer = [
      registerKind({ ...dockerfileKind, checks: dockerfileKind.checks.slice(1) }),
      registerKind(composeKind),
    ];
    expect(checkSetVersion(kinds)).toBe(
      checkSetVersion([registerKind(dockerfileKind), registerKind(composeKind)]),
    );
    expect(new Set([kinds, reRated, fewer].map(checkSetVersion)).size).toBe(3);
  });
});
