/**
 * Does a variable name say it holds a secret? `DB_PASSWORD`, `githubToken`, `AWS_SECRET_ACCESS_KEY`
 * do; `PASSWORD_FILE`, `TOKEN_URL`, `GPG_KEY` (a public key fingerprint) and `SECRET_NAME` do not.
 * Shared by the Dockerfile, Compose and Kubernetes checks.
 */

const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'credential',
  'credentials',
  'privatekey',
  'secretkey',
  'accesskey',
  'authkey',
  'jwt',
]);
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'private',
  'secret',
  'auth',
  'signing',
  'encryption',
  'master',
  'session',
]);
const NOT_A_SECRET_SUFFIX = new Set([
  'file',
  'path',
  'dir',
  'url',
  'uri',
  'host',
  'port',
  'name',
  'id',
  'user',
  'username',
  'type',
  'length',
  'size',
  'min',
  'max',
  'enabled',
  'disabled',
  'required',
  'mode',
  'method',
  'policy',
  'header',
  'expiry',
  'expires',
  'expiration',
  'ttl',
  'timeout',
  'version',
  'endpoint',
  'provider',
  'prefix',
  'field',
  'env',
  'ref',
  'arn',
]);

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function looksLikeSecretName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0 || NOT_A_SECRET_SUFFIX.has(words.at(-1)!)) return false;
  return words.some(
    (w, i) =>
      SECRET_WORDS.has(w) || ((w === 'key' || w === 'keys') && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)),
  );
}

/** `scheme://user:password@host`: a URL carrying a password. */
export function hasUrlCredentials(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value);
}

/** A value that could be a secret: not empty, not a yes/no switch, not a path to a file holding one. */
export function looksLikeSecretValue(value: string): boolean {
  const v = value.trim();
  return !/^(true|false|yes|no|on|off|0|1|)$/i.test(v) && !/^(\/[\w.@+-]+)+\/?$/.test(v);
}
