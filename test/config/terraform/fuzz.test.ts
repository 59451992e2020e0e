// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolation under test is written in plain strings
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanSource } from '../../../src/config/engine/scan-source.js';
import { terraformKind } from '../../../src/config/terraform/kind.js';

const scan = (text: string, path = 'main.tf') =>
  scanSource(terraformKind, { path, text, companions: new Map() });

const TYPES = [
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_s3_bucket',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_policy',
  'aws_iam_policy',
  'aws_iam_role',
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_cloudtrail',
  'aws_instance',
  'aws_launch_template',
  'aws_eks_cluster',
  'aws_ecr_repository',
  'aws_ecs_task_definition',
  'aws_kms_key',
  'aws_lb_listener',
  'kubernetes_deployment',
  'kubernetes_pod_v1',
  'kubernetes_cron_job',
];
const ATTRIBUTES = [
  'cidr_blocks',
  'protocol',
  'from_port',
  'to_port',
  'type',
  'bucket',
  'acl',
  'policy',
  'assume_role_policy',
  'publicly_accessible',
  'storage_encrypted',
  'enable_logging',
  'kms_key_id',
  'associate_public_ip_address',
  'container_definitions',
  'network_mode',
  'enable_key_rotation',
  'image_tag_mutability',
  'for_each',
  'privileged',
  'host_network',
  'image',
  'run_as_user',
  'limits',
  'add',
  'path',
];
const BLOCKS = [
  'ingress',
  'metadata_options',
  'root_block_device',
  'vpc_config',
  'encryption_config',
  'statement',
  'principals',
  'default_action',
  'versioning_configuration',
  'block_device_mappings',
  'ebs',
  'network_interfaces',
];
const EXPRESSIONS = [
  '"0.0.0.0/0"',
  '["0.0.0.0/0", var.x]',
  '22',
  '"-1"',
  'true',
  '"true"',
  'null',
  'var.x',
  'local.l',
  'aws_s3_bucket.b.id',
  'jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*", Principal = "*" }] })',
  'jsonencode([{ name = "a", privileged = true }])',
  '<<EOT\n{"Statement": {"Effect": "Allow", "NotAction": "x"}}\nEOT',
  '{ a = 1 }',
  '[{ from_port = 22, to_port = 22, protocol = "tcp", cidr_blocks = ["::/0"] }]',
  '"host"',
  '[for c in var.l : c]',
  'var.l[*].id',
  'concat([], [])',
  '"${var.x}"',
];

/** A body: distinct attributes, then nested (and dynamic) blocks. */
const body: fc.Arbitrary<string> = fc.letrec<{ body: string }>((tie) => ({
  body: fc
    .tuple(
      fc.dictionary(fc.constantFrom(...ATTRIBUTES), fc.constantFrom(...EXPRESSIONS), { maxKeys: 3 }),
      fc.array(
        fc.oneof(
          { depthSize: 'small' },
          fc.constant(''),
          fc.tuple(fc.constantFrom(...BLOCKS), tie('body')).map(([b, inner]) => `${b} {\n${inner}\n}`),
          tie('body').map(
            (inner) => `dynamic "ingress" {\n  for_each = var.l\n  content {\n${inner}\n  }\n}`,
          ),
        ),
        { maxLength: 2 },
      ),
    )
    .map(([attributes, blocks]) =>
      [...Object.entries(attributes).map(([name, value]) => `${name} = ${value}`), ...blocks].join('\n'),
    ),
})).body;

const file = fc
  .array(fc.tuple(fc.constantFrom(...TYPES), fc.constantFrom('a', 'b'), body), { maxLength: 5 })
  .map((resources) =>
    [
      'variable "x" {\n  default = "0.0.0.0/0"\n}',
      'locals {\n  l = [var.x]\n}',
      ...resources.map(([type, name, inner], i) => `resource "${type}" "${name}${i}" {\n${inner}\n}`),
    ].join('\n'),
  );

describe('Terraform scanning properties', () => {
  it('runs every check on arbitrary well-formed Terraform without a failing check, findings inside the file', () => {
    fc.assert(
      fc.property(file, (text) => {
        const result = scan(text);
        expect(result.errors).toEqual([]);
        const total = text.split('\n').length;
        for (const f of result.findings) {
          expect(f.location.line).toBeGreaterThanOrEqual(1);
          expect(f.location.endLine).toBeLessThanOrEqual(total);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('mutated Terraform (HCL or JSON syntax) scans or gives exactly one error entry with a line', () => {
    const sample = fc.sample(file, { numRuns: 1, seed: 42 })[0]!;
    const json = JSON.stringify({
      variable: { x: { default: '0.0.0.0/0' } },
      resource: {
        aws_security_group: {
          w: { ingress: [{ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['${var.x}'] }] },
        },
      },
    });
    const fragments = [
      '{',
      '}',
      '[',
      '"',
      '${',
      '%{',
      '<<EOT\n',
      '\n',
      '=',
      ',',
      ':',
      '//',
      '/*',
      'resource',
      '"aws_s3_bucket"',
    ];
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(
          fc.record({
            at: fc.nat(),
            cut: fc.nat({ max: 5 }),
            insert: fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 3 })),
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        (asJson, edits) => {
          let text = asJson ? json : sample;
          for (const { at, cut, insert } of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i + cut);
          }
          const result = scan(text, asJson ? 'main.tf.json' : 'main.tf');
          expect(result.errors.filter((e) => e.ruleId !== undefined)).toEqual([]);
          if (result.errors.length > 0) {
            expect(result.errors).toHaveLength(1);
            expect(result.errors[0]!.message).not.toMatch(/unexpectedly/);
            expect(result.errors[0]!.line).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
