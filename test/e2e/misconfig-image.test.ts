import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/types.js';
import { ringfence } from '../helpers/cli.js';
import { needs } from '../helpers/components.js';
import { buildImage, debianBase, saveImage } from '../helpers/images.js';

/**
 * `ringfence image --scanners misconfig` on images built here: configuration files added,
 * deleted and overwritten across layers, a malformed one, files under /usr/share that belong
 * to no application; and the image's own configuration, once without USER and HEALTHCHECK and
 * with a secret in ENV, once hardened.
 */

const require = createRequire(import.meta.url);

const APP = {
  'app/Dockerfile': 'FROM node:latest\nCMD ["node", "server.js"]\n',
  'app/docker-compose.yml': 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n',
  'app/k8s/deploy.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: nginx:1.27',
    '          securityContext:',
    '            privileged: true',
    '',
  ].join('\n'),
  'app/old/docker-compose.yml': 'services:\n  old:\n    image: redis\n    network_mode: host\n',
  'app/broken/docker-compose.yml': 'services:\n  web: [\n',
  'doc/Dockerfile': 'FROM debian:latest\n',
  'v2/Dockerfile': 'FROM node:20.11.1\nUSER node\nRUN apt-get update\nCMD ["node", "server.js"]\n',
};

interface JsonReport {
  artifact: { configFiles: number; database?: unknown };
  findings: Finding[];
  suppressed: Finding[];
  errors: { target: string; message: string }[];
  warnings: string[];
}

const at = (f: Finding) => `${f.ruleId} ${f.location.path}${f.location.line ? `:${f.location.line}` : ''}`;

describe.skipIf(needs('docker', 'mmdebstrap'))('ringfence image --scanners misconfig', () => {
  let work: string;
  let cache: string;
  let archive: string;
  let hardened: string;
  let layers: string[];
  let report: JsonReport;
  const scan = (source: string, args: string[]) =>
    ringfence(['image', source, '--scanners', 'misconfig', '--cache-dir', cache, ...args], {
      timeoutMs: 300_000,
    });
  const scanJson = async (source: string, args: string[] = []) => {
    const r = await scan(source, ['--format', 'json', ...args]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    return JSON.parse(r.stdout) as JsonReport;
  };
  const configFindings = (r: JsonReport) => r.findings.filter((f) => f.target.endsWith('(image config)'));
  const fileFindings = (r: JsonReport) => r.findings.filter((f) => !f.target.endsWith('(image config)'));

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'rf-misconfig-image-'));
    cache = join(work, 'cache');
    const base = debianBase();
    const tag = buildImage(
      'misconfig-layers',
      [
        `FROM ${base}`,
        'COPY app/ /app/',
        'COPY doc/ /usr/share/doc/example/',
        'RUN rm /app/old/docker-compose.yml',
        'COPY v2/Dockerfile /app/Dockerfile',
        'ENV DB_PASSWORD=hunter2',
        'CMD ["/bin/bash"]',
        '',
      ].join('\n'),
      APP,
    );
    archive = saveImage(tag, work);
    layers = JSON.parse(
      execFileSync('docker', ['image', 'inspect', '-f', '{{json .RootFS.Layers}}', tag]).toString(),
    ) as string[];
    const safe = buildImage(
      'misconfig-hardened',
      [`FROM ${base}`, 'USER 10001', 'HEALTHCHECK CMD ["/bin/true"]', 'CMD ["/bin/true"]', ''].join('\n'),
    );
    hardened = saveImage(safe, work);
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('reports the surviving files with path, line and the layer that last wrote them', async () => {
    report = await scanJson(archive);
    const files = fileFindings(report);
    expect(new Set(files.map((f) => f.target))).toEqual(
      new Set(['app/Dockerfile', 'app/docker-compose.yml', 'app/k8s/deploy.yaml']),
    );
    expect(files.map(at)).toEqual(
      expect.arrayContaining([
        'RF-DF-003 app/Dockerfile:3',
        'RF-DC-001 app/docker-compose.yml:4',
        'RF-K8S-001 app/k8s/deploy.yaml:16',
      ]),
    );
    const layerOf = (target: string) =>
      new Set(files.filter((f) => f.target === target).map((f) => f.location.layer));
    expect(layers).toHaveLength(5);
    expect(layerOf('app/Dockerfile')).toEqual(new Set([layers[4]]));
    expect(layerOf('app/docker-compose.yml')).toEqual(new Set([layers[1]]));
    expect(layerOf('app/k8s/deploy.yaml')).toEqual(new Set([layers[1]]));
    expect(report.artifact.configFiles).toBe(4);
  });

  it("gives the overwriting layer's version of a file, nothing for a deleted one or one under /usr/share", () => {
    const dockerfile = fileFindings(report).filter((f) => f.target === 'app/Dockerfile');
    expect(dockerfile.map((f) => f.ruleId)).not.toContain('RF-DF-007');
    expect(dockerfile.map((f) => f.ruleId)).not.toContain('RF-DF-001');
    expect(report.findings.some((f) => f.location.path?.startsWith('app/old/'))).toBe(false);
    expect(report.findings.some((f) => f.location.path?.startsWith('usr/'))).toBe(false);
  });

  it('makes a malformed YAML file one error entry and scans the rest', () => {
    expect(report.errors).toEqual([
      { target: 'app/broken/docker-compose.yml:3', message: expect.stringContaining('invalid YAML') },
    ]);
  });

  it('judges the image config: no USER, no HEALTHCHECK, a secret in ENV', () => {
    const findings = configFindings(report);
    expect(findings.map(at).sort()).toEqual(['RF-DF-001 config', 'RF-DF-002 config', 'RF-DF-005 history:6']);
    expect(findings.find((f) => f.ruleId === 'RF-DF-005')).toMatchObject({
      target: `${archive} (image config)`,
      severity: 'HIGH',
      location: { snippet: 'ENV DB_PASSWORD="hunter2"' },
      details: { createdBy: '/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2' },
    });
  });

  it('finds nothing in a hardened image; --exit-code trips only on findings', async () => {
    const clean = await scanJson(hardened);
    expect(clean.findings).toEqual([]);
    expect(clean.errors).toEqual([]);
    expect((await scan(hardened, ['--exit-code', '1'])).code).toBe(0);
    expect((await scan(archive, ['--exit-code', '1'])).code).toBe(1);
    expect((await scan(archive, ['--exit-code', '1', '--severity', 'CRITICAL'])).code).toBe(0);
  });

  it('needs no vulnerability database, and gives the same report from the layer cache', async () => {
    expect(report.artifact.database).toBeUndefined();
    const again = await scanJson(archive);
    const timeless = (r: JsonReport) => ({ ...r, createdAt: undefined });
    expect(timeless(again)).toEqual(timeless(report));
  });

  it('writes SARIF that validates against the SARIF 2.1.0 schema', async () => {
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const validate = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
      schema,
    );
    const r = await scan(archive, ['--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0].results).toHaveLength(report.findings.length);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toEqual(
      expect.arrayContaining([expect.objectContaining({ level: 'error' })]),
    );
  });

  it('says an SBOM holds no configuration files instead of reporting it clean', async () => {
    const bom = join(work, 'app.cdx.json');
    expect(
      (await ringfence(['sbom', archive, '-f', 'cyclonedx', '-o', bom, '--cache-dir', cache])).code,
    ).toBe(0);
    const r = await scan(bom, ['--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual([
      `${bom}: an SBOM lists packages, not configuration files; no misconfiguration scan`,
    ]);
  });
});
