import { errorMessage } from '../../util/errors.js';
import { checkDigest, digestOf, digestParts, isDigest } from '../digest.js';
import { FormatError } from '../format-error.js';
import { MAX_JSON_BYTES } from '../oci-json.js';
import { Authenticator } from './auth.js';
import { type ExplicitCredentials, lookupCredentials } from './credentials.js';
import { describeErrorBody, RegistryError } from './errors.js';
import { HttpClient, type HttpClientOptions, type HttpResponse, NetworkError, readBody } from './http.js';
import { apiHost } from './reference.js';

/**
 * A distribution-v2 client for one registry: finds its endpoint (https; loopback and --insecure
 * registries fall back to plain http, as Docker does), authenticates as the registry asks, and
 * fetches manifests and blobs. Manifests are verified against their digest here; blobs by the
 * caller, while they stream.
 */

export interface RegistryClientOptions {
  /** Plain http and unverified TLS for this registry. */
  insecure?: boolean;
  credentials?: ExplicitCredentials;
  /** For tests: timeouts and retry pacing. */
  http?: Omit<HttpClientOptions, 'insecureHosts'>;
}

interface FetchedManifest {
  bytes: Buffer;
  /** Content-Type without parameters. */
  mediaType?: string;
  digest: string;
}

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  // Accepted only so that we can say why we refuse it.
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
].join(', ');

const MAX_ERROR_BODY = 64 << 10;

export class RegistryClient {
  readonly http: HttpClient;
  private readonly host: string;
  private readonly auth: Authenticator;
  private base?: Promise<URL>;

  constructor(
    /** The registry as named in the reference (docker.io, host:port). */
    readonly registry: string,
    private readonly options: RegistryClientOptions = {},
  ) {
    this.host = apiHost(registry);
    this.http = new HttpClient({
      ...options.http,
      insecureHosts: options.insecure ? new Set([this.host]) : undefined,
    });
    this.auth = new Authenticator({
      registry,
      http: this.http,
      credentials: () => lookupCredentials(registry, options.credentials),
      mayCarryCredentials: (url) =>
        url.protocol === 'https:' ||
        isLoopback(url.hostname) ||
        (!!options.insecure && url.host === this.host),
    });
  }

  /** The manifest (or index) `reference` (tag or digest) names, checked against its digest. */
  async manifest(repository: string, reference: string): Promise<FetchedManifest> {
    const name = `${repository}${isDigest(reference) ? '@' : ':'}${reference}`;
    const what = `manifest ${name}`;
    const res = await this.get(`/v2/${repository}/manifests/${reference}`, repository, {
      Accept: MANIFEST_ACCEPT,
    });
    if (res.status === 404) throw await this.failure(res, `${this.registry} has no ${name}`);
    if (res.status !== 200) throw await this.failure(res, what);
    const bytes = await this.read(res, MAX_JSON_BYTES, what);
    const mediaType = res.headers['content-type']?.split(';')[0]?.trim() || undefined;
    if (isDigest(reference)) {
      checkDigest(bytes, reference, `manifest ${reference}`);
      return { bytes, mediaType, digest: reference };
    }
    const claimed = res.headers['docker-content-digest'];
    if (isDigest(claimed)) {
      const actual = digestOf(bytes, digestParts(claimed).algorithm);
      if (actual !== claimed)
        throw new FormatError(
          `${what} does not match the digest the registry gives for it (expected ${claimed}, got ${actual})`,
        );
      return { bytes, mediaType, digest: claimed };
    }
    return { bytes, mediaType, digest: digestOf(bytes) };
  }

  /** A small blob (an image config) read whole and checked against its digest and size. */
  async smallBlob(repository: string, digest: string, size: number): Promise<Buffer> {
    const what = `blob ${digest}`;
    if (size > MAX_JSON_BYTES) throw new FormatError(`${what} is ${size} bytes (limit ${MAX_JSON_BYTES})`);
    const res = await this.blob(repository, digest);
    const bytes = await this.read(res, MAX_JSON_BYTES, what);
    checkDigest(bytes, digest, what, size);
    return bytes;
  }

  /**
   * The answer to a blob request (after redirects), status 200 or 206; from `offset` on when it
   * is not 0 (a server that ignores Range answers 200 with the whole blob).
   */
  async blob(repository: string, digest: string, offset = 0): Promise<HttpResponse> {
    const res = await this.get(
      `/v2/${repository}/blobs/${digest}`,
      repository,
      offset > 0 ? { Range: `bytes=${offset}-` } : {},
    );
    if (res.status === 200 || (res.status === 206 && offset > 0)) return res;
    throw await this.failure(res, `blob ${digest}`);
  }

  close(): void {
    this.http.close();
  }

  /** An authenticated GET: 401 answers teach the authenticator, and the request is sent again. */
  private async get(
    path: string,
    repository: string,
    headers: Record<string, string>,
  ): Promise<HttpResponse> {
    const url = new URL(path, await this.endpoint());
    const scope = `repository:${repository}:pull`;
    let sent = await this.auth.authorization(scope);
    for (;;) {
      const res = await this.send(url, sent === undefined ? headers : { ...headers, Authorization: sent });
      if (res.status !== 401) return res;
      const body = await readBody(res, MAX_ERROR_BODY, 'error').catch(() => Buffer.alloc(0));
      await this.auth.unauthorized(res.headers, body, sent);
      sent = await this.auth.authorization(scope);
      if (sent === undefined)
        throw new RegistryError(`${this.registry} requires authentication`, 'unauthorized');
    }
  }

  private async send(url: URL, headers: Record<string, string>): Promise<HttpResponse> {
    try {
      return await this.http.request({ url, headers });
    } catch (err) {
      if (err instanceof NetworkError)
        throw new RegistryError(`cannot reach ${url.host} (${err.message})`, 'unreachable');
      throw err;
    }
  }

  private async read(res: HttpResponse, maxBytes: number, what: string): Promise<Buffer> {
    try {
      return await readBody(res, maxBytes, what);
    } catch (err) {
      throw new RegistryError(`${what}: ${errorMessage(err)}`, 'unreachable');
    }
  }

  /** Pings /v2/ once: which scheme answers, and whether (and how) it wants authentication. */
  private endpoint(): Promise<URL> {
    this.base ??= this.ping();
    return this.base;
  }

  private async ping(): Promise<URL> {
    const fallBack = this.options.insecure || isLoopback(new URL(`http://${this.host}`).hostname);
    let lastError: NetworkError | undefined;
    for (const scheme of fallBack ? ['https', 'http'] : ['https']) {
      const base = new URL(`${scheme}://${this.host}/`);
      let res: HttpResponse;
      try {
        res = await this.http.request({ url: new URL('/v2/', base) });
      } catch (err) {
        if (!(err instanceof NetworkError)) throw err;
        lastError = err;
        // A certificate problem is an answer: the registry speaks TLS, and we must not downgrade.
        if (isCertificateProblem(err)) break;
        continue;
      }
      const body = await readBody(res, MAX_ERROR_BODY, 'ping').catch(() => Buffer.alloc(0));
      if (res.status === 401) this.auth.learn(res.headers);
      else if (res.status === 404)
        throw new RegistryError(`${this.host} is not a container registry (no /v2/ API)`, 'not-found');
      else if (res.status !== 200) {
        const detail = describeErrorBody(body);
        throw new RegistryError(
          `${this.host} answered HTTP ${res.status}${detail ? ` (${detail})` : ''}`,
          res.status >= 500 || res.status === 429 ? 'unreachable' : 'protocol',
        );
      }
      return base;
    }
    throw new RegistryError(
      `cannot reach ${this.host} (${lastError?.message ?? 'no answer'})`,
      'unreachable',
    );
  }

  private async failure(res: HttpResponse, what: string): Promise<RegistryError> {
    const body = await readBody(res, MAX_ERROR_BODY, 'error').catch(() => Buffer.alloc(0));
    const detail = describeErrorBody(body) ?? `HTTP ${res.status}`;
    const where = res.url.host === this.host ? '' : ` (from ${res.url.host})`;
    const failure =
      res.status === 404
        ? 'not-found'
        : res.status === 403
          ? 'unauthorized'
          : res.status >= 500 || res.status === 429
            ? 'unreachable'
            : 'protocol';
    return new RegistryError(`${what}: ${detail}${where}`, failure);
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]';
}

function isCertificateProblem(err: NetworkError): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(err.code ?? '');
}
