import type { Check } from '../../engine/check.js';
import { hasUrlCredentials, looksLikeSecretName, looksLikeSecretValue } from '../../secret-names.js';
import type { KubernetesFile } from '../model.js';
import type { PodCheck } from '../pod/check.js';
import { hitAt } from '../pod/hits.js';
import { containerLabel, podContainers } from '../pod/model.js';
import { isKind } from '../resources.js';
import { field, isRecord, isSet, listOf, stringOf } from '../values.js';
import { hitOnObject } from './object-hits.js';

const SECRETS_REF = 'https://kubernetes.io/docs/concepts/configuration/secret/';

/** `$(OTHER_VAR)`: Kubernetes fills it in from another variable, it is not the value itself. */
const VARIABLE_REFERENCE = /^\$\([A-Za-z_][A-Za-z0-9_.-]*\)$/;

export const secretInEnv: PodCheck = {
  id: 'RF-K8S-035',
  title: 'Secret written into an environment variable',
  severity: 'HIGH',
  description:
    'An env entry whose name says it holds a secret (DB_PASSWORD, API_TOKEN...) with a literal value, or any value with a password in a URL, puts the secret in the manifest: in version control, in every copy of the repository and in `kubectl get -o yaml` for anyone who can read the workload.',
  remediation:
    'Keep the value in a Secret and reference it: `valueFrom: {secretKeyRef: {name: app-db, key: password}}` (or mount the Secret as a file).',
  references: [`${SECRETS_REF}#using-secrets-as-environment-variables`],
  frameworks: { 'mitre-attack': 'T1552.001' },
  *run(pod) {
    for (const c of podContainers(pod)) {
      for (const [i, entry] of listOf(field(c.fields, 'env')).entries()) {
        const name = stringOf(field(entry, 'name')) ?? '';
        const value = stringOf(field(entry, 'value'));
        if (value === undefined || VARIABLE_REFERENCE.test(value.trim())) continue;
        const urlCredentials = hasUrlCredentials(value);
        if (urlCredentials || (looksLikeSecretName(name) && looksLikeSecretValue(value))) {
          const what = urlCredentials ? 'a URL with a password' : 'a literal value';
          yield hitAt(pod, [...c.path, 'env', i, 'value'], `${containerLabel(c)} sets ${name} to ${what}`, c);
        }
      }
    }
  },
};

export const secretValuesInManifest: Check<KubernetesFile> = {
  id: 'RF-K8S-036',
  title: 'Secret values kept in a manifest',
  severity: 'LOW',
  description:
    'A Secret object with data or stringData in a manifest file keeps the secret in clear text (base64 is an encoding, not encryption) wherever the file goes: version control, CI logs, backups.',
  remediation:
    'Keep manifests without the values: create the Secret out of band, or store it encrypted (Sealed Secrets, SOPS) or in an external store (External Secrets Operator, the Secrets Store CSI driver).',
  references: [SECRETS_REF, 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/'],
  frameworks: { 'cis-kubernetes': '5.4.2', 'mitre-attack': 'T1552.001' },
  *run(file) {
    for (const obj of file.objects) {
      if (!isKind(obj, 'Secret')) continue;
      for (const key of ['stringData', 'data']) {
        const values = field(obj.fields, key);
        const filled = isRecord(values) && Object.values(values).some((v) => isSet(v) && v !== '');
        if (filled) yield hitOnObject(obj, [key], `holds values in ${key}`);
      }
    }
  },
};
