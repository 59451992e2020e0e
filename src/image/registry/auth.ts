import type { IncomingHttpHeaders } from 'node:http';
import { errorMessage } from '../../util/errors.js';
import type { CredentialLookup, Credentials } from './credentials.js';
import { describeErrorBody, RegistryError } from './errors.js';
import { type HttpClient, NetworkError, readBody } from './http.js';
import { type Challenge, parseWwwAuthenticate } from './www-authenticate.js';

/**
 * Authentication against one registry, learnt from its 401 answers: Basic with credentials, or
 * the bearer-token flow (the realm named in the challenge gives a token for a scope, anonymously
 * or with credentials; an identity token is exchanged through OAuth2's refresh_token grant).
 * Tokens are cached per scope until shortly before they expire.
 */

interface AuthOptions {
  /** The registry as the user named it (host[:port]), for messages. */
  registry: string;
  http: HttpClient;
  /** Looked up once, the first time the registry asks for authentication. */
  credentials: () => Promise<CredentialLookup>;
  /** May credentials travel to this URL? (https, or plain http to a host the user allowed.) */
  mayCarryCredentials: (url: URL) => boolean;
}

interface CachedToken {
  header: string;
  expiresAt: number;
}

const MAX_TOKEN_RESPONSE = 1 << 20;
/** The token spec's default lifetime, and the least we assume. */
const MIN_TOKEN_SECONDS = 60;
const EARLY_REFRESH_MS = 10_000;

export class Authenticator {
  private challenge?: Challenge;
  private lookup?: Promise<CredentialLookup>;
  private readonly tokens = new Map<string, CachedToken>();

  constructor(private readonly options: AuthOptions) {}

  /** The Authorization header for a request needing `scope`, once the registry has asked for one. */
  async authorization(scope: string | undefined): Promise<string | undefined> {
    const challenge = this.challenge;
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') {
      const { credentials } = await this.credentials();
      if (!credentials?.username || credentials.password === undefined) return undefined;
      return basic(credentials);
    }
    const key = scope ?? '';
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.header;
    const token = await this.fetchToken(challenge, scope);
    this.tokens.set(key, token);
    return token.header;
  }

  /**
   * Learns from a 401 answer. Returns normally when a retry with `authorization()` may succeed;
   * throws a RegistryError saying why not otherwise.
   */
  async unauthorized(headers: IncomingHttpHeaders, body: Buffer, sent: string | undefined): Promise<void> {
    const challenge = this.pickChallenge(headers);
    const detail = describeErrorBody(body);
    if (sent !== undefined) {
      const lookup = await this.credentials();
      const why = detail ? ` (${detail})` : '';
      throw new RegistryError(
        lookup.credentials
          ? `${this.options.registry} refused access with the credentials from ${lookup.origin}${why}`
          : `${this.options.registry} refused anonymous access${why}; the repository does not exist or needs credentials (docker login, or --username/--password)`,
        'unauthorized',
      );
    }
    this.challenge = challenge;
    this.tokens.clear();
    if (challenge.scheme === 'basic') {
      const lookup = await this.credentials();
      if (!lookup.credentials?.username || lookup.credentials.password === undefined)
        throw this.needsCredentials(lookup);
    }
  }

  /** The challenge the registry gave when pinged, if any: later requests authenticate up front. */
  learn(headers: IncomingHttpHeaders): void {
    this.challenge = this.pickChallenge(headers);
  }

  private pickChallenge(headers: IncomingHttpHeaders): Challenge {
    const header = headers['www-authenticate'];
    if (!header)
      throw new RegistryError(
        `${this.options.registry} answered 401 without a WWW-Authenticate header`,
        'protocol',
      );
    let challenges: Challenge[];
    try {
      challenges = parseWwwAuthenticate(header);
    } catch (err) {
      throw new RegistryError(`${this.options.registry}: ${errorMessage(err)}`, 'protocol');
    }
    const chosen =
      challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
    if (!chosen)
      throw new RegistryError(
        `${this.options.registry} asks for ${challenges.map((c) => c.scheme).join(', ')} authentication, which is not supported (only Basic and Bearer)`,
        'unauthorized',
      );
    return chosen;
  }

  private credentials(): Promise<CredentialLookup> {
    this.lookup ??= this.options.credentials();
    return this.lookup;
  }

  private needsCredentials(lookup: CredentialLookup): RegistryError {
    const have = lookup.credentials
      ? `the credentials from ${lookup.origin} are an identity token, and it asks for a user name and password`
      : `there are ${lookup.origin}`;
    return new RegistryError(
      `${this.options.registry} requires authentication and ${have}; log in with docker login or pass --username/--password`,
      'unauthorized',
    );
  }

  private async fetchToken(challenge: Challenge, scope: string | undefined): Promise<CachedToken> {
    const { registry } = this.options;
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm ?? '');
      if (realm.protocol !== 'https:' && realm.protocol !== 'http:') throw new Error('not http');
    } catch {
      throw new RegistryError(`${registry} names no usable token realm in its Bearer challenge`, 'protocol');
    }
    const scopes = [...new Set([scope, challenge.params.scope].filter((s): s is string => !!s))];
    const service = challenge.params.service;
    const { credentials } = await this.credentials();
    const withCredentials = credentials && (credentials.identityToken || credentials.username);
    if (withCredentials && !this.options.mayCarryCredentials(realm))
      throw new RegistryError(
        `${registry}: refusing to send credentials over plain http to the token server ${realm.host} (pass --insecure to allow it)`,
        'unauthorized',
      );

    let res: Awaited<ReturnType<HttpClient['request']>>;
    try {
      if (credentials?.identityToken) {
        const form = new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: credentials.identityToken,
        });
        form.set('client_id', 'ringfence');
        if (service) form.set('service', service);
        if (scopes.length) form.set('scope', scopes.join(' '));
        res = await this.options.http.request({
          method: 'POST',
          url: realm,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        });
      } else {
        const url = new URL(realm);
        if (service) url.searchParams.set('service', service);
        for (const s of scopes) url.searchParams.append('scope', s);
        const headers: Record<string, string> = {};
        if (credentials?.username && credentials.password !== undefined)
          headers.Authorization = basic(credentials);
        res = await this.options.http.request({ url, headers });
      }
    } catch (err) {
      if (err instanceof NetworkError)
        throw new RegistryError(
          `cannot get a token from ${realm.host} for ${registry} (${err.message})`,
          'unreachable',
        );
      throw err;
    }
    let body: Buffer;
    try {
      body = await readBody(res, MAX_TOKEN_RESPONSE, 'the token response');
    } catch (err) {
      throw new RegistryError(`token server ${realm.host}: ${errorMessage(err)}`, 'protocol');
    }
    if (res.status === 401 || res.status === 403) {
      const lookup = await this.credentials();
      const detail = describeErrorBody(body);
      if (!withCredentials) throw this.needsCredentials(lookup);
      throw new RegistryError(
        `the token server ${realm.host} rejected the credentials from ${lookup.origin} for ${registry}${detail ? ` (${detail})` : ''}`,
        'unauthorized',
      );
    }
    if (res.status !== 200) {
      const detail = describeErrorBody(body);
      throw new RegistryError(
        `the token server ${realm.host} answered HTTP ${res.status}${detail ? ` (${detail})` : ''}`,
        res.status >= 500 ? 'unreachable' : 'protocol',
      );
    }
    return parseTokenResponse(body, realm.host);
  }
}

/** {token | access_token, expires_in?, issued_at?} → the header and when to stop using it. */
function parseTokenResponse(body: Buffer, realmHost: string): CachedToken {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    throw new RegistryError(`the token server ${realmHost} answered with invalid JSON`, 'protocol');
  }
  const o = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  const token = typeof o.token === 'string' && o.token !== '' ? o.token : o.access_token;
  if (typeof token !== 'string' || token === '' || /[\r\n]/.test(token))
    throw new RegistryError(`the token server ${realmHost} answered without a token`, 'protocol');
  const lifetime =
    typeof o.expires_in === 'number' && Number.isFinite(o.expires_in)
      ? Math.max(o.expires_in, MIN_TOKEN_SECONDS)
      : MIN_TOKEN_SECONDS;
  const issued = typeof o.issued_at === 'string' ? Date.parse(o.issued_at) : Number.NaN;
  const start = Number.isFinite(issued) && issued < Date.now() ? issued : Date.now();
  return { header: `Bearer ${token}`, expiresAt: start + lifetime * 1000 - EARLY_REFRESH_MS };
}

function basic(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}
