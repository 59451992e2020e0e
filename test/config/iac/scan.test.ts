// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolation under test is written in plain strings
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanConfigPath } from '../../../src/config/engine/scan.js';
import { configKinds } from '../../../src/config/kinds.js';
import { scanConfig } from '../../../src/config/scan-config.js';
import { UserError } from '../../../src/util/errors.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rf-iac-scan-'));
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

const SSH_OPEN = [
  'resource "aws_security_group" "web" {',
  '  ingress {',
  '    from_port   = 22',
  '    to_port     = 22',
  '    protocol    = "tcp"',
  '    cidr_blocks = [var.admin_cidr]',
  '  }',
  '}',
  '',
].join('\n');
const TEMPLATE = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Resources:',
  '  Db:',
  '    Type: AWS::RDS::DBInstance',
  '    Properties:',
  '      PubliclyAccessible: true',
  '',
].join('\n');

describe('scanning a tree with Terraform and CloudFormation', () => {
  it('finds both kinds, reports each malformed file once with its line, and scans the rest', async () => {
    write({
      'infra/main.tf': SSH_OPEN,
      'infra/variables.tf': 'variable "admin_cidr" {\n  default = "0.0.0.0/0"\n}\n',
      'infra/broken.tf': 'resource "aws_s3_bucket" "b" {\n  acl = "private"\n  tags = {\n}\n',
      'infra/db.tf.json': '{"resource": {"aws_db_instance": {"db": {"publicly_accessible": true}}}}',
      'infra/.terraform/modules/vpc/main.tf': SSH_OPEN,
      'stack/template.yaml': TEMPLATE,
      'stack/broken.json': '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n',
      'stack/package.json': '{"name": "x", "version": "1.0.0"}',
      'stack/values.yaml': 'Resources:\n  cpu: 1\n',
    });
    const result = await scanConfigPath(root, { kinds: configKinds });
    const rel = (p: string) => p.slice(root.length + 1);
    expect(result.scanned.map((s) => [rel(s.path), s.kind])).toEqual([
      ['infra/db.tf.json', 'terraform'],
      ['infra/main.tf', 'terraform'],
      ['infra/variables.tf', 'terraform'],
      ['stack/template.yaml', 'cloudformation'],
    ]);
    expect(result.errors.map((e) => [rel(e.path), e.kind, e.line, e.message])).toEqual([
      ['infra/broken.tf', 'terraform', 1, 'invalid HCL: block "resource" is not closed with \'}\''],
      ['stack/broken.json', 'cloudformation', 4, expect.stringMatching(/^invalid JSON/)],
    ]);
    const hits = result.findings
      .filter((f) => ['RF-AWS-001', 'RF-AWS-013'].includes(f.ruleId))
      .map((f) => [rel(f.location.path!), f.ruleId, f.location.line]);
    expect(hits).toEqual([
      ['infra/db.tf.json', 'RF-AWS-013', 1],
      ['infra/main.tf', 'RF-AWS-001', 6],
      ['stack/template.yaml', 'RF-AWS-013', 6],
    ]);
    const finding = result.findings.find((f) => f.ruleId === 'RF-AWS-001')!;
    expect(finding).toMatchObject({
      kind: 'misconfiguration',
      severity: 'CRITICAL',
      location: { snippet: '    cidr_blocks = [var.admin_cidr]' },
      details: {
        fileKind: 'terraform',
        resource: 'aws_security_group.web',
        frameworks: { 'cis-aws': '5.2, 5.3' },
      },
    });
  });

  it('is a user error (exit 2) only when nothing could be read', async () => {
    write({ 'broken.tf': 'resource "x" "y" {\n' });
    await expect(scanConfig(root)).rejects.toThrow(UserError);
    write({ 'ok.tf': 'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n' });
    const report = await scanConfig(root);
    expect(report.errors).toEqual([
      { target: `${join(root, 'broken.tf')}:1`, message: expect.stringMatching(/not closed/) },
    ]);
  });
});
