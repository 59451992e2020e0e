import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes, sign, X509Certificate } from 'node:crypto';
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Real registries for tests: Debian's docker-registry (distribution v2) started on a free
 * loopback port with its own storage, configured for anonymous access, htpasswd basic auth or
 * the token flow (with a token server here that signs JWTs with a key the registry trusts
 * through `rootcertbundle`), plain http or TLS, and optionally redirecting blob downloads to
 * a second server (the "redirect" storage middleware, as S3-backed registries do).
 */

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Certificate {
  cert: string;
  key: string;
  /** The certificate in DER, base64 (for a JWT's x5c header). */
  derBase64: string;
}

/** A self-signed EC certificate for 127.0.0.1, made with the openssl CLI. */
export function selfSignedCertificate(dir: string, name: string): Certificate {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key, derBase64: new X509Certificate(readFileSync(cert)).raw.toString('base64') };
}

interface RegistryConfig {
  htpasswd?: { user: string; password: string };
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string };
  tls?: Certificate;
  /** Blob downloads answer with a redirect to this base URL + the blob's storage path. */
  redirectTo?: string;
}

export interface RunningRegistry {
  /** 127.0.0.1:PORT */
  host: string;
  storage: string;
  /** Storage paths of the blobs of an image (manifests, config and layers), by digest. */
  blobPath(digest: string): string;
  stop(): Promise<void>;
}

export async function startRegistry(config: RegistryConfig = {}): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'rf-registry-'));
  const storage = join(dir, 'storage');
  mkdirSync(storage);
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
  ];
  if (config.tls) lines.push('  tls:', `    certificate: ${config.tls.cert}`, `    key: ${config.tls.key}`);
  if (config.htpasswd) {
    const file = join(dir, 'htpasswd');
    writeFileSync(file, execFileSync('htpasswd', ['-Bbn', config.htpasswd.user, config.htpasswd.password]));
    lines.push('auth:', '  htpasswd:', '    realm: basic-realm', `    path: ${file}`);
  }
  if (config.token) {
    const t = config.token;
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${t.realm}`,
      `    service: ${t.service}`,
      `    issuer: ${t.issuer}`,
      `    rootcertbundle: ${t.rootCertBundle}`,
    );
  }
  if (config.redirectTo)
    lines.push(
      'middleware:',
      '  storage:',
      '    - name: redirect',
      '      options:',
      `        baseurl: ${config.redirectTo}`,
    );
  const file = join(dir, 'config.yml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const child = spawn('/usr/bin/docker-registry', ['serve', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: Buffer[] = [];
  child.stderr?.on('data', (c: Buffer) => stderr.push(c));
  const host = `127.0.0.1:${port}`;
  try {
    await waitForRegistry(`${config.tls ? 'https' : 'http'}://${host}/v2/`, child);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`docker-registry did not start: ${(err as Error).message}\n${Buffer.concat(stderr)}`);
  }
  return {
    host,
    storage,
    blobPath: (digest) =>
      join(storage, 'docker/registry/v2/blobs/sha256', digest.slice(7, 9), digest.slice(7), 'data'),
    async stop() {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForRegistry(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    const status = await new Promise<number | undefined>((resolve) => {
      const onResponse = (res: IncomingMessage) => {
        res.resume();
        resolve(res.statusCode);
      };
      // The registry's certificate is self-signed: readiness only needs an answer.
      const req = url.startsWith('https')
        ? httpsRequest(url, { rejectUnauthorized: false }, onResponse)
        : request(url, onResponse);
      req.on('error', () => resolve(undefined));
      req.end();
    });
    if (status === 200 || status === 401) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no answer on /v2/ within 60s');
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Starts a node:http server on a free loopback port. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface BlobServer {
  url: string;
  /** Every request: path and whether it carried an Authorization header. */
  requests: { path: string; authorization: boolean }[];
  close(): Promise<void>;
}

/** Serves the registry's storage files, as the object store behind a redirecting registry would. */
export async function startBlobServer(storageOf: () => string): Promise<BlobServer> {
  const requests: BlobServer['requests'] = [];
  const s = await listen((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    requests.push({ path, authorization: req.headers.authorization !== undefined });
    const file = join(storageOf(), path);
    if (!file.startsWith(storageOf()) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  return { url: s.url, requests, close: s.close };
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** The token endpoint's requests: method, scopes asked for, and how the client authenticated. */
  requests: { method: string; scopes: string[]; basic?: string; refreshToken?: string }[];
  /** Answer with `access_token` instead of `token`. */
  useAccessTokenField: boolean;
  close(): Promise<void>;
}

/**
 * The token flow's authorization server: grants pull (and push) on every repository to
 * `users`, to holders of a refresh token in `refreshTokens`, and anonymous pull on repositories
 * under public/; signs ES256 JWTs whose x5c is the certificate the registry trusts.
 */
export async function startTokenServer(
  signer: Certificate,
  users: Record<string, string>,
  refreshTokens: Record<string, string> = {},
): Promise<TokenServer> {
  const key = readFileSync(signer.key);
  const service = 'ringfence-test-registry';
  const issuer = 'ringfence-test-issuer';
  const state = { requests: [] as TokenServer['requests'], useAccessTokenField: false };
  const s = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const form = new URLSearchParams(req.method === 'POST' ? Buffer.concat(chunks).toString() : '');
      const params = req.method === 'POST' ? form : url.searchParams;
      const scopes =
        req.method === 'POST' ? (form.get('scope') ?? '').split(' ').filter(Boolean) : params.getAll('scope');
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const refreshToken = form.get('refresh_token') ?? undefined;
      state.requests.push({ method: req.method ?? 'GET', scopes, basic, refreshToken });
      let subject: string | undefined;
      if (basic) {
        const [user, password] = Buffer.from(basic, 'base64').toString().split(/:(.*)/s);
        if (users[user!] !== password) return deny(res);
        subject = user;
      } else if (req.method === 'POST') {
        if (form.get('grant_type') !== 'refresh_token' || !refreshToken || !(refreshToken in refreshTokens))
          return deny(res);
        subject = refreshTokens[refreshToken];
      }
      const access = scopes.flatMap((scope) => {
        const [type, name, actions] = scope.split(':');
        if (type !== 'repository' || !name) return [];
        const allowed = subject ? (actions ?? '').split(',') : name.startsWith('public/') ? ['pull'] : [];
        return allowed.length ? [{ type, name, actions: allowed }] : [];
      });
      const now = Math.floor(Date.now() / 1000);
      const token = jwt(
        { typ: 'JWT', alg: 'ES256', x5c: [signer.derBase64] },
        {
          iss: issuer,
          sub: subject ?? '',
          aud: service,
          exp: now + 300,
          nbf: now - 10,
          iat: now,
          jti: randomBytes(8).toString('hex'),
          access,
        },
        key,
      );
      const field = state.useAccessTokenField ? 'access_token' : 'token';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ [field]: token, expires_in: 300, issued_at: new Date().toISOString() }));
    });
  });
  return {
    realm: `${s.url}/token`,
    service,
    issuer,
    get requests() {
      return state.requests;
    },
    get useAccessTokenField() {
      return state.useAccessTokenField;
    },
    set useAccessTokenField(v: boolean) {
      state.useAccessTokenField = v;
    },
    close: s.close,
  };
}

function deny(res: ServerResponse): void {
  res.writeHead(401, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }));
}

function jwt(header: object, claims: object, key: Buffer): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64(header)}.${b64(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/**
 * `skopeo copy SRC docker://HOST/NAME`, TLS unverified (the test registries are self-signed or
 * plain http). Asynchronous: the token and blob servers skopeo talks to run in this process.
 */
export async function skopeoPush(src: string, dest: string, creds?: string, all = false): Promise<void> {
  await execFileAsync(
    'skopeo',
    [
      'copy',
      '--quiet',
      ...(all ? ['--all'] : []),
      '--dest-tls-verify=false',
      ...(creds ? ['--dest-creds', creds] : []),
      src,
      `docker://${dest}`,
    ],
    { timeout: 600_000 },
  );
}
