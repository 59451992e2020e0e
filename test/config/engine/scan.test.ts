// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the Dockerfile and Compose variable syntax under test is written in plain strings
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanConfigPath } from '../../../src/config/engine/scan.js';
import { skipDirMatcher } from '../../../src/config/engine/skip-dirs.js';
import { configKinds } from '../../../src/config/kinds.js';
import { scanConfig } from '../../../src/config/scan-config.js';
import { UserError } from '../../../src/util/errors.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rf-config-scan-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

const GOOD_DOCKERFILE = 'FROM alpine:3.19\nUSER root\n';
const GOOD_COMPOSE = 'services:\n  web:\n    image: nginx:latest\n';

describe('scanning a tree', () => {
  it('finds files by name and by content, reports each malformed file once, and scans the rest', async () => {
    write({
      Dockerfile: GOOD_DOCKERFILE,
      'api/Dockerfile.prod': GOOD_DOCKERFILE,
      'api/worker.dockerfile': GOOD_DOCKERFILE,
      'api/Containerfile': GOOD_DOCKERFILE,
      'api/Dockerfile.dockerignore': 'node_modules\n',
      'deploy/docker-compose.yml': GOOD_COMPOSE,
      'deploy/stack.yml': GOOD_COMPOSE,
      'deploy/values.yaml': 'replicaCount: 2\nservices:\n  web: {}\n',
      'broken/Dockerfile': 'FROM alpine:3.19\nFROBNICATE x\n',
      'broken/compose.yaml': 'services:\n  web: [1,\n',
      'binary/Dockerfile': Buffer.from([0x46, 0x52, 0x00, 0x01]),
      'node_modules/pkg/Dockerfile': GOOD_DOCKERFILE,
      '.git/Dockerfile': GOOD_DOCKERFILE,
      'README.md': '# FROM alpine\n',
    });
    const result = await scanConfigPath(root, { kinds: configKinds });
    const rel = (p: string) => p.slice(root.length + 1);
    expect(result.scanned.map((s) => [rel(s.path), s.kind])).toEqual([
      ['Dockerfile', 'dockerfile'],
      ['api/Containerfile', 'dockerfile'],
      ['api/Dockerfile.prod', 'dockerfile'],
      ['api/worker.dockerfile', 'dockerfile'],
      ['deploy/docker-compose.yml', 'compose'],
      ['deploy/stack.yml', 'compose'],
    ]);
    expect(result.errors.map((e) => [rel(e.path), e.kind, e.line, e.message])).toEqual([
      ['binary/Dockerfile', 'dockerfile', undefined, 'binary content (NUL byte at offset 2)'],
      ['broken/Dockerfile', 'dockerfile', 2, 'unknown instruction: FROBNICATE'],
      ['broken/compose.yaml', 'compose', 3, expect.stringMatching(/^invalid YAML: /)],
    ]);
    const rootUser = result.findings
      .filter((f) => f.ruleId === 'RF-DF-001')
      .map((f) => [rel(f.target), f.location.line]);
    expect(rootUser).toEqual([
      ['Dockerfile', 2],
      ['api/Containerfile', 2],
      ['api/Dockerfile.prod', 2],
      ['api/worker.dockerfile', 2],
    ]);
    expect(result.findings.filter((f) => f.ruleId === 'RF-DC-021')).toHaveLength(2);
  });

  it('gives the same result every time, in path, line and rule order', async () => {
    for (let i = 0; i < 30; i++)
      write({ [`svc${i % 7}/d${i}/Dockerfile`]: `FROM node:${i}\nRUN apt-get install x\n` });
    const a = await scanConfigPath(root, { kinds: configKinds });
    const b = await scanConfigPath(root, { kinds: configKinds });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const paths = a.findings.map((f) => f.location.path!);
    expect(paths).toEqual([...paths].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
  });

  it('skips directories by name or by path glob, and never follows symbolic links', async () => {
    write({
      'a/legacy/Dockerfile': GOOD_DOCKERFILE,
      'a/keep/Dockerfile': GOOD_DOCKERFILE,
      'deploy/old/Dockerfile': GOOD_DOCKERFILE,
      'deploy/new/Dockerfile': GOOD_DOCKERFILE,
      'x/gen-1/Dockerfile': GOOD_DOCKERFILE,
      '.terraform/modules/m/Dockerfile': GOOD_DOCKERFILE,
    });
    symlinkSync(join(root, 'a'), join(root, 'loop'));
    symlinkSync(join(root, 'a/keep/Dockerfile'), join(root, 'Dockerfile'));
    const result = await scanConfigPath(root, {
      kinds: configKinds,
      skipDirs: ['legacy', 'deploy/old/', 'x/gen-*'],
    });
    expect(result.scanned.map((s) => s.path.slice(root.length + 1))).toEqual([
      'a/keep/Dockerfile',
      'deploy/new/Dockerfile',
    ]);
  });

  it('bounds file size: a named file over the limit is an error, a YAML candidate a warning', async () => {
    write({
      Dockerfile: `FROM alpine:3.19\n${'# padding\n'.repeat(200)}`,
      'big.yaml': `services:\n${'#\n'.repeat(1000)}`,
    });
    const result = await scanConfigPath(root, { kinds: configKinds, maxFileSize: 1000 });
    expect(result.scanned).toEqual([]);
    expect(result.errors.map((e) => e.message)).toEqual([
      'file is 2017 bytes, over the 1000-byte limit; not scanned',
    ]);
    expect(result.warnings).toEqual([
      `${root}/big.yaml: file is 2010 bytes, over the 1000-byte limit; not scanned`,
    ]);
  });

  it('reads the .env beside a Compose file for interpolation', async () => {
    write({ 'app/compose.yaml': 'services:\n  web:\n    image: nginx:${TAG}\n', 'app/.env': 'TAG=latest\n' });
    const result = await scanConfigPath(root, { kinds: configKinds });
    expect(result.findings.find((f) => f.ruleId === 'RF-DC-021')?.details?.message).toBe(
      'service "web" uses nginx:latest',
    );
  });
});

describe('scanning one file', () => {
  it('detects an oddly named Dockerfile by its content', async () => {
    write({ 'build.docker': '# syntax=docker/dockerfile:1\n\nARG V=1\nFROM alpine:3.19\n' });
    const result = await scanConfigPath(join(root, 'build.docker'), { kinds: configKinds });
    expect(result.scanned).toEqual([{ path: join(root, 'build.docker'), kind: 'dockerfile' }]);
  });

  it('refuses a file of no known kind and a path that does not exist, naming them', async () => {
    write({ 'notes.txt': 'hello\n' });
    await expect(scanConfigPath(join(root, 'notes.txt'), { kinds: configKinds })).rejects.toThrow(
      `${join(root, 'notes.txt')}: not a recognised configuration file (looked for: Dockerfile, Docker Compose, Kubernetes, Terraform, CloudFormation)`,
    );
    await expect(scanConfigPath(join(root, 'missing'), { kinds: configKinds })).rejects.toThrow(
      `${join(root, 'missing')}: no such file or directory`,
    );
  });
});

describe('the config report', () => {
  it('splits open and suppressed findings and lists errors with their line', async () => {
    write({
      Dockerfile: '# ringfence:ignore:RF-DF-007 upstream\nFROM node:latest\n',
      'bad/Dockerfile': 'FROM a\nNOPE\n',
    });
    const report = await scanConfig(root);
    expect(report.artifact).toEqual({ name: root, type: 'config', files: 1 });
    expect(report.suppressed.map((f) => f.ruleId)).toEqual(['RF-DF-007']);
    expect(report.findings.every((f) => f.status === 'open')).toBe(true);
    expect(report.errors).toEqual([
      { target: `${root}/bad/Dockerfile:2`, message: 'unknown instruction: NOPE' },
    ]);
  });

  it('is a user error when nothing could be read, naming the first problem', async () => {
    write({ 'a/Dockerfile': 'FROM a\nNOPE\n', 'b/compose.yml': 'services: [\n' });
    const err = await scanConfig(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(
      `${root}: no configuration file could be read (2 errors; first: ${root}/a/Dockerfile:2: unknown instruction: NOPE)`,
    );
    const single = await scanConfig(join(root, 'a/Dockerfile')).catch((e: unknown) => e);
    expect((single as UserError).message).toBe(
      `${join(root, 'a/Dockerfile')}: line 2: unknown instruction: NOPE`,
    );
  });

  it('is an empty report, not an error, when the tree has no configuration files', async () => {
    write({ 'src/main.c': 'int main(){}\n' });
    const report = await scanConfig(root);
    expect([report.findings, report.errors, report.artifact.files]).toEqual([[], [], 0]);
  });
});

describe('--skip-dirs patterns', () => {
  it('matches names anywhere, paths from the root, and absolute paths inside the root', () => {
    const skip = skipDirMatcher(
      ['cache', 'build*', 'deploy/old', '**/fixtures', '/srv/repo/vendor/x', ''],
      '/srv/repo',
    );
    expect(skip('a/b/cache', 'cache')).toBe(true);
    expect(skip('build-out', 'build-out')).toBe(true);
    expect(skip('deploy/old', 'old')).toBe(true);
    expect(skip('x/deploy/old', 'old')).toBe(false);
    expect(skip('test/unit/fixtures', 'fixtures')).toBe(true);
    expect(skip('vendor/x', 'x')).toBe(true);
    expect(skip('src', 'src')).toBe(false);
  });
});
