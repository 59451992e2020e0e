import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ringfence } from '../helpers/cli.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rf-cli-config-'));
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

const PROJECT = {
  'app/Dockerfile': [
    '# ringfence:ignore:RF-DF-009 pinned by the release pipeline',
    'FROM node:20',
    'RUN curl -fsSL https://get.example.com | sh',
    'CMD ["node", "server.js"]',
  ].join('\n'),
  'docker-compose.yml': [
    'services:',
    '  web:',
    '    image: nginx:1.27',
    '    privileged: true',
    '    volumes:',
    '      - /var/run/docker.sock:/var/run/docker.sock',
  ].join('\n'),
  'broken/Dockerfile': 'FROM alpine:3.19\nNOT_AN_INSTRUCTION\n',
};

interface JsonReport {
  artifact: { name: string; type: string; files: number };
  findings: {
    ruleId: string;
    severity: string;
    location: { path: string; line: number; endLine: number; snippet: string };
  }[];
  suppressed: { ruleId: string; status: string }[];
  errors: { target: string; message: string }[];
}

describe('ringfence config', () => {
  it('prints a table of findings and malformed files, exit 0 without --exit-code', async () => {
    write(PROJECT);
    const r = await ringfence(['config', '.'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('docker-compose.yml (');
    expect(r.stdout).toMatch(/RF-DC-009 │ CRITICAL │ docker-compose\.yml:6 /);
    expect(r.stdout).toMatch(/RF-DF-031 │ HIGH +│ app\/Dockerfile:3 /);
    expect(r.stdout).toContain('error: broken/Dockerfile:2: unknown instruction: NOT_AN_INSTRUCTION');
    expect(r.stdout).toContain('1 finding(s) suppressed');
  });

  it('writes JSON with rule ids, line ranges, snippets, suppressions and errors', async () => {
    write(PROJECT);
    const r = await ringfence(['config', root, '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as JsonReport;
    expect(doc.artifact).toEqual({ name: root, type: 'config', files: 2 });
    const sock = doc.findings.find((f) => f.ruleId === 'RF-DC-009')!;
    expect(sock.location).toEqual({
      path: `${root}/docker-compose.yml`,
      line: 6,
      endLine: 6,
      snippet: '      - /var/run/docker.sock:/var/run/docker.sock',
    });
    expect(doc.suppressed.map((f) => [f.ruleId, f.status])).toEqual([['RF-DF-009', 'ignored']]);
    expect(doc.errors).toEqual([
      { target: `${root}/broken/Dockerfile:2`, message: 'unknown instruction: NOT_AN_INSTRUCTION' },
    ]);
  });

  it('writes SARIF and JUnit', async () => {
    write(PROJECT);
    const sarif = await ringfence(['config', '.', '-f', 'sarif'], { cwd: root });
    const run = (
      JSON.parse(sarif.stdout) as {
        runs: { results: { ruleId: string; locations: unknown[]; suppressions?: unknown[] }[] }[];
      }
    ).runs[0]!;
    expect(run.results.find((x) => x.ruleId === 'RF-DC-001')?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'docker-compose.yml' },
          region: { startLine: 4, endLine: 4 },
        },
        message: { text: 'docker-compose.yml' },
      },
    ]);
    expect(run.results.find((x) => x.ruleId === 'RF-DF-009')?.suppressions).toHaveLength(1);
    const junit = await ringfence(['config', '.', '-f', 'junit'], { cwd: root });
    expect(junit.stdout).toMatch(/^<\?xml/);
    expect(junit.stdout).toContain('RF-DF-031');
  });

  it('exits with --exit-code when findings at the selected severities remain', async () => {
    write(PROJECT);
    expect((await ringfence(['config', '.', '--exit-code', '5'], { cwd: root })).code).toBe(5);
    const critical = await ringfence(
      ['config', '.', '--exit-code', '5', '--severity', 'CRITICAL', '-f', 'json'],
      { cwd: root },
    );
    expect(critical.code).toBe(5);
    expect(new Set((JSON.parse(critical.stdout) as JsonReport).findings.map((f) => f.severity))).toEqual(
      new Set(['CRITICAL']),
    );
    write({ 'docker-compose.yml': 'services:\n  web:\n    image: nginx:1.27\n' });
    expect(
      (await ringfence(['config', '.', '--exit-code', '5', '--severity', 'CRITICAL'], { cwd: root })).code,
    ).toBe(0);
  });

  it('honours the ignore file and --skip-dirs', async () => {
    write({
      ...PROJECT,
      '.ringfenceignore': 'RF-DC-009 path:docker-compose.yml # socket proxy\nRF-DC-001 exp:2000-01-01\n',
    });
    const r = await ringfence(['config', '.', '-f', 'json', '--skip-dirs', 'broken,app'], { cwd: root });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as JsonReport;
    expect(doc.findings.some((f) => f.ruleId === 'RF-DC-009')).toBe(false);
    expect(doc.findings.some((f) => f.ruleId === 'RF-DC-001')).toBe(true);
    expect(doc.findings.some((f) => f.location.path.startsWith('app/'))).toBe(false);
    expect(doc.errors).toEqual([]);
    expect(r.stderr).toContain('expired on 2000-01-01');
  });

  it('writes --output atomically, and leaves no file behind when it cannot', async () => {
    write(PROJECT);
    const out = join(root, 'report.json');
    const ok = await ringfence(['config', '.', '-f', 'json', '-o', out], { cwd: root });
    expect([ok.code, ok.stdout]).toEqual([0, '']);
    expect((JSON.parse(readFileSync(out, 'utf8')) as JsonReport).findings.length).toBeGreaterThan(3);
    const bad = await ringfence(['config', '.', '-o', join(root, 'no/such/dir/r.json')], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('exits 2 with one line when nothing could be read, or the path or a flag is wrong', async () => {
    write({ Dockerfile: 'FROM alpine:3.19\nNOT_AN_INSTRUCTION\n' });
    const malformed = await ringfence(['config', 'Dockerfile'], { cwd: root });
    expect([malformed.code, malformed.stdout, malformed.stderr]).toEqual([
      2,
      '',
      'ringfence: Dockerfile: line 2: unknown instruction: NOT_AN_INSTRUCTION\n',
    ]);
    const missing = await ringfence(['config', 'nope'], { cwd: root });
    expect([missing.code, missing.stderr]).toEqual([2, 'ringfence: nope: no such file or directory\n']);
    const format = await ringfence(['config', '.', '-f', 'cyclonedx'], { cwd: root });
    expect(format.code).toBe(2);
    expect(format.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
  });
});
