// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolation under test is written in plain strings
import { describe, expect, it } from 'vitest';
import { scanSource } from '../../../src/config/engine/scan-source.js';
import { terraformChecks } from '../../../src/config/terraform/checks/index.js';
import { terraformKind } from '../../../src/config/terraform/kind.js';

/** [main.tf, expected [line, endLine] of each finding of the rule]. */
type Bad = [string, [number, number][]];
interface Case {
  bad: Bad[];
  good: string[];
}

const tf = (...l: string[]): string => `${l.join('\n')}\n`;

function ranges(text: string, id: string, path = 'main.tf'): [number, number][] {
  const result = scanSource(terraformKind, { path, text, companions: new Map() });
  expect(result.errors).toEqual([]);
  return result.findings
    .filter((f) => f.ruleId === id)
    .map((f) => [f.location.line!, f.location.endLine!] as [number, number]);
}

const ingress = (cidrs: string, port = 22, protocol = '"tcp"'): string[] => [
  'resource "aws_security_group" "web" {',
  '  ingress {',
  `    from_port   = ${port}`,
  `    to_port     = ${port}`,
  `    protocol    = ${protocol}`,
  `    cidr_blocks = ${cidrs}`,
  '  }',
  '}',
];
const bucket = (...body: string[]): string[] => [
  'resource "aws_s3_bucket" "data" {',
  '  bucket = "acme-data"',
  ...body,
  '}',
];
const policy = (...statement: string[]): string[] => [
  'resource "aws_iam_policy" "p" {',
  '  policy = jsonencode({',
  '    Version = "2012-10-17"',
  '    Statement = [{',
  ...statement,
  '    }]',
  '  })',
  '}',
];
const trail = (...body: string[]): string[] => [
  'resource "aws_cloudtrail" "main" {',
  '  name           = "main"',
  '  s3_bucket_name = "logs"',
  ...body,
  '}',
];
const secureInstance = (...extra: string[]): string[] => [
  'resource "aws_instance" "app" {',
  '  ami = "ami-123"',
  '  metadata_options {',
  '    http_tokens = "required"',
  '  }',
  '  root_block_device {',
  '    encrypted = true',
  '  }',
  ...extra,
  '}',
];
const eks = (...body: string[]): string[] => [
  'resource "aws_eks_cluster" "k" {',
  '  name = "k"',
  ...body,
  '}',
];
const taskDefinition = (...body: string[]): string[] => [
  'resource "aws_ecs_task_definition" "t" {',
  '  family = "t"',
  ...body,
  '}',
];

const CASES: Record<string, Case> = {
  'RF-AWS-001': {
    bad: [
      [tf(...ingress('["10.0.0.0/8", "0.0.0.0/0"]')), [[6, 6]]],
      [
        tf(
          'variable "admin_cidr" {',
          '  default = "0.0.0.0/0"',
          '}',
          'resource "aws_security_group_rule" "rdp" {',
          '  type              = "ingress"',
          '  from_port         = 3389',
          '  to_port           = 3389',
          '  protocol          = "tcp"',
          '  cidr_blocks       = [var.admin_cidr]',
          '  security_group_id = aws_security_group.web.id',
          '}',
        ),
        [[9, 9]],
      ],
      [
        tf(
          'resource "aws_vpc_security_group_ingress_rule" "ssh" {',
          '  security_group_id = aws_security_group.web.id',
          '  ip_protocol       = "tcp"',
          '  from_port         = 20',
          '  to_port           = 25',
          '  cidr_ipv6         = "::/0"',
          '}',
        ),
        [[6, 6]],
      ],
      [
        tf(
          'locals {',
          '  open = ["0.0.0.0/0"]',
          '}',
          'resource "aws_security_group" "web" {',
          '  ingress {',
          '    from_port = 22',
          '    to_port   = 22',
          '    protocol  = "6"',
          '    cidr_blocks = concat([',
          '      "10.1.0.0/16",',
          '    ], local.open)',
          '  }',
          '}',
        ),
        [[9, 11]],
      ],
      [
        tf(
          'resource "aws_security_group" "web" {',
          '  ingress = [{',
          '    from_port   = 22',
          '    to_port     = 22',
          '    protocol    = "tcp"',
          '    cidr_blocks = [',
          '      "10.0.0.0/8",',
          '      "0.0.0.0/0",',
          '    ]',
          '  }]',
          '}',
        ),
        [[8, 8]],
      ],
    ],
    good: [
      tf('variable "admin_cidr" {', '  type = string', '}', ...ingress('[var.admin_cidr]')),
      tf(...ingress('["10.0.0.0/8"]')),
      tf(...ingress('["0.0.0.0/0"]', 443)),
      tf(...ingress('["0.0.0.0/0"]', 0, '"-1"')),
      tf(...ingress('["0.0.0.0/0"]', 22, '"icmp"')),
      tf(
        'resource "aws_security_group" "web" {',
        '  dynamic "ingress" {',
        '    for_each = []',
        '    content {',
        '      from_port   = 22',
        '      to_port     = 22',
        '      protocol    = "tcp"',
        '      cidr_blocks = ["0.0.0.0/0"]',
        '    }',
        '  }',
        '}',
      ),
    ],
  },
  'RF-AWS-002': {
    bad: [
      [tf(...ingress('["0.0.0.0/0"]', 0, '"-1"')), [[6, 6]]],
      [
        tf(
          'resource "aws_security_group_rule" "all" {',
          '  type             = "ingress"',
          '  from_port        = 0',
          '  to_port          = 65535',
          '  protocol         = "tcp"',
          '  ipv6_cidr_blocks = ["::/0"]',
          '}',
        ),
        [[6, 6]],
      ],
    ],
    good: [tf(...ingress('["0.0.0.0/0"]', 443)), tf(...ingress('["10.0.0.0/8"]', 0, '"-1"'))],
  },
  'RF-AWS-003': {
    bad: [
      [tf(...ingress('["0.0.0.0/0"]', 5432)), [[6, 6]]],
      [
        tf(
          'resource "aws_security_group" "db" {',
          '  ingress {',
          '    from_port   = 3000',
          '    to_port     = 4000',
          '    protocol    = "tcp"',
          '    cidr_blocks = ["0.0.0.0/0"]',
          '  }',
          '}',
        ),
        [[6, 6]],
      ],
    ],
    good: [tf(...ingress('["10.0.0.0/16"]', 5432)), tf(...ingress('["0.0.0.0/0"]', 0, '"-1"'))],
  },
  'RF-AWS-004': {
    bad: [
      [tf(...bucket('  acl    = "public-read"')), [[3, 3]]],
      [
        tf(
          'resource "aws_s3_bucket_acl" "data" {',
          '  bucket = aws_s3_bucket.data.id',
          '  acl    = "public-read-write"',
          '}',
        ),
        [[3, 3]],
      ],
    ],
    good: [tf(...bucket('  acl    = "private"')), tf(...bucket())],
  },
  'RF-AWS-005': {
    bad: [
      [tf(...bucket()), [[1, 1]]],
      [
        tf(
          ...bucket(),
          'resource "aws_s3_bucket_public_access_block" "data" {',
          '  bucket                  = aws_s3_bucket.data.id',
          '  block_public_acls       = true',
          '  block_public_policy     = false',
          '  ignore_public_acls      = true',
          '}',
        ),
        [
          [4, 4],
          [7, 7],
        ],
      ],
    ],
    good: [
      tf(
        ...bucket(),
        'resource "aws_s3_bucket_public_access_block" "data" {',
        '  bucket                  = "acme-data"',
        '  block_public_acls       = true',
        '  block_public_policy     = true',
        '  ignore_public_acls      = true',
        '  restrict_public_buckets = true',
        '}',
      ),
      tf(
        ...bucket(),
        'resource "aws_s3_bucket_public_access_block" "any" {',
        '  bucket            = var.bucket_id',
        '  block_public_acls = false',
        '}',
      ),
      tf(
        ...bucket(),
        'resource "aws_s3_account_public_access_block" "account" {',
        '  block_public_acls = true',
        '}',
      ),
    ],
  },
  'RF-AWS-006': {
    bad: [
      [
        tf(
          'resource "aws_s3_bucket_policy" "p" {',
          '  bucket = aws_s3_bucket.data.id',
          '  policy = jsonencode({',
          '    Statement = [{',
          '      Effect    = "Allow"',
          '      Principal = "*"',
          '      Action    = "s3:GetObject"',
          '      Resource  = "arn:aws:s3:::acme-data/*"',
          '    }]',
          '  })',
          '}',
        ),
        [[6, 6]],
      ],
      [
        tf(
          'data "aws_iam_policy_document" "trust" {',
          '  statement {',
          '    actions = ["sts:AssumeRole"]',
          '    principals {',
          '      type        = "AWS"',
          '      identifiers = ["*"]',
          '    }',
          '  }',
          '}',
        ),
        [[4, 7]],
      ],
    ],
    good: [
      tf(
        'resource "aws_s3_bucket_policy" "p" {',
        '  bucket = aws_s3_bucket.data.id',
        '  policy = jsonencode({',
        '    Statement = [{',
        '      Effect    = "Deny"',
        '      Principal = "*"',
        '      Action    = "s3:*"',
        '      Resource  = "arn:aws:s3:::acme-data/*"',
        '      Condition = { Bool = { "aws:SecureTransport" = "false" } }',
        '    }]',
        '  })',
        '}',
      ),
      tf(
        'data "aws_iam_policy_document" "vpce" {',
        '  statement {',
        '    actions = ["s3:GetObject"]',
        '    principals {',
        '      type        = "*"',
        '      identifiers = ["*"]',
        '    }',
        '    condition {',
        '      test     = "StringEquals"',
        '      variable = "aws:SourceVpce"',
        '      values   = ["vpce-1a2b3c"]',
        '    }',
        '  }',
        '}',
      ),
    ],
  },
  'RF-AWS-007': {
    bad: [[tf(...bucket()), [[1, 1]]]],
    good: [
      tf(
        ...bucket(
          '  server_side_encryption_configuration {',
          '    rule {',
          '      apply_server_side_encryption_by_default {',
          '        sse_algorithm = "aws:kms"',
          '      }',
          '    }',
          '  }',
        ),
      ),
      tf(
        ...bucket(),
        'resource "aws_s3_bucket_server_side_encryption_configuration" "data" {',
        '  bucket = aws_s3_bucket.data.bucket',
        '}',
      ),
      tf(
        ...bucket(),
        'resource "aws_s3_bucket_server_side_encryption_configuration" "x" {',
        '  bucket = var.b',
        '}',
      ),
    ],
  },
  'RF-AWS-008': {
    bad: [
      [tf(...bucket()), [[1, 1]]],
      [
        tf(
          ...bucket(),
          'resource "aws_s3_bucket_versioning" "data" {',
          '  bucket = aws_s3_bucket.data.id',
          '  versioning_configuration {',
          '    status = "Suspended"',
          '  }',
          '}',
        ),
        [[7, 7]],
      ],
      [tf(...bucket('  versioning {', '    enabled = false', '  }')), [[4, 4]]],
    ],
    good: [
      tf(
        ...bucket(),
        'resource "aws_s3_bucket_versioning" "data" {',
        '  bucket = aws_s3_bucket.data.id',
        '  versioning_configuration {',
        '    status = "Enabled"',
        '  }',
        '}',
      ),
    ],
  },
  'RF-AWS-009': {
    bad: [[tf(...bucket()), [[1, 1]]]],
    good: [
      tf(
        ...bucket(),
        'resource "aws_s3_bucket" "logs" {',
        '  bucket = "acme-logs"',
        '}',
        'resource "aws_s3_bucket_logging" "data" {',
        '  bucket        = aws_s3_bucket.data.id',
        '  target_bucket = aws_s3_bucket.logs.id',
        '}',
      ),
    ],
  },
  'RF-AWS-010': {
    bad: [
      [tf('resource "aws_ebs_volume" "v" {', '  size = 10', '}'), [[1, 1]]],
      [tf('resource "aws_ebs_volume" "v" {', '  size      = 10', '  encrypted = false', '}'), [[3, 3]]],
    ],
    good: [
      tf('resource "aws_ebs_volume" "v" {', '  size      = 10', '  encrypted = true', '}'),
      tf('resource "aws_ebs_volume" "v" {', '  snapshot_id = "snap-1"', '}'),
      tf(
        'resource "aws_ebs_encryption_by_default" "on" {}',
        'resource "aws_ebs_volume" "v" {',
        '  size = 10',
        '}',
      ),
    ],
  },
  'RF-AWS-011': {
    bad: [[tf('resource "aws_ebs_encryption_by_default" "off" {', '  enabled = false', '}'), [[2, 2]]]],
    good: [tf('resource "aws_ebs_encryption_by_default" "on" {', '  enabled = true', '}')],
  },
  'RF-AWS-012': {
    bad: [
      [tf('resource "aws_db_instance" "db" {', '  engine = "postgres"', '}'), [[1, 1]]],
      [
        tf(
          'resource "aws_rds_cluster" "c" {',
          '  engine            = "aurora-mysql"',
          '  storage_encrypted = false',
          '}',
        ),
        [[3, 3]],
      ],
    ],
    good: [
      tf('resource "aws_db_instance" "db" {', '  storage_encrypted = true', '}'),
      tf(
        'resource "aws_db_instance" "replica" {',
        '  replicate_source_db = aws_db_instance.db.identifier',
        '}',
      ),
      tf(
        'resource "aws_rds_cluster_instance" "member" {',
        '  cluster_identifier = aws_rds_cluster.c.id',
        '}',
      ),
      tf('resource "aws_rds_cluster" "c" {', '  engine_mode = "serverless"', '}'),
    ],
  },
  'RF-AWS-013': {
    bad: [[tf('resource "aws_db_instance" "db" {', '  publicly_accessible = true', '}'), [[2, 2]]]],
    good: [
      tf('resource "aws_db_instance" "db" {', '  publicly_accessible = false', '}'),
      tf(
        'variable "public" {',
        '  default = false',
        '}',
        'resource "aws_db_instance" "db" {',
        '  count               = var.public ? 1 : 0',
        '  publicly_accessible = true',
        '}',
      ),
      tf('resource "aws_db_instance" "db" {', '  engine = "mysql"', '}'),
    ],
  },
  'RF-AWS-014': {
    bad: [[tf('resource "aws_db_instance" "db" {', '  backup_retention_period = 0', '}'), [[2, 2]]]],
    good: [
      tf('resource "aws_db_instance" "db" {', '  backup_retention_period = 7', '}'),
      tf('resource "aws_db_instance" "db" {', '  engine = "mysql"', '}'),
    ],
  },
  'RF-AWS-015': {
    bad: [
      [tf('resource "aws_db_instance" "db" {', '  engine = "mysql"', '}'), [[1, 1]]],
      [tf('resource "aws_rds_cluster" "c" {', '  deletion_protection = false', '}'), [[2, 2]]],
    ],
    good: [
      tf('resource "aws_db_instance" "db" {', '  deletion_protection = true', '}'),
      tf('resource "aws_rds_cluster_instance" "member" {', '  cluster_identifier = "c"', '}'),
    ],
  },
  'RF-AWS-016': {
    bad: [
      [tf(...policy('      Effect   = "Allow"', '      Action   = "*"', '      Resource = "*"')), [[6, 6]]],
      [
        tf(
          'resource "aws_iam_role_policy" "inline" {',
          '  role   = aws_iam_role.r.id',
          '  policy = <<-EOF',
          '    {',
          '      "Version": "2012-10-17",',
          '      "Statement": [',
          '        {',
          '          "Effect": "Allow",',
          '          "Action": ["*:*"],',
          '          "Resource": "*"',
          '        }',
          '      ]',
          '    }',
          '    EOF',
          '}',
        ),
        [[9, 9]],
      ],
      [
        tf(
          'data "aws_iam_policy_document" "admin" {',
          '  statement {',
          '    actions   = ["*"]',
          '    resources = ["*"]',
          '  }',
          '}',
        ),
        [[3, 3]],
      ],
      [
        tf(
          'locals {',
          '  everything = "*"',
          '}',
          'resource "aws_iam_policy" "p" {',
          '  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = local.everything, Resource = "*" }] })',
          '}',
        ),
        [[5, 5]],
      ],
    ],
    good: [
      tf(...policy('      Effect   = "Allow"', '      Action   = "s3:GetObject"', '      Resource = "*"')),
      tf(...policy('      Effect   = "Deny"', '      Action   = "*"', '      Resource = "*"')),
      tf(...policy('      Effect   = "Allow"', '      Action   = var.actions', '      Resource = "*"')),
      tf('resource "aws_iam_policy" "p" {', '  policy = data.aws_iam_policy_document.admin.json', '}'),
    ],
  },
  'RF-AWS-017': {
    bad: [
      [
        tf(
          ...policy(
            '      Effect   = "Allow"',
            '      Action   = ["ec2:RunInstances", "iam:PassRole"]',
            '      Resource = "*"',
          ),
        ),
        [[6, 6]],
      ],
      [
        tf(
          'data "aws_iam_policy_document" "deploy" {',
          '  statement {',
          '    actions   = ["iam:Pass*"]',
          '    resources = ["*"]',
          '  }',
          '}',
        ),
        [[3, 3]],
      ],
    ],
    good: [
      tf(
        ...policy(
          '      Effect   = "Allow"',
          '      Action   = "iam:PassRole"',
          '      Resource = "arn:aws:iam::123456789012:role/app"',
        ),
      ),
      tf(...policy('      Effect   = "Allow"', '      Action   = "*"', '      Resource = "*"')),
    ],
  },
  'RF-AWS-018': {
    bad: [
      [
        tf(...policy('      Effect    = "Allow"', '      NotAction = "iam:*"', '      Resource  = "*"')),
        [[6, 6]],
      ],
    ],
    good: [tf(...policy('      Effect    = "Deny"', '      NotAction = "s3:*"', '      Resource  = "*"'))],
  },
  'RF-AWS-019': {
    bad: [[tf(...trail('  enable_logging = false')), [[4, 4]]]],
    good: [tf(...trail())],
  },
  'RF-AWS-020': {
    bad: [
      [tf(...trail()), [[1, 1]]],
      [tf(...trail('  is_multi_region_trail = false')), [[4, 4]]],
    ],
    good: [tf(...trail('  is_multi_region_trail = true'))],
  },
  'RF-AWS-021': {
    bad: [[tf(...trail()), [[1, 1]]]],
    good: [tf(...trail('  enable_log_file_validation = true'))],
  },
  'RF-AWS-022': {
    bad: [[tf(...trail()), [[1, 1]]]],
    good: [tf(...trail('  kms_key_id = aws_kms_key.trail.arn'))],
  },
  'RF-AWS-023': {
    bad: [
      [tf('resource "aws_instance" "app" {', '  ami = "ami-123"', '}'), [[1, 1]]],
      [tf(...secureInstance()).replace('"required"', '"optional"'), [[4, 4]]],
      [
        tf(
          'resource "aws_launch_template" "lt" {',
          '  metadata_options {',
          '    http_endpoint = "enabled"',
          '  }',
          '}',
        ),
        [[2, 4]],
      ],
    ],
    good: [
      tf(...secureInstance()),
      tf(
        'resource "aws_instance" "app" {',
        '  metadata_options {',
        '    http_endpoint = "disabled"',
        '  }',
        '}',
      ),
    ],
  },
  'RF-AWS-024': {
    bad: [
      [tf(...secureInstance('  associate_public_ip_address = true')), [[9, 9]]],
      [
        tf(
          'resource "aws_launch_template" "lt" {',
          '  network_interfaces {',
          '    associate_public_ip_address = "true"',
          '  }',
          '}',
        ),
        [[3, 3]],
      ],
    ],
    good: [tf(...secureInstance('  associate_public_ip_address = false')), tf(...secureInstance())],
  },
  'RF-AWS-025': {
    bad: [
      [tf('resource "aws_instance" "app" {', '  ami = "ami-123"', '}'), [[1, 1]]],
      [tf(...secureInstance()).replace('encrypted = true', 'encrypted = false'), [[7, 7]]],
      [
        tf(
          ...secureInstance(
            '  ebs_block_device {',
            '    device_name = "/dev/sdh"',
            '    volume_size = 100',
            '  }',
          ),
        ),
        [[9, 12]],
      ],
      [
        tf(
          'resource "aws_launch_template" "lt" {',
          '  block_device_mappings {',
          '    device_name = "/dev/xvda"',
          '    ebs {',
          '      volume_size = 20',
          '    }',
          '  }',
          '}',
        ),
        [[4, 6]],
      ],
    ],
    good: [
      tf(...secureInstance()),
      tf(
        'resource "aws_ebs_encryption_by_default" "on" {}',
        'resource "aws_instance" "app" {',
        '  ami = "x"',
        '}',
      ),
    ],
  },
  'RF-AWS-026': {
    bad: [
      [tf(...eks('  vpc_config {', '    subnet_ids = var.subnets', '  }')), [[3, 5]]],
      [tf(...eks('  vpc_config {', '    public_access_cidrs = ["0.0.0.0/0"]', '  }')), [[4, 4]]],
    ],
    good: [
      tf(
        ...eks(
          '  vpc_config {',
          '    endpoint_public_access  = false',
          '    endpoint_private_access = true',
          '  }',
        ),
      ),
      tf(...eks('  vpc_config {', '    public_access_cidrs = ["203.0.113.0/24"]', '  }')),
    ],
  },
  'RF-AWS-027': {
    bad: [
      [tf(...eks()), [[1, 1]]],
      [tf(...eks('  encryption_config {', '    resources = []', '  }')), [[4, 4]]],
    ],
    good: [
      tf(
        ...eks(
          '  encryption_config {',
          '    resources = ["secrets"]',
          '    provider {',
          '      key_arn = aws_kms_key.eks.arn',
          '    }',
          '  }',
        ),
      ),
    ],
  },
  'RF-AWS-028': {
    bad: [
      [tf('resource "aws_ecr_repository" "r" {', '  name = "app"', '}'), [[1, 1]]],
      [tf('resource "aws_ecr_repository" "r" {', '  image_tag_mutability = "MUTABLE"', '}'), [[2, 2]]],
    ],
    good: [tf('resource "aws_ecr_repository" "r" {', '  image_tag_mutability = "IMMUTABLE"', '}')],
  },
  'RF-AWS-029': {
    bad: [
      [tf('resource "aws_ecr_repository" "r" {', '  name = "app"', '}'), [[1, 1]]],
      [
        tf(
          'resource "aws_ecr_repository" "r" {',
          '  image_scanning_configuration {',
          '    scan_on_push = false',
          '  }',
          '}',
        ),
        [[3, 3]],
      ],
    ],
    good: [
      tf(
        'resource "aws_ecr_repository" "r" {',
        '  image_scanning_configuration {',
        '    scan_on_push = true',
        '  }',
        '}',
      ),
    ],
  },
  'RF-AWS-030': {
    bad: [
      [
        tf(
          ...taskDefinition(
            '  container_definitions = jsonencode([',
            '    { name = "sidecar", image = "envoy:1.30" },',
            '    {',
            '      name       = "app"',
            '      image      = "app:1"',
            '      privileged = true',
            '    },',
            '  ])',
          ),
        ),
        [[8, 8]],
      ],
      [
        tf(
          ...taskDefinition(
            '  container_definitions = <<-JSON',
            '    [',
            '      {"name": "app", "image": "app:1",',
            '       "privileged": true}',
            '    ]',
            '  JSON',
          ),
        ),
        [[6, 6]],
      ],
    ],
    good: [
      tf(...taskDefinition('  container_definitions = jsonencode([{ name = "app", privileged = false }])')),
      tf(...taskDefinition('  container_definitions = file("containers.json")')),
    ],
  },
  'RF-AWS-031': {
    bad: [[tf(...taskDefinition('  network_mode = "host"')), [[3, 3]]]],
    good: [tf(...taskDefinition('  network_mode = "awsvpc"'))],
  },
  'RF-AWS-032': {
    bad: [
      [tf('resource "aws_kms_key" "k" {', '  description = "data"', '}'), [[1, 1]]],
      [tf('resource "aws_kms_key" "k" {', '  enable_key_rotation = false', '}'), [[2, 2]]],
    ],
    good: [
      tf('resource "aws_kms_key" "k" {', '  enable_key_rotation = true', '}'),
      tf(
        'resource "aws_kms_key" "sign" {',
        '  customer_master_key_spec = "RSA_2048"',
        '  key_usage = "SIGN_VERIFY"',
        '}',
      ),
    ],
  },
  'RF-AWS-033': {
    bad: [
      [
        tf(
          'resource "aws_lb_listener" "http" {',
          '  port     = 80',
          '  protocol = "HTTP"',
          '  default_action {',
          '    type             = "forward"',
          '    target_group_arn = aws_lb_target_group.app.arn',
          '  }',
          '}',
        ),
        [[3, 3]],
      ],
    ],
    good: [
      tf(
        'resource "aws_lb_listener" "http" {',
        '  protocol = "HTTP"',
        '  default_action {',
        '    type = "redirect"',
        '    redirect {',
        '      port        = "443"',
        '      protocol    = "HTTPS"',
        '      status_code = "HTTP_301"',
        '    }',
        '  }',
        '}',
      ),
      tf(
        'resource "aws_lb_listener" "https" {',
        '  protocol = "HTTPS"',
        '  default_action {',
        '    type = "forward"',
        '  }',
        '}',
      ),
    ],
  },
};

describe('Terraform checks', () => {
  it('has a good and a bad example for every AWS check (the pod checks are in kubernetes.test.ts)', () => {
    const ids = terraformChecks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const aws = ids.filter((id) => id.startsWith('RF-AWS-'));
    expect(Object.keys(CASES).sort()).toEqual(aws.sort());
    expect(aws.length).toBeGreaterThanOrEqual(25);
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

  it('gives every check the metadata a report needs', () => {
    for (const c of terraformChecks) {
      expect(c.id).toMatch(/^RF-(AWS|K8S)-\d{3}$/);
      expect(c.description.length).toBeGreaterThan(40);
      expect(c.remediation.length).toBeGreaterThan(10);
      for (const r of c.references) expect(r).toMatch(/^https:\/\//);
    }
    const cis = Object.fromEntries(terraformChecks.map((c) => [c.id, c.frameworks?.['cis-aws']]));
    expect(cis).toMatchObject({ 'RF-AWS-001': '5.2, 5.3', 'RF-AWS-016': '1.16', 'RF-AWS-023': '5.6' });
  });

  it('reads the JSON syntax (*.tf.json) with the lines of the offending values', () => {
    const text = JSON.stringify(
      {
        variable: { admin_cidr: { default: '0.0.0.0/0' } },
        resource: {
          aws_security_group: {
            web: {
              ingress: [{ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['${var.admin_cidr}'] }],
            },
          },
          aws_db_instance: { db: { publicly_accessible: true, '//': 'a comment' } },
        },
      },
      null,
      2,
    );
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(ranges(text, 'RF-AWS-001', 'main.tf.json')).toEqual([
      [lineOf('${var.admin_cidr}'), lineOf('${var.admin_cidr}')],
    ]);
    expect(ranges(text, 'RF-AWS-013', 'main.tf.json')).toEqual([
      [lineOf('publicly_accessible'), lineOf('publicly_accessible')],
    ]);
    expect(ranges(text, 'RF-AWS-015', 'main.tf.json')).toEqual([[lineOf('"db"'), lineOf('"db"')]]);
  });

  it('takes variable values from terraform.tfvars and variables.tf beside the file', () => {
    const main = tf(...ingress('[var.admin_cidr]'));
    const scan = (companions: [string, string][]) =>
      scanSource(terraformKind, { path: 'main.tf', text: main, companions: new Map(companions) })
        .findings.filter((f) => f.ruleId === 'RF-AWS-001')
        .map((f) => f.location.line);
    expect(scan([])).toEqual([]);
    expect(scan([['variables.tf', 'variable "admin_cidr" {\n  default = "0.0.0.0/0"\n}\n']])).toEqual([6]);
    expect(
      scan([
        ['variables.tf', 'variable "admin_cidr" {\n  default = "0.0.0.0/0"\n}\n'],
        ['terraform.tfvars', 'admin_cidr = "10.0.0.0/8"\n'],
      ]),
    ).toEqual([]);
    expect(scan([['terraform.tfvars.json', '{"admin_cidr": "::/0"}']])).toEqual([6]);
    expect(scan([['variables.tf', 'variable "admin_cidr" {\n  default = \n']])).toEqual([]);
  });

  it('honours inline suppressions with # and //', () => {
    const text = tf(
      'resource "aws_db_instance" "db" {',
      '  # ringfence:ignore:RF-AWS-013 reached only through the VPN endpoint',
      '  publicly_accessible = true',
      '  // ringfence:ignore:RF-AWS-014 a scratch database',
      '  backup_retention_period = 0',
      '}',
    );
    const result = scanSource(terraformKind, { path: 'main.tf', text, companions: new Map() });
    const status = Object.fromEntries(result.findings.map((f) => [f.ruleId, f.status]));
    expect(status).toMatchObject({ 'RF-AWS-013': 'ignored', 'RF-AWS-014': 'ignored', 'RF-AWS-012': 'open' });
  });
});
