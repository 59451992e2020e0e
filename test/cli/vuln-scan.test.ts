import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/types.js';
import { ringfence } from '../helpers/cli.js';

/**
 * `--scanners` of `ringfence image|rootfs|fs`, on a source tree (no image or database needed):
 * misconfigurations join the same report as vulnerabilities, so formats, --severity,
 * --exit-code, the ignore file and inline suppressions work unchanged. The image side is in
 * test/e2e/misconfig-image.test.ts.
 */

const require = createRequire(import.meta.url);

let root: string;
let project: string;
let cache: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rf-cli-scanners-'));
  project = join(root, 'project');
  cache = join(root, 'cache');
  const files: Record<string, string> = {
    'app/Dockerfile': [
      '# ringfence:ignore:RF-DF-002 the orchestrator probes the service',
      'FROM node:20@sha256:0000000000000000000000000000000000000000000000000000000000000000',
      'RUN apt-get update',
      'USER node',
      'CMD ["node", "server.js"]',
    ].join('\n'),
    'deploy/stack.yaml': 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n',
    'broken/docker-compose.yml': 'services:\n  web: [\n',
    'package-lock.json': JSON.stringify({ name: 'p', lockfileVersion: 3, packages: { '': { name: 'p' } } }),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), text);
  }
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

interface JsonReport {
  artifact: { configFiles?: number; database?: unknown };
  findings: Finding[];
  suppressed: Finding[];
  errors: { target: string; message: string }[];
  warnings: string[];
}

const fs = (args: string[]) => ringfence(['fs', project, '--cache-dir', cache, '--skip-db-update', ...args]);
const json = async (args: string[]) => {
  const r = await fs(['--format', 'json', ...args]);
  return { ...r, report: JSON.parse(r.stdout) as JsonReport };
};

describe('--scanners', () => {
  it('misconfig alone: what `ringfence config` finds in the tree, in the same report shape, no database touched', async () => {
    const { code, stderr, report } = await json(['--scanners', 'misconfig']);
    expect([code, stderr]).toEqual([0, '']);
    const oracle = await ringfence(['config', '.', '--format', 'json'], { cwd: project });
    const expected = JSON.parse(oracle.stdout) as JsonReport;
    const shown = (fs: Finding[]) =>
      fs.map((f) => `${f.ruleId} ${f.status} ${f.location.path}:${f.location.line}`);
    expect(shown(report.findings)).toEqual(shown(expected.findings));
    expect(shown(report.suppressed)).toEqual(shown(expected.suppressed));
    expect(report.errors).toEqual(expected.errors);
    expect(shown(report.findings)).toEqual(
      expect.arrayContaining(['RF-DC-001 open deploy/stack.yaml:4', 'RF-DF-003 open app/Dockerfile:3']),
    );
    expect(shown(report.suppressed)).toEqual(['RF-DF-002 ignored app/Dockerfile:2']);
    expect(report.errors).toEqual([
      { target: 'broken/docker-compose.yml:3', message: expect.stringContaining('invalid YAML') },
    ]);
    expect(report.artifact.configFiles).toBe(3);
    expect(report.artifact.database).toBeUndefined();
    expect(existsSync(join(cache, 'db'))).toBe(false);
  });

  it('vuln is the default; vuln,misconfig gives both in one report', async () => {
    const vulnOnly = await json([]);
    expect(vulnOnly.report.findings).toEqual([]);
    expect(vulnOnly.report.artifact.database).toMatchObject({ empty: true });
    const misconfig = await json(['--scanners', 'misconfig']);
    const both = await json(['--scanners', 'vuln,misconfig']);
    expect(both.code).toBe(0);
    expect(both.report.artifact.database).toMatchObject({ empty: true });
    expect(both.report.findings).toEqual(misconfig.report.findings);
  });

  it('--exit-code, --severity and the ignore file apply to misconfigurations as to vulnerabilities', async () => {
    expect((await fs(['--scanners', 'misconfig', '--exit-code', '4', '--severity', 'HIGH'])).code).toBe(4);
    expect((await fs(['--scanners', 'misconfig', '--exit-code', '4', '--severity', 'CRITICAL'])).code).toBe(
      0,
    );
    const ignore = join(root, '.ringfenceignore');
    writeFileSync(ignore, 'RF-DC-001 path:deploy/**\n');
    const args = [
      '--scanners',
      'misconfig',
      '--exit-code',
      '4',
      '--severity',
      'HIGH',
      '--ignorefile',
      ignore,
    ];
    const { code, report } = await json(args);
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((f) => f.ruleId)).toEqual(['RF-DF-002', 'RF-DC-001']);
  });

  it('SARIF of misconfigurations validates against the SARIF 2.1.0 schema', async () => {
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const validate = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
      schema,
    );
    const r = await fs(['--scanners', 'misconfig', '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'deploy/stack.yaml' },
      region: { startLine: 4, endLine: 4 },
    });
  });

  it('an unknown scanner is a one-line usage error (exit 2)', async () => {
    const r = await fs(['--scanners', 'vuln,secret']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "ringfence: --scanners: unknown scanner 'secret' (expected vuln, misconfig)",
    );
  });
});
