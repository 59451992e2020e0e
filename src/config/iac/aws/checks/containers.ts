import { isUnknown } from '../../unknown.js';
import { type AwsCheck, hitAt } from '../hits.js';

const EKS_DOCS = 'https://docs.aws.amazon.com/eks/latest/userguide';

export const eksPublicEndpoint: AwsCheck = {
  id: 'RF-AWS-026',
  title: 'EKS API endpoint is open to the internet',
  severity: 'HIGH',
  description:
    "The cluster's Kubernetes API endpoint is public and accepts connections from 0.0.0.0/0 (the default), so anyone can probe it and a leaked kubeconfig or token works from anywhere.",
  remediation:
    'Turn the public endpoint off (endpoint_public_access = false with private access on), or restrict public_access_cidrs to your own ranges.',
  references: [`${EKS_DOCS}/cluster-endpoint.html`],
  *run(m) {
    for (const c of m.eksClusters) {
      const cidrs = c.publicAccessCidrs.values;
      if (c.publicAccess.value !== true || isUnknown(cidrs)) continue;
      const world = cidrs.find((x): x is string => typeof x === 'string' && /\/0$/.test(x.trim()));
      if (world)
        yield hitAt(
          c.resource,
          c.publicAccessCidrs.at ?? c.publicAccess.at,
          `${c.resource.address} exposes its API endpoint to ${world}`,
        );
    }
  },
};

export const eksSecretsNotEncrypted: AwsCheck = {
  id: 'RF-AWS-027',
  title: 'EKS Secrets are not encrypted with KMS',
  severity: 'MEDIUM',
  description:
    'Without envelope encryption Kubernetes Secrets are stored in etcd protected only by the volume encryption AWS manages; a KMS key adds a key you control and audit.',
  remediation:
    'Add encryption_config with resources = ["secrets"] and a KMS key (CloudFormation EncryptionConfig).',
  references: [`${EKS_DOCS}/envelope-encryption.html`],
  *run(m) {
    for (const c of m.eksClusters) {
      if (c.secretsEncryption === false)
        yield hitAt(c.resource, c.encryptionAt, `${c.resource.address} does not encrypt Secrets with KMS`);
    }
  },
};

export const ecrMutableTags: AwsCheck = {
  id: 'RF-AWS-028',
  title: 'ECR repository allows tags to be overwritten',
  severity: 'MEDIUM',
  description:
    'With mutable tags anyone who can push may replace the image behind a tag such as v1.2.3; deployments that pull by tag then run something nobody reviewed.',
  remediation:
    'Set image_tag_mutability = "IMMUTABLE" (CloudFormation ImageTagMutability: IMMUTABLE) and deploy by digest.',
  references: ['https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html'],
  *run(m) {
    for (const r of m.ecrRepositories) {
      if (r.tagMutability.value === 'MUTABLE')
        yield hitAt(r.resource, r.tagMutability.at, `${r.resource.address} has mutable image tags`);
    }
  },
};

export const ecrScanOnPushDisabled: AwsCheck = {
  id: 'RF-AWS-029',
  title: 'ECR repository does not scan images on push',
  severity: 'LOW',
  description:
    'Images are not scanned for known vulnerabilities when they are pushed, so vulnerable images reach the registry unnoticed.',
  remediation:
    'Set image_scanning_configuration { scan_on_push = true } (CloudFormation ImageScanningConfiguration: {ScanOnPush: true}) or enable enhanced scanning for the registry.',
  references: ['https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html'],
  *run(m) {
    for (const r of m.ecrRepositories) {
      if (r.scanOnPush.value === false)
        yield hitAt(r.resource, r.scanOnPush.at, `${r.resource.address} does not scan images on push`);
    }
  },
};

export const ecsPrivilegedContainer: AwsCheck = {
  id: 'RF-AWS-030',
  title: 'ECS task definition runs a privileged container',
  severity: 'HIGH',
  description:
    'A privileged container has every capability and all host devices; root in it controls the container instance and every other task on it.',
  remediation: 'Remove privileged (or set it to false); add only the Linux capabilities the container needs.',
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security',
  ],
  *run(m) {
    for (const t of m.taskDefinitions) {
      if (isUnknown(t.containers)) continue;
      for (const c of t.containers) {
        if (c.privileged.value === true)
          yield hitAt(
            t.resource,
            c.privileged.at ?? c.at,
            `${t.resource.address}: container ${typeof c.name === 'string' ? `"${c.name}"` : ''} is privileged`.replace(
              '  ',
              ' ',
            ),
          );
      }
    }
  },
};

export const ecsHostNetwork: AwsCheck = {
  id: 'RF-AWS-031',
  title: 'ECS task definition uses the host network',
  severity: 'MEDIUM',
  description:
    "Network mode host puts the task in the container instance's network namespace: it can bind any host port, reach services on localhost (including the instance metadata service) and see other tasks' traffic.",
  remediation:
    'Use network_mode = "awsvpc" (CloudFormation NetworkMode: awsvpc) so each task gets its own interface and security groups.',
  references: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html'],
  *run(m) {
    for (const t of m.taskDefinitions) {
      if (t.networkMode.value === 'host')
        yield hitAt(t.resource, t.networkMode.at, `${t.resource.address} uses the host network`);
    }
  },
};

export const kmsRotationDisabled: AwsCheck = {
  id: 'RF-AWS-032',
  title: 'KMS key rotation is not enabled',
  severity: 'MEDIUM',
  description:
    'Automatic rotation of a symmetric customer managed key limits how much data one key version protects and how long a compromised key stays useful.',
  remediation: 'Set enable_key_rotation = true (CloudFormation EnableKeyRotation: true).',
  references: [
    'https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html',
    'https://www.cisecurity.org/benchmark/amazon_web_services',
  ],
  frameworks: { 'cis-aws': '3.6' },
  *run(m) {
    for (const k of m.kmsKeys) {
      if (k.symmetric === true && k.rotation.value === false)
        yield hitAt(k.resource, k.rotation.at, `${k.resource.address} does not rotate its key material`);
    }
  },
};
