// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax under test is written in plain strings
import { describe, expect, it } from 'vitest';
import { cloudFormationChecks } from '../../../src/config/cloudformation/checks/index.js';
import { cloudFormationKind } from '../../../src/config/cloudformation/kind.js';
import { scanSource } from '../../../src/config/engine/scan-source.js';

/** [template, expected [line, endLine] of each finding of the rule]. */
type Bad = [string, [number, number][]];
interface Case {
  bad: Bad[];
  good: string[];
}

/** Shared AWS policies with nothing to look at in CloudFormation (no such resource type). */
const TERRAFORM_ONLY = ['RF-AWS-011'];

const yaml = (...l: string[]): string => `${l.join('\n')}\n`;
/** A template with these lines under `Resources:` (so the first resource is on line 2). */
const template = (...l: string[]): string => yaml('Resources:', ...l);

function ranges(text: string, id: string, path = 'template.yaml'): [number, number][] {
  const result = scanSource(cloudFormationKind, { path, text, companions: new Map() });
  expect(result.errors).toEqual([]);
  return result.findings
    .filter((f) => f.ruleId === id)
    .map((f) => [f.location.line!, f.location.endLine!] as [number, number]);
}

const sg = (cidr: string, port: number | string = 22, protocol = 'tcp'): string =>
  template(
    '  Web:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: web',
    '      SecurityGroupIngress:',
    `        - IpProtocol: ${protocol}`,
    `          FromPort: ${port}`,
    `          ToPort: ${port}`,
    `          CidrIp: ${cidr}`,
  );
const bucket = (...props: string[]): string =>
  template(
    '  Data:',
    '    Type: AWS::S3::Bucket',
    '    Properties:',
    '      BucketName: acme-data',
    ...props,
  );
const managedPolicy = (...statement: string[]): string =>
  template(
    '  Policy:',
    '    Type: AWS::IAM::ManagedPolicy',
    '    Properties:',
    '      PolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement:',
    ...statement,
  );
const trail = (...props: string[]): string =>
  template(
    '  Trail:',
    '    Type: AWS::CloudTrail::Trail',
    '    Properties:',
    '      IsLogging: true',
    '      S3BucketName: logs',
    ...props,
  );
const resource = (type: string, ...props: string[]): string =>
  template('  Thing:', `    Type: ${type}`, '    Properties:', ...props);

const CASES: Record<string, Case> = {
  'RF-AWS-001': {
    bad: [
      [sg('0.0.0.0/0'), [[10, 10]]],
      [
        yaml(
          'Parameters:',
          '  AdminCidr:',
          '    Type: String',
          '    Default: 0.0.0.0/0',
          'Resources:',
          '  Rdp:',
          '    Type: AWS::EC2::SecurityGroupIngress',
          '    Properties:',
          '      GroupId: !Ref Web',
          '      IpProtocol: tcp',
          '      FromPort: 3389',
          '      ToPort: 3389',
          '      CidrIp: !Ref AdminCidr',
        ),
        [[13, 13]],
      ],
      [
        yaml(
          'Parameters:',
          '  Net:',
          '    Type: String',
          '    Default: "::"',
          'Resources:',
          '  Ssh:',
          '    Type: AWS::EC2::SecurityGroupIngress',
          '    Properties:',
          '      IpProtocol: "6"',
          '      FromPort: 22',
          '      ToPort: 22',
          '      CidrIpv6: !Sub "${Net}/0"',
        ),
        [[12, 12]],
      ],
    ],
    good: [
      sg('!Ref AdminCidr').replace('Resources:', 'Parameters:\n  AdminCidr:\n    Type: String\nResources:'),
      sg('10.0.0.0/8'),
      sg('0.0.0.0/0', 443),
      sg('0.0.0.0/0', -1, '"-1"'),
    ],
  },
  'RF-AWS-002': {
    bad: [
      [sg('0.0.0.0/0', -1, '"-1"'), [[10, 10]]],
      [sg('0.0.0.0/0', 0, 'tcp').replace('ToPort: 0', 'ToPort: 65535'), [[10, 10]]],
    ],
    good: [sg('0.0.0.0/0', 443), sg('172.16.0.0/12', -1, '"-1"')],
  },
  'RF-AWS-003': {
    bad: [[sg('0.0.0.0/0', 3306), [[10, 10]]]],
    good: [sg('10.0.0.0/16', 3306), sg('0.0.0.0/0', -1, '"-1"')],
  },
  'RF-AWS-004': {
    bad: [[bucket('      AccessControl: PublicReadWrite'), [[6, 6]]]],
    good: [bucket('      AccessControl: Private'), bucket()],
  },
  'RF-AWS-005': {
    bad: [
      [bucket(), [[2, 2]]],
      [
        bucket(
          '      PublicAccessBlockConfiguration:',
          '        BlockPublicAcls: true',
          '        BlockPublicPolicy: false',
          '        IgnorePublicAcls: true',
        ),
        [
          [6, 9],
          [8, 8],
        ],
      ],
    ],
    good: [
      bucket(
        '      PublicAccessBlockConfiguration:',
        '        BlockPublicAcls: true',
        '        BlockPublicPolicy: true',
        '        IgnorePublicAcls: true',
        '        RestrictPublicBuckets: "true"',
      ),
    ],
  },
  'RF-AWS-006': {
    bad: [
      [
        template(
          '  DataPolicy:',
          '    Type: AWS::S3::BucketPolicy',
          '    Properties:',
          '      Bucket: !Ref Data',
          '      PolicyDocument:',
          '        Statement:',
          '          - Effect: Allow',
          '            Principal: "*"',
          '            Action: s3:GetObject',
          '            Resource: !Sub "arn:aws:s3:::${Data}/*"',
        ),
        [[9, 9]],
      ],
      [
        template(
          '  Role:',
          '    Type: AWS::IAM::Role',
          '    Properties:',
          '      AssumeRolePolicyDocument:',
          '        Statement:',
          '          Effect: Allow',
          '          Principal:',
          '            AWS: ["arn:aws:iam::123456789012:root", "*"]',
          '          Action: sts:AssumeRole',
        ),
        [[8, 9]],
      ],
    ],
    good: [
      template(
        '  DataPolicy:',
        '    Type: AWS::S3::BucketPolicy',
        '    Properties:',
        '      PolicyDocument:',
        '        Statement:',
        '          - Effect: Allow',
        '            Principal: "*"',
        '            Action: s3:GetObject',
        '            Resource: "*"',
        '            Condition:',
        '              StringEquals:',
        '                aws:SourceVpce: vpce-1a2b3c',
      ),
      template(
        '  Role:',
        '    Type: AWS::IAM::Role',
        '    Properties:',
        '      AssumeRolePolicyDocument:',
        '        Statement:',
        '          - Effect: Allow',
        '            Principal: { Service: ec2.amazonaws.com }',
        '            Action: sts:AssumeRole',
      ),
    ],
  },
  'RF-AWS-007': {
    bad: [[bucket(), [[2, 2]]]],
    good: [
      bucket(
        '      BucketEncryption:',
        '        ServerSideEncryptionConfiguration:',
        '          - ServerSideEncryptionByDefault:',
        '              SSEAlgorithm: aws:kms',
      ),
    ],
  },
  'RF-AWS-008': {
    bad: [
      [bucket(), [[2, 2]]],
      [bucket('      VersioningConfiguration:', '        Status: Suspended'), [[7, 7]]],
    ],
    good: [bucket('      VersioningConfiguration:', '        Status: Enabled')],
  },
  'RF-AWS-009': {
    bad: [[bucket(), [[2, 2]]]],
    good: [
      bucket('      LoggingConfiguration:', '        DestinationBucketName: !Ref Logs'),
      template(
        '  Logs:',
        '    Type: AWS::S3::Bucket',
        '  Data:',
        '    Type: AWS::S3::Bucket',
        '    Properties:',
        '      LoggingConfiguration:',
        '        DestinationBucketName: !Ref Logs',
      ),
    ],
  },
  'RF-AWS-010': {
    bad: [
      [resource('AWS::EC2::Volume', '      Size: 10'), [[2, 2]]],
      [resource('AWS::EC2::Volume', '      Size: 10', '      Encrypted: false'), [[6, 6]]],
    ],
    good: [
      resource('AWS::EC2::Volume', '      Encrypted: true'),
      yaml(
        'Parameters:',
        '  Env:',
        '    Type: String',
        '    Default: prod',
        'Conditions:',
        '  IsProd: !Equals [!Ref Env, prod]',
        'Resources:',
        '  Thing:',
        '    Type: AWS::EC2::Volume',
        '    Properties:',
        '      Encrypted: !If [IsProd, true, false]',
      ),
      resource('AWS::EC2::Volume', '      SnapshotId: snap-123'),
    ],
  },
  'RF-AWS-012': {
    bad: [
      [resource('AWS::RDS::DBInstance', '      Engine: postgres'), [[2, 2]]],
      [
        resource('AWS::RDS::DBCluster', '      Engine: aurora-mysql', '      StorageEncrypted: "false"'),
        [[6, 6]],
      ],
    ],
    good: [
      resource('AWS::RDS::DBInstance', '      StorageEncrypted: true'),
      resource('AWS::RDS::DBInstance', '      DBClusterIdentifier: !Ref Cluster'),
    ],
  },
  'RF-AWS-013': {
    bad: [[resource('AWS::RDS::DBInstance', '      PubliclyAccessible: true'), [[5, 5]]]],
    good: [resource('AWS::RDS::DBInstance', '      PubliclyAccessible: false')],
  },
  'RF-AWS-014': {
    bad: [[resource('AWS::RDS::DBInstance', '      BackupRetentionPeriod: 0'), [[5, 5]]]],
    good: [
      resource('AWS::RDS::DBInstance', '      BackupRetentionPeriod: 7'),
      resource('AWS::RDS::DBInstance', '      Engine: mysql'),
    ],
  },
  'RF-AWS-015': {
    bad: [
      [resource('AWS::RDS::DBInstance', '      Engine: mysql'), [[2, 2]]],
      [resource('AWS::RDS::DBCluster', '      DeletionProtection: false'), [[5, 5]]],
    ],
    good: [resource('AWS::RDS::DBInstance', '      DeletionProtection: true')],
  },
  'RF-AWS-016': {
    bad: [
      [
        managedPolicy('          - Effect: Allow', '            Action: "*"', '            Resource: "*"'),
        [[9, 9]],
      ],
      [
        JSON.stringify(
          {
            Resources: {
              Policy: {
                Type: 'AWS::IAM::Policy',
                Properties: {
                  PolicyName: 'admin',
                  PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['*'], Resource: '*' }] },
                },
              },
            },
          },
          null,
          2,
        ),
        [[11, 13]],
      ],
    ],
    good: [
      managedPolicy(
        '          - Effect: Allow',
        '            Action: s3:GetObject',
        '            Resource: "*"',
      ),
      managedPolicy('          - Effect: Deny', '            Action: "*"', '            Resource: "*"'),
    ],
  },
  'RF-AWS-017': {
    bad: [
      [
        managedPolicy(
          '          - Effect: Allow',
          '            Action: [iam:PassRole]',
          '            Resource: "*"',
        ),
        [[9, 9]],
      ],
    ],
    good: [
      managedPolicy(
        '          - Effect: Allow',
        '            Action: iam:PassRole',
        '            Resource: !Sub "arn:aws:iam::${AWS::AccountId}:role/app"',
      ),
    ],
  },
  'RF-AWS-018': {
    bad: [
      [
        managedPolicy(
          '          - Effect: Allow',
          '            NotAction: iam:*',
          '            Resource: "*"',
        ),
        [[9, 9]],
      ],
    ],
    good: [
      managedPolicy('          - Effect: Deny', '            NotAction: s3:*', '            Resource: "*"'),
    ],
  },
  'RF-AWS-019': {
    bad: [[trail().replace('IsLogging: true', 'IsLogging: false'), [[5, 5]]]],
    good: [trail()],
  },
  'RF-AWS-020': {
    bad: [
      [trail(), [[2, 2]]],
      [trail('      IsMultiRegionTrail: false'), [[7, 7]]],
    ],
    good: [trail('      IsMultiRegionTrail: true')],
  },
  'RF-AWS-021': {
    bad: [[trail(), [[2, 2]]]],
    good: [trail('      EnableLogFileValidation: true')],
  },
  'RF-AWS-022': {
    bad: [[trail(), [[2, 2]]]],
    good: [trail('      KMSKeyId: !Ref TrailKey')],
  },
  'RF-AWS-023': {
    bad: [
      [
        resource('AWS::EC2::LaunchTemplate', '      LaunchTemplateData:', '        ImageId: ami-123'),
        [[2, 2]],
      ],
      [
        resource(
          'AWS::EC2::LaunchTemplate',
          '      LaunchTemplateData:',
          '        MetadataOptions:',
          '          HttpTokens: optional',
        ),
        [[7, 7]],
      ],
      [resource('AWS::AutoScaling::LaunchConfiguration', '      ImageId: ami-123'), [[2, 2]]],
    ],
    good: [
      resource(
        'AWS::EC2::LaunchTemplate',
        '      LaunchTemplateData:',
        '        MetadataOptions:',
        '          HttpTokens: required',
      ),
      resource('AWS::EC2::Instance', '      ImageId: ami-123'),
    ],
  },
  'RF-AWS-024': {
    bad: [
      [
        resource(
          'AWS::EC2::Instance',
          '      NetworkInterfaces:',
          '        - DeviceIndex: "0"',
          '          AssociatePublicIpAddress: true',
        ),
        [[7, 7]],
      ],
    ],
    good: [resource('AWS::EC2::Instance', '      NetworkInterfaces:', '        - DeviceIndex: "0"')],
  },
  'RF-AWS-025': {
    bad: [
      [
        resource(
          'AWS::EC2::Instance',
          '      BlockDeviceMappings:',
          '        - DeviceName: /dev/xvda',
          '          Ebs:',
          '            VolumeSize: 20',
        ),
        [[7, 8]],
      ],
      [
        resource(
          'AWS::EC2::LaunchTemplate',
          '      LaunchTemplateData:',
          '        MetadataOptions: { HttpTokens: required }',
          '        BlockDeviceMappings:',
          '          - DeviceName: /dev/xvda',
          '            Ebs: { VolumeSize: 20, Encrypted: false }',
        ),
        [[9, 9]],
      ],
    ],
    good: [
      resource(
        'AWS::EC2::Instance',
        '      BlockDeviceMappings:',
        '        - DeviceName: /dev/xvda',
        '          Ebs:',
        '            Encrypted: true',
      ),
      resource('AWS::EC2::Instance', '      ImageId: ami-123'),
    ],
  },
  'RF-AWS-026': {
    bad: [
      [resource('AWS::EKS::Cluster', '      ResourcesVpcConfig:', '        SubnetIds: [subnet-1]'), [[5, 6]]],
      [
        resource(
          'AWS::EKS::Cluster',
          '      ResourcesVpcConfig:',
          '        EndpointPublicAccess: true',
          '        PublicAccessCidrs: ["0.0.0.0/0"]',
        ),
        [[7, 7]],
      ],
    ],
    good: [
      resource('AWS::EKS::Cluster', '      ResourcesVpcConfig:', '        EndpointPublicAccess: false'),
      resource(
        'AWS::EKS::Cluster',
        '      ResourcesVpcConfig:',
        '        PublicAccessCidrs: [203.0.113.0/24]',
      ),
    ],
  },
  'RF-AWS-027': {
    bad: [[resource('AWS::EKS::Cluster', '      Name: k'), [[2, 2]]]],
    good: [
      resource(
        'AWS::EKS::Cluster',
        '      EncryptionConfig:',
        '        - Resources: [secrets]',
        '          Provider:',
        '            KeyArn: !GetAtt Key.Arn',
      ),
    ],
  },
  'RF-AWS-028': {
    bad: [
      [resource('AWS::ECR::Repository', '      RepositoryName: app'), [[2, 2]]],
      [resource('AWS::ECR::Repository', '      ImageTagMutability: MUTABLE'), [[5, 5]]],
    ],
    good: [resource('AWS::ECR::Repository', '      ImageTagMutability: IMMUTABLE')],
  },
  'RF-AWS-029': {
    bad: [
      [resource('AWS::ECR::Repository', '      RepositoryName: app'), [[2, 2]]],
      [
        resource('AWS::ECR::Repository', '      ImageScanningConfiguration:', '        ScanOnPush: false'),
        [[6, 6]],
      ],
    ],
    good: [resource('AWS::ECR::Repository', '      ImageScanningConfiguration:', '        ScanOnPush: true')],
  },
  'RF-AWS-030': {
    bad: [
      [
        resource(
          'AWS::ECS::TaskDefinition',
          '      ContainerDefinitions:',
          '        - Name: sidecar',
          '          Image: envoy:1.30',
          '        - Name: app',
          '          Image: app:1',
          '          Privileged: true',
        ),
        [[10, 10]],
      ],
    ],
    good: [
      resource(
        'AWS::ECS::TaskDefinition',
        '      ContainerDefinitions:',
        '        - Name: app',
        '          Privileged: false',
      ),
    ],
  },
  'RF-AWS-031': {
    bad: [[resource('AWS::ECS::TaskDefinition', '      NetworkMode: host'), [[5, 5]]]],
    good: [resource('AWS::ECS::TaskDefinition', '      NetworkMode: awsvpc')],
  },
  'RF-AWS-032': {
    bad: [
      [resource('AWS::KMS::Key', '      Description: data'), [[2, 2]]],
      [resource('AWS::KMS::Key', '      EnableKeyRotation: false'), [[5, 5]]],
    ],
    good: [
      resource('AWS::KMS::Key', '      EnableKeyRotation: true'),
      resource('AWS::KMS::Key', '      KeySpec: RSA_2048', '      KeyUsage: SIGN_VERIFY'),
    ],
  },
  'RF-AWS-033': {
    bad: [
      [
        resource(
          'AWS::ElasticLoadBalancingV2::Listener',
          '      Port: 80',
          '      Protocol: HTTP',
          '      DefaultActions:',
          '        - Type: forward',
          '          TargetGroupArn: !Ref Targets',
        ),
        [[6, 6]],
      ],
    ],
    good: [
      resource(
        'AWS::ElasticLoadBalancingV2::Listener',
        '      Protocol: HTTP',
        '      DefaultActions:',
        '        - Type: redirect',
        '          RedirectConfig: { Protocol: HTTPS, Port: "443", StatusCode: HTTP_301 }',
      ),
    ],
  },
};

describe('CloudFormation checks', () => {
  it('has a good and a bad example for every check that applies to CloudFormation', () => {
    const ids = cloudFormationChecks.map((c) => c.id);
    expect(Object.keys(CASES).sort()).toEqual(ids.filter((id) => !TERRAFORM_ONLY.includes(id)).sort());
  });

  for (const [id, c] of Object.entries(CASES)) {
    describe(id, () => {
      c.bad.forEach(([text, expected], i) => {
        it(`fires on bad example ${i + 1} at the right lines`, () => {
          expect(ranges(text, id, text.startsWith('{') ? 'template.json' : 'template.yaml')).toEqual(
            expected,
          );
        });
      });
      c.good.forEach((text, i) => {
        it(`stays quiet on good example ${i + 1}`, () => {
          expect(ranges(text, id)).toEqual([]);
        });
      });
    });
  }
});
