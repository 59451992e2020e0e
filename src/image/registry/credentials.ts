import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { inputError, UserError } from '../../util/errors.js';
import { CredentialHelperError, helperCredentials } from './credential-helper.js';
import { DOCKER_HUB } from './reference.js';

/**
 * Registry credentials, looked up the way `docker pull` does: explicit ones (--username and
 * --password, or RINGFENCE_USERNAME/RINGFENCE_PASSWORD) first, then the Docker client config
 * ($DOCKER_CONFIG/config.json, default ~/.docker/config.json): `credHelpers` for that registry,
 * then `auths` (base64 `auth`, `identitytoken`), then `credsStore`. Secrets never reach a message.
 */

export interface Credentials {
  username?: string;
  password?: string;
  /** An OAuth refresh token (`docker login` to a registry with an identity provider). */
  identityToken?: string;
}

export interface ExplicitCredentials {
  username?: string;
  password?: string;
}

export interface CredentialLookup {
  credentials?: Credentials;
  /** Where they came from, or why there are none ("no credentials …"), for messages. */
  origin: string;
}

const MAX_CONFIG_BYTES = 4 << 20;
/** The server address Docker stores Docker Hub credentials under. */
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
const DOCKER_HUB_HOSTS = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io']);

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
}

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, unknown>;
  credsStore?: unknown;
}

export function dockerConfigPath(): string {
  const dir = process.env.DOCKER_CONFIG;
  return join(dir && dir.length > 0 ? dir : join(homedir(), '.docker'), 'config.json');
}

/** Both or neither: a user name without a password (or the reverse) is a usage error. */
export function explicitCredentials(username?: string, password?: string): ExplicitCredentials | undefined {
  if (username === undefined && password === undefined) return undefined;
  if (!username || password === undefined)
    throw new UserError(
      '--username and --password go together (or RINGFENCE_USERNAME and RINGFENCE_PASSWORD)',
    );
  return { username, password };
}

export async function lookupCredentials(
  registry: string,
  explicit?: ExplicitCredentials,
): Promise<CredentialLookup> {
  const given = explicitCredentials(explicit?.username, explicit?.password);
  if (given) return { credentials: given, origin: '--username/--password' };
  const path = dockerConfigPath();
  const config = await readDockerConfig(path);
  if (!config) return { origin: `no credentials (${path} does not exist)` };
  const server = registry === DOCKER_HUB ? DOCKER_HUB_SERVER : registry;

  const helper = entryFor(config.credHelpers, registry);
  if (typeof helper === 'string' && helper !== '') return fromHelper(helper, server);
  const entry = entryFor(config.auths, registry);
  if (entry) {
    const credentials = fromAuthEntry(entry, path, registry);
    if (credentials) return { credentials, origin: path };
  }
  if (typeof config.credsStore === 'string' && config.credsStore !== '')
    return fromHelper(config.credsStore, server);
  return { origin: `no credentials for ${registry} in ${path}` };
}

async function fromHelper(helper: string, server: string): Promise<CredentialLookup> {
  const origin = `docker-credential-${helper}`;
  try {
    const credentials = await helperCredentials(helper, server);
    return credentials ? { credentials, origin } : { origin: `no credentials for ${server} from ${origin}` };
  } catch (err) {
    if (err instanceof CredentialHelperError) return { origin: `no credentials (${err.message})` };
    throw err;
  }
}

async function readDockerConfig(path: string): Promise<DockerConfig | undefined> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw inputError(path, `cannot read the Docker config (${code ?? err})`, err);
  }
  if (text.length > MAX_CONFIG_BYTES) throw inputError(path, `is larger than ${MAX_CONFIG_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(text.toString('utf8'));
  } catch (err) {
    throw inputError(path, `is not valid JSON (${(err as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw inputError(path, 'is not a JSON object');
  const o = doc as Record<string, unknown>;
  return {
    auths: isRecord(o.auths) ? (o.auths as Record<string, AuthEntry>) : undefined,
    credHelpers: isRecord(o.credHelpers) ? o.credHelpers : undefined,
    credsStore: o.credsStore,
  };
}

/** The entry whose key names this registry: "host:port", "https://host/v1/" and Docker Hub's aliases. */
function entryFor<T>(entries: Record<string, T> | undefined, registry: string): T | undefined {
  if (!entries) return undefined;
  const wanted = hostsOf(registry);
  for (const [key, value] of Object.entries(entries)) if (wanted.has(hostOfKey(key))) return value;
  return undefined;
}

function hostsOf(registry: string): Set<string> {
  return DOCKER_HUB_HOSTS.has(registry) ? DOCKER_HUB_HOSTS : new Set([registry]);
}

function hostOfKey(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').split('/')[0]!;
}

function fromAuthEntry(entry: AuthEntry, path: string, registry: string): Credentials | undefined {
  if (!isRecord(entry)) return undefined;
  let username = typeof entry.username === 'string' ? entry.username : undefined;
  let password = typeof entry.password === 'string' ? entry.password : undefined;
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw inputError(path, `the auth entry for ${registry} is not base64 of "user:password"`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '')
    return { username, identityToken: entry.identitytoken };
  return username !== undefined && password !== undefined ? { username, password } : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
