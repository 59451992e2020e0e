// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax under test is written in plain strings
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cloudFormationKind } from '../../../src/config/cloudformation/kind.js';
import { parseTemplate } from '../../../src/config/cloudformation/parse-template.js';
import { ConfigParseError } from '../../../src/config/engine/check.js';
import { scanSource } from '../../../src/config/engine/scan-source.js';
import { UNKNOWN } from '../../../src/config/iac/unknown.js';

const yaml = (...l: string[]): string => `${l.join('\n')}\n`;
const parse = (text: string, path = 'template.yaml') => parseTemplate({ path, text, companions: new Map() });

/** The resolved value of property `name` of the first resource. */
function property(text: string, name: string): unknown {
  const t = parse(text);
  return t.intrinsics.resolve(t.resources[0]!.properties[name]);
}

const HEAD = [
  'Parameters:',
  '  Env:',
  '    Type: String',
  '    Default: prod',
  '  Subnets:',
  '    Type: CommaDelimitedList',
  '    Default: "subnet-a, subnet-b"',
  '  NoDefault:',
  '    Type: String',
  '  FromSsm:',
  '    Type: AWS::SSM::Parameter::Value<String>',
  '    Default: /app/cidr',
  'Mappings:',
  '  Regions:',
  '    prod: { Cidr: 10.0.0.0/8 }',
  'Conditions:',
  '  IsProd: !Equals [!Ref Env, prod]',
  '  IsDev: !Not [!Condition IsProd]',
  '  Either: !Or [!Condition IsDev, !Equals [!Ref NoDefault, x]]',
  '  Loop: !Condition Loop',
  'Resources:',
  '  R:',
  '    Type: AWS::Test::Thing',
  '    Properties:',
];

describe('CloudFormation templates', () => {
  it('reads the short-form tags as their long forms and evaluates what the template decides', () => {
    const cases: [string, unknown][] = [
      ['!Ref Env', 'prod'],
      ['!Ref Subnets', ['subnet-a', 'subnet-b']],
      ['!Ref NoDefault', UNKNOWN],
      ['!Ref FromSsm', UNKNOWN],
      ['!Ref AWS::Region', UNKNOWN],
      ['!Ref AWS::NoValue', undefined],
      ['!Sub "${Env}-data-${!Literal}"', 'prod-data-${Literal}'],
      ['!Sub ["${A}/${Env}", { A: x }]', 'x/prod'],
      ['!Sub "${AWS::AccountId}"', UNKNOWN],
      ['!Sub "${R.Arn}"', UNKNOWN],
      ['!Join ["-", [a, !Ref Env]]', 'a-prod'],
      ['!Select [1, !Split [",", "a,b,c"]]', 'b'],
      ['!Select [0, !GetAZs ""]', UNKNOWN],
      ['!FindInMap [Regions, !Ref Env, Cidr]', '10.0.0.0/8'],
      ['!If [IsProd, yes-prod, no]', 'yes-prod'],
      ['!If [IsDev, a, b]', 'b'],
      ['!If [Either, same, same]', 'same'],
      ['!If [Loop, a, b]', UNKNOWN],
      ['!Base64 abc', 'YWJj'],
      ['!GetAtt R.Arn', UNKNOWN],
      ['!ImportValue shared-vpc', UNKNOWN],
      ['!Cidr [10.0.0.0/16, 2, 8]', UNKNOWN],
      ['{ "Fn::Join": ["", ["a", { "Ref": "Env" }]] }', 'aprod'],
    ];
    for (const [written, expected] of cases) {
      expect([written, property(yaml(...HEAD, `      P: ${written}`), 'P')]).toEqual([written, expected]);
    }
  });

  it('keeps the long form the tags stand for', () => {
    const t = parse(
      yaml(...HEAD, '      A: !GetAtt R.Outputs.Value', '      B: !Sub x', '      C: !Condition IsProd'),
    );
    expect(t.resources[0]!.properties).toEqual({
      A: { 'Fn::GetAtt': ['R', 'Outputs.Value'] },
      B: { 'Fn::Sub': 'x' },
      C: { Condition: 'IsProd' },
    });
  });

  it('reports malformed templates with a line', () => {
    const error = (text: string, path = 'template.yaml') => {
      try {
        parse(text, path);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigParseError);
        return [(err as ConfigParseError).message, (err as ConfigParseError).line];
      }
      throw new Error('no error');
    };
    expect(error(yaml('Resources:', '  A:', '    Type: AWS::S3::Bucket', '    Properties: [1, 2'))).toEqual([
      expect.stringMatching(/^invalid YAML/),
      5,
    ]);
    expect(
      error(yaml('AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', '  A:', '    Properties: {}')),
    ).toEqual(['resource A must be a mapping with a Type', 3]);
    expect(error(yaml('Resources:', '  - A'))).toEqual(['Resources must be a mapping', 1]);
    expect(
      error('{\n  "Resources": {\n    "A": {"Type": "AWS::S3::Bucket",}\n  }\n}', 'template.json'),
    ).toEqual([expect.stringMatching(/^invalid JSON/), 3]);
    expect(error('{\n  "Resources": {}\n', 'template.json')).toEqual([
      expect.stringMatching(/^invalid JSON/),
      3,
    ]);
    expect(error(`{"Resources": ${'['.repeat(600)}${']'.repeat(600)}}`, 'template.json')).toEqual([
      'invalid JSON: nested deeper than 512 levels',
      1,
    ]);
  });

  it('is recognised by content: a format version, or Resources with an AWS:: type', () => {
    const match = (text: string) => cloudFormationKind.matchesContent!(text, 'x.yaml');
    expect(match('AWSTemplateFormatVersion: "2010-09-09"\n')).toBe(true);
    expect(match('{"Resources":{"B":{"Type":"AWS::S3::Bucket"}}}')).toBe(true);
    expect(
      match('Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n'),
    ).toBe(true);
    expect(match('{"name": "pkg", "version": "1.0.0"}')).toBe(false);
    expect(match('resources:\n  limits: {cpu: 1}\n')).toBe(false);
  });
});

describe('CloudFormation parser properties', () => {
  const value = fc.letrec((tie) => ({
    any: fc.oneof(
      { depthSize: 'small' },
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('0.0.0.0/0', '*', 'tcp', '-1', 'true', 'MUTABLE', 'host', 'Allow', 'HTTP', 'secrets'),
      fc.array(tie('any'), { maxLength: 3 }),
      fc.dictionary(
        fc.constantFrom(
          'Ref',
          'Fn::If',
          'Fn::Sub',
          'Fn::Join',
          'Fn::Select',
          'Fn::FindInMap',
          'Condition',
          'Statement',
          'Effect',
          'Action',
          'Resource',
          'Principal',
          'AWS',
          'CidrIp',
          'FromPort',
          'ToPort',
          'IpProtocol',
          'Ebs',
          'Encrypted',
          'Privileged',
          'Status',
          'HttpTokens',
          '__proto__',
        ),
        tie('any'),
        { maxKeys: 4 },
      ),
    ),
  })).any;
  const TYPES = [
    'AWS::EC2::SecurityGroup',
    'AWS::EC2::SecurityGroupIngress',
    'AWS::S3::Bucket',
    'AWS::S3::BucketPolicy',
    'AWS::IAM::Role',
    'AWS::IAM::Policy',
    'AWS::RDS::DBInstance',
    'AWS::EC2::Instance',
    'AWS::EC2::LaunchTemplate',
    'AWS::EKS::Cluster',
    'AWS::ECS::TaskDefinition',
    'AWS::ElasticLoadBalancingV2::Listener',
    'AWS::KMS::Key',
  ];
  const props = fc.dictionary(
    fc.constantFrom(
      'SecurityGroupIngress',
      'PolicyDocument',
      'AssumeRolePolicyDocument',
      'Policies',
      'BlockDeviceMappings',
      'NetworkInterfaces',
      'LaunchTemplateData',
      'ContainerDefinitions',
      'DefaultActions',
      'ResourcesVpcConfig',
      'EncryptionConfig',
      'VersioningConfiguration',
      'PublicAccessBlockConfiguration',
      'Protocol',
      'EnableKeyRotation',
      'CidrIp',
    ),
    value,
    { maxKeys: 5 },
  );
  const templateArb = fc.record({
    Parameters: fc.dictionary(
      fc.constantFrom('P', 'Q'),
      fc.record({ Type: fc.constantFrom('String', 'CommaDelimitedList'), Default: value }),
    ),
    Conditions: fc.dictionary(fc.constantFrom('C', 'D'), value),
    Resources: fc.dictionary(
      fc.constantFrom('A', 'B', 'C'),
      fc.record({ Type: fc.constantFrom(...TYPES), Properties: props }),
    ),
  });

  it('runs every check on arbitrary well-formed templates without a failing check, in YAML and JSON', () => {
    fc.assert(
      fc.property(templateArb, (t) => {
        for (const [path, text] of [
          ['t.yaml', stringify(t)],
          ['t.json', JSON.stringify(t, null, 1)],
        ] as const) {
          const result = scanSource(cloudFormationKind, { path, text, companions: new Map() });
          expect(result.errors).toEqual([]);
          const total = text.split('\n').length;
          for (const f of result.findings) expect(f.location.endLine).toBeLessThanOrEqual(total);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('mutated templates either scan or give one error entry with a line', () => {
    const base = stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { S: { Type: 'AWS::S3::Bucket', Properties: { AccessControl: 'PublicRead' } } },
    });
    const fragments = [
      '!Ref X',
      '!If [C, a]',
      '{',
      '[',
      ']',
      '"',
      ':',
      '- ',
      '  ',
      '\n',
      '&a',
      '*a',
      '!Sub ${',
      'Type: AWS::X::Y',
      '\t',
    ];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.nat(),
            insert: fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 3 })),
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.boolean(),
        (edits, asJson) => {
          let text = asJson
            ? JSON.stringify(JSON.parse(JSON.stringify({ Resources: { S: { Type: 'AWS::S3::Bucket' } } })))
            : base;
          for (const { at, insert } of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i);
          }
          const result = scanSource(cloudFormationKind, {
            path: asJson ? 't.json' : 't.yaml',
            text,
            companions: new Map(),
          });
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
