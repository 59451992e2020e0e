import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dockerConfigPath, lookupCredentials } from '../../../src/image/registry/credentials.js';
import { UserError } from '../../../src/util/errors.js';

/**
 * Where credentials come from, as `docker pull` looks them up: explicit ones, then
 * $DOCKER_CONFIG/config.json (credHelpers, auths, credsStore). Credential helpers are real
 * executables speaking the docker-credential-helpers protocol.
 */

let dir: string;
let bin: string;
const saved = { DOCKER_CONFIG: process.env.DOCKER_CONFIG, PATH: process.env.PATH };

function config(doc: unknown): void {
  writeFileSync(join(dir, 'config.json'), typeof doc === 'string' ? doc : JSON.stringify(doc));
}

/** A helper that knows one server; it logs the server URL it was asked for. */
function helper(name: string, server: string, answer: string): void {
  const file = join(bin, `docker-credential-${name}`);
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      'read server',
      `echo "$server" >> ${join(dir, `${name}.asked`)}`,
      `if [ "$server" = "${server}" ]; then echo '${answer}'; else echo "credentials not found in native keychain"; exit 1; fi`,
    ].join('\n'),
  );
  chmodSync(file, 0o755);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rf-credentials-'));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  process.env.DOCKER_CONFIG = dir;
  process.env.PATH = `${bin}:${saved.PATH}`;
});
afterEach(() => rmSync(join(dir, 'config.json'), { force: true }));
afterAll(() => {
  process.env.DOCKER_CONFIG = saved.DOCKER_CONFIG;
  process.env.PATH = saved.PATH;
  rmSync(dir, { recursive: true, force: true });
});

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('registry credentials', () => {
  it('prefers --username/--password, and wants both', async () => {
    config({ auths: { 'r.example': { auth: b64('cfg:cfg') } } });
    expect(await lookupCredentials('r.example', { username: 'u', password: 'p' })).toEqual({
      credentials: { username: 'u', password: 'p' },
      origin: '--username/--password',
    });
    await expect(lookupCredentials('r.example', { username: 'u' })).rejects.toThrow(UserError);
    await expect(lookupCredentials('r.example', { password: 'p' })).rejects.toThrow(
      /--username and --password go together/,
    );
  });

  it('reads auths entries under any of the names Docker writes them under', async () => {
    expect(dockerConfigPath()).toBe(join(dir, 'config.json'));
    config({
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hub:pass:with:colons') },
        'http://localhost:5000': { auth: b64('local:pw') },
        'registry.example.com/v2/': { username: 'plain', password: 'fields' },
        'ghcr.io': { auth: b64('me:'), identitytoken: 'refresh-me' },
      },
    });
    expect((await lookupCredentials('docker.io')).credentials).toEqual({
      username: 'hub',
      password: 'pass:with:colons',
    });
    expect((await lookupCredentials('localhost:5000')).credentials).toEqual({
      username: 'local',
      password: 'pw',
    });
    expect((await lookupCredentials('registry.example.com')).credentials).toEqual({
      username: 'plain',
      password: 'fields',
    });
    expect((await lookupCredentials('ghcr.io')).credentials).toEqual({
      username: 'me',
      identityToken: 'refresh-me',
    });
    expect(await lookupCredentials('localhost:5001')).toEqual({
      origin: `no credentials for localhost:5001 in ${join(dir, 'config.json')}`,
    });
  });

  it('asks credHelpers first, then auths, then credsStore; "<token>" means an identity token', async () => {
    helper(
      'hub',
      'https://index.docker.io/v1/',
      '{"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"idt"}',
    );
    helper('store', 'q.example', '{"ServerURL":"q.example","Username":"sq","Secret":"sp"}');
    config({
      credHelpers: { 'index.docker.io': 'hub' },
      auths: { 'q.example': { auth: b64('aq:ap') } },
      credsStore: 'store',
    });
    expect(await lookupCredentials('docker.io')).toEqual({
      credentials: { identityToken: 'idt' },
      origin: 'docker-credential-hub',
    });
    expect((await lookupCredentials('q.example')).credentials).toEqual({ username: 'aq', password: 'ap' });
    config({ credsStore: 'store' });
    expect(await lookupCredentials('q.example')).toEqual({
      credentials: { username: 'sq', password: 'sp' },
      origin: 'docker-credential-store',
    });
    expect(await lookupCredentials('other.example')).toEqual({
      origin: 'no credentials for other.example from docker-credential-store',
    });
  });

  it('goes on without credentials when a helper is missing or broken, and says why', async () => {
    config({ credsStore: 'desktop' });
    expect(await lookupCredentials('r.example')).toEqual({
      origin: 'no credentials (docker-credential-desktop is not installed (not found on PATH))',
    });
    helper('garbage', 'r.example', 'not json');
    config({ credHelpers: { 'r.example': 'garbage' } });
    expect(await lookupCredentials('r.example')).toEqual({
      origin: 'no credentials (docker-credential-garbage get printed something that is not JSON)',
    });
  });

  it('names a broken config.json in one line, never its secrets', async () => {
    config('{"auths": {');
    await expect(lookupCredentials('r.example')).rejects.toThrow(
      new RegExp(`^${join(dir, 'config.json')}: is not valid JSON`),
    );
    config({ auths: { 'r.example': { auth: b64('no-colon-SECRET') } } });
    const err = await lookupCredentials('r.example').catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `${join(dir, 'config.json')}: the auth entry for r.example is not base64 of "user:password"`,
    );
    expect(await lookupCredentials('absent.example', undefined)).toMatchObject({
      origin: expect.stringContaining('no credentials'),
    });
    rmSync(join(dir, 'config.json'));
    expect(await lookupCredentials('r.example')).toEqual({
      origin: `no credentials (${join(dir, 'config.json')} does not exist)`,
    });
  });
});
