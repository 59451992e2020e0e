import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PullOptions } from '../../../src/image/named-image.js';
import { type ScanOptions, scanSource } from '../../../src/inventory/scan.js';
import type { Inventory } from '../../../src/types.js';
import { ringfence } from '../../helpers/cli.js';
import { needs } from '../../helpers/components.js';
import {
  type BlobServer,
  freePort,
  type RunningRegistry,
  selfSignedCertificate,
  skopeoPush,
  startBlobServer,
  startRegistry,
  startTokenServer,
  type TokenServer,
} from './harness.js';
import { dockerArchive, dpkgLayer, multiPlatformLayout, npmLayer } from './images.js';

/**
 * Pulls from Debian's docker-registry (distribution v2), images pushed with skopeo: anonymous,
 * htpasswd basic auth, the token flow, TLS with a self-signed certificate, blob redirects, a
 * multi-platform index; tampered blobs, wrong credentials and unreachable registries. The
 * oracle for digests is skopeo's view of the same registry.
 */

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const names = (inv: Inventory) => inv.packages.map((p) => `${p.name}@${p.version}`).sort();
const oneLine = (s: string) => s.trim().split('\n').length === 1;

function skopeoRaw(ref: string, creds?: string, config = false): Buffer {
  return execFileSync('skopeo', [
    'inspect',
    '--raw',
    ...(config ? ['--config'] : []),
    '--tls-verify=false',
    ...(creds ? ['--creds', creds] : []),
    `docker://${ref}`,
  ]);
}

describe.skipIf(needs('registry', 'skopeo', 'htpasswd'))('pulling from a real docker-registry', () => {
  let work: string;
  let base: Buffer;
  let appA: string;
  let appB: string;
  let cacheCount = 0;
  const env: Record<string, string | undefined> = {};

  const setEnv = (name: string, value: string | undefined) => {
    if (!(name in env)) env[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  const freshCache = () => join(work, `cache-${cacheCount++}`);
  const scan = (ref: string, pull: PullOptions = {}, extra: ScanOptions = {}) =>
    scanSource(ref, { cacheRoot: freshCache(), ...extra, pull: { sources: ['registry'], ...pull } });

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'rf-registry-test-'));
    // An empty DOCKER_CONFIG, so that the machine's own credentials never take part.
    setEnv('DOCKER_CONFIG', join(work, 'no-docker-config'));
    base = dpkgLayer([
      ['base-files', '12.4+deb12u5'],
      ['less', '590-2'],
    ]);
    appA = dockerArchive(work, 'a.tar', [base, npmLayer('left-pad', '1.3.0')]);
    appB = dockerArchive(work, 'b.tar', [base, npmLayer('ms', '2.1.3')]);
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(work, { recursive: true, force: true });
  });

  describe('anonymous, plain http on loopback', () => {
    let registry: RunningRegistry;

    beforeAll(async () => {
      registry = await startRegistry();
      await skopeoPush(`docker-archive:${appA}`, `${registry.host}/team/app:1`);
    }, 120_000);
    afterAll(() => registry?.stop());

    it('pulls by tag: the manifest and config skopeo sees, every layer verified, the same packages', async () => {
      const ref = `${registry.host}/team/app:1`;
      const inv = await scan(ref);
      const manifest = JSON.parse(skopeoRaw(ref).toString()) as {
        layers: { digest: string; size: number }[];
      };
      expect(inv.source).toEqual({
        type: 'registry',
        ref,
        imageId: sha256(skopeoRaw(ref, undefined, true)),
        digest: sha256(skopeoRaw(ref)),
        repoTags: [ref],
        architecture: 'amd64',
        os: 'linux',
      });
      expect(inv.layers.map((l) => [l.digest, l.size])).toEqual(
        manifest.layers.map((l) => [l.digest, l.size]),
      );
      expect(names(inv)).toEqual(['base-files@12.4+deb12u5', 'left-pad@1.3.0', 'less@590-2']);
      expect(inv.packages.find((p) => p.name === 'left-pad')?.layer?.index).toBe(1);
      expect(inv.warnings).toEqual([]);
    });

    it('pulls by digest', async () => {
      const digest = sha256(skopeoRaw(`${registry.host}/team/app:1`));
      const inv = await scan(`${registry.host}/team/app@${digest}`);
      expect(inv.source.digest).toBe(digest);
      expect(names(inv)).toContain('left-pad@1.3.0');
    });

    it('says in one line what the registry answered for a missing tag or repository', async () => {
      await expect(scan(`${registry.host}/team/app:2`)).rejects.toThrow(
        `${registry.host}/team/app:2: ${registry.host} has no team/app:2: manifest unknown (MANIFEST_UNKNOWN)`,
      );
      await expect(scan(`${registry.host}/nobody/here@sha256:${'0'.repeat(64)}`)).rejects.toThrow(
        `${registry.host} has no nobody/here@sha256:${'0'.repeat(64)}: manifest unknown (MANIFEST_UNKNOWN)`,
      );
    });
  });

  describe('a multi-platform index pushed with skopeo copy --all', () => {
    let registry: RunningRegistry;
    let ref: string;

    beforeAll(async () => {
      registry = await startRegistry();
      const layout = multiPlatformLayout(join(work, 'multi'), [
        {
          layers: [{ tar: dpkgLayer([['less', '590-2']], 'amd64') }],
          platform: { os: 'linux', architecture: 'amd64' },
        },
        {
          layers: [{ tar: dpkgLayer([['less', '590-2+arm']], 'arm64') }],
          platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        },
      ]);
      ref = `${registry.host}/multi:1`;
      await skopeoPush(`oci:${layout}`, ref, undefined, true);
    }, 120_000);
    afterAll(() => registry?.stop());

    it('takes the image for --platform, and this machine’s by default', async () => {
      const index = JSON.parse(skopeoRaw(ref).toString()) as { mediaType: string; manifests: unknown[] };
      expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      expect(index.manifests).toHaveLength(2);
      const arm = await scan(ref, {}, { platform: 'linux/arm64' });
      expect(arm.source).toMatchObject({ architecture: 'arm64', digest: sha256(skopeoRaw(ref)) });
      expect(names(arm)).toEqual(['less@590-2+arm']);
      if (process.arch === 'x64') expect(names(await scan(ref))).toEqual(['less@590-2']);
    });

    it('lists the platforms there are when none matches', async () => {
      await expect(scan(ref, {}, { platform: 'linux/s390x' })).rejects.toThrow(
        `${ref}: ${ref} has no image for platform linux/s390x (available: linux/amd64, linux/arm64/v8); choose one with --platform`,
      );
    });
  });

  describe('htpasswd basic auth, blobs redirected to another server', () => {
    let registry: RunningRegistry;
    let blobs: BlobServer;
    const creds = { username: 'alice', password: 'wonderland' };

    beforeAll(async () => {
      blobs = await startBlobServer(() => registry.storage);
      registry = await startRegistry({
        htpasswd: { user: creds.username, password: creds.password },
        redirectTo: blobs.url,
      });
      await skopeoPush(`docker-archive:${appA}`, `${registry.host}/app:a`, 'alice:wonderland');
      await skopeoPush(`docker-archive:${appB}`, `${registry.host}/app:b`, 'alice:wonderland');
    }, 120_000);
    afterAll(async () => {
      await registry?.stop();
      await blobs?.close();
    });
    afterEach(() => {
      setEnv('DOCKER_CONFIG', join(work, 'no-docker-config'));
    });

    it('pulls with --username/--password; the redirected downloads never carry them', async () => {
      blobs.requests.length = 0;
      const inv = await scan(`${registry.host}/app:a`, { credentials: creds });
      expect(names(inv)).toContain('left-pad@1.3.0');
      expect(blobs.requests.length).toBe(3);
      expect(blobs.requests.every((r) => !r.authorization)).toBe(true);
    });

    it('downloads only the config and the layers the layer cache lacks', async () => {
      const cacheRoot = join(work, 'shared-cache');
      const blobPaths = () => blobs.requests.map((r) => r.path.split('/').at(-2)!);
      const manifestOf = (tag: string) =>
        JSON.parse(skopeoRaw(`${registry.host}/app:${tag}`, 'alice:wonderland').toString()) as {
          config: { digest: string };
          layers: { digest: string }[];
        };
      const a = manifestOf('a');
      const b = manifestOf('b');
      blobs.requests.length = 0;
      await scanSource(`${registry.host}/app:a`, {
        cacheRoot,
        pull: { sources: ['registry'], credentials: creds },
      });
      expect(blobPaths().sort()).toEqual(
        [a.config.digest, ...a.layers.map((l) => l.digest)].map((d) => d.slice(7)).sort(),
      );
      blobs.requests.length = 0;
      await scanSource(`${registry.host}/app:a`, {
        cacheRoot,
        pull: { sources: ['registry'], credentials: creds },
      });
      expect(blobPaths()).toEqual([a.config.digest.slice(7)]);
      blobs.requests.length = 0;
      const inv = await scanSource(`${registry.host}/app:b`, {
        cacheRoot,
        pull: { sources: ['registry'], credentials: creds },
      });
      expect(a.layers[0]!.digest).toBe(b.layers[0]!.digest);
      expect(blobPaths().sort()).toEqual(
        [b.config.digest, b.layers[1]!.digest].map((d) => d.slice(7)).sort(),
      );
      expect(names(inv)).toEqual(['base-files@12.4+deb12u5', 'less@590-2', 'ms@2.1.3']);
    });

    it('takes credentials from $DOCKER_CONFIG/config.json (auth) and from a credential helper', async () => {
      const config = join(work, 'docker-config');
      mkdirSync(config, { recursive: true });
      const auth = Buffer.from('alice:wonderland').toString('base64');
      writeFileSync(
        join(config, 'config.json'),
        JSON.stringify({ auths: { [`http://${registry.host}`]: { auth } } }),
      );
      setEnv('DOCKER_CONFIG', config);
      expect(names(await scan(`${registry.host}/app:a`))).toContain('left-pad@1.3.0');

      const bin = join(work, 'bin');
      mkdirSync(bin, { recursive: true });
      const helper = join(bin, 'docker-credential-rftest');
      writeFileSync(
        helper,
        [
          '#!/bin/sh',
          'read server',
          `if [ "$server" = "${registry.host}" ]; then`,
          `  echo '{"ServerURL":"${registry.host}","Username":"alice","Secret":"wonderland"}'`,
          'else echo "credentials not found in native keychain"; exit 1; fi',
        ].join('\n'),
      );
      chmodSync(helper, 0o755);
      setEnv('PATH', `${bin}:${process.env.PATH}`);
      writeFileSync(
        join(config, 'config.json'),
        JSON.stringify({ credHelpers: { [registry.host]: 'rftest' } }),
      );
      expect(names(await scan(`${registry.host}/app:a`))).toContain('left-pad@1.3.0');
      writeFileSync(join(config, 'config.json'), JSON.stringify({ credsStore: 'rftest' }));
      expect(names(await scan(`${registry.host}/app:a`))).toContain('left-pad@1.3.0');
    });

    it('says in one line that credentials are missing or wrong, without showing them', async () => {
      await expect(scan(`${registry.host}/app:a`)).rejects.toThrow(
        `${registry.host}/app:a: ${registry.host} requires authentication and there are no credentials (${join(work, 'no-docker-config', 'config.json')} does not exist); log in with docker login or pass --username/--password`,
      );
      const wrong = scan(`${registry.host}/app:a`, {
        credentials: { username: 'alice', password: 'Sesame-9f3b' },
      });
      await expect(wrong).rejects.toThrow(
        `${registry.host}/app:a: ${registry.host} refused access with the credentials from --username/--password (authentication required (UNAUTHORIZED))`,
      );
      await expect(wrong).rejects.not.toThrow(/Sesame/);
    });

    it('the CLI: --username/--password and RINGFENCE_PASSWORD; a wrong password is one line, exit 2', async () => {
      const cacheDir = freshCache();
      const ok = await ringfence(
        [
          'sbom',
          `${registry.host}/app:a`,
          '--image-src',
          'registry',
          '--username',
          'alice',
          '--format',
          'json',
          '--cache-dir',
          cacheDir,
        ],
        { env: { RINGFENCE_PASSWORD: 'wonderland', DOCKER_CONFIG: join(work, 'no-docker-config') } },
      );
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(names(JSON.parse(ok.stdout) as Inventory)).toContain('left-pad@1.3.0');
      const bad = await ringfence(
        [
          'sbom',
          `${registry.host}/app:a`,
          '--username',
          'alice',
          '--password',
          'Sesame-9f3b',
          '--cache-dir',
          cacheDir,
        ],
        { env: { DOCKER_CONFIG: join(work, 'no-docker-config') } },
      );
      expect(bad.code).toBe(2);
      expect(bad.stdout).toBe('');
      expect(oneLine(bad.stderr), bad.stderr).toBe(true);
      expect(bad.stderr).toMatch(/refused access with the credentials from --username\/--password/);
      expect(bad.stderr).not.toMatch(/Sesame/);
    });
  });

  describe('tampered content', () => {
    let registry: RunningRegistry;

    beforeAll(async () => {
      registry = await startRegistry();
      await skopeoPush(`docker-archive:${appA}`, `${registry.host}/app:layer`);
      await skopeoPush(`docker-archive:${appB}`, `${registry.host}/app:manifest`);
    }, 120_000);
    afterAll(() => registry?.stop());

    it('refuses a layer blob whose bytes changed (gzip still inflates it) in one line', async () => {
      const ref = `${registry.host}/app:layer`;
      const manifest = JSON.parse(skopeoRaw(ref).toString()) as { layers: { digest: string }[] };
      const digest = manifest.layers[1]!.digest;
      const file = registry.blobPath(digest);
      const blob = readFileSync(file);
      blob[9] = blob[9] === 3 ? 255 : 3; // gzip's OS byte: gunzip ignores it, the digest does not
      writeFileSync(file, blob);
      const r = await ringfence(['sbom', ref, '--image-src', 'registry', '--cache-dir', freshCache()]);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr), r.stderr).toBe(true);
      expect(r.stderr).toMatch(
        new RegExp(
          `^ringfence: ${ref}: layer 2/2 \\(sha256:[0-9a-f]{12}\\): layer blob ${digest} does not match its digest \\(expected ${digest}, got sha256:[0-9a-f]{64}\\)\\n$`,
        ),
      );
    });

    it('refuses a manifest whose bytes changed', async () => {
      const ref = `${registry.host}/app:manifest`;
      const digest = sha256(skopeoRaw(ref));
      const file = registry.blobPath(digest);
      writeFileSync(file, `${JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), null, 1)}\n`);
      await expect(scan(ref)).rejects.toThrow(
        new RegExp(`does not match the digest the registry gives for it \\(expected ${digest}, got sha256:`),
      );
    });
  });

  describe('the token flow (auth: token, JWTs signed with a key the registry trusts)', () => {
    let registry: RunningRegistry;
    let tokens: TokenServer;

    beforeAll(async () => {
      const signer = selfSignedCertificate(work, 'token-signer');
      tokens = await startTokenServer(signer, { bob: 'builder' }, { 'refresh-for-bob': 'bob' });
      registry = await startRegistry({
        token: {
          realm: tokens.realm,
          service: tokens.service,
          issuer: tokens.issuer,
          rootCertBundle: signer.cert,
        },
      });
      await skopeoPush(`docker-archive:${appA}`, `${registry.host}/public/app:1`, 'bob:builder');
      await skopeoPush(`docker-archive:${appA}`, `${registry.host}/private/app:1`, 'bob:builder');
    }, 120_000);
    afterAll(async () => {
      await registry?.stop();
      await tokens?.close();
    });

    it('gets an anonymous token for a public repository, once for the whole pull', async () => {
      tokens.requests.length = 0;
      expect(names(await scan(`${registry.host}/public/app:1`))).toContain('left-pad@1.3.0');
      expect(tokens.requests).toEqual([
        { method: 'GET', scopes: ['repository:public/app:pull'], basic: undefined, refreshToken: undefined },
      ]);
    });

    it('sends credentials to the token server, and reads access_token as well as token', async () => {
      tokens.requests.length = 0;
      tokens.useAccessTokenField = true;
      try {
        const inv = await scan(`${registry.host}/private/app:1`, {
          credentials: { username: 'bob', password: 'builder' },
        });
        expect(names(inv)).toContain('left-pad@1.3.0');
      } finally {
        tokens.useAccessTokenField = false;
      }
      expect(tokens.requests).toEqual([
        {
          method: 'GET',
          scopes: ['repository:private/app:pull'],
          basic: Buffer.from('bob:builder').toString('base64'),
          refreshToken: undefined,
        },
      ]);
    });

    it('exchanges an identity token from config.json through the refresh_token grant', async () => {
      const config = join(work, 'docker-config-token');
      mkdirSync(config, { recursive: true });
      writeFileSync(
        join(config, 'config.json'),
        JSON.stringify({
          auths: {
            [registry.host]: {
              auth: Buffer.from('bob:').toString('base64'),
              identitytoken: 'refresh-for-bob',
            },
          },
        }),
      );
      setEnv('DOCKER_CONFIG', config);
      tokens.requests.length = 0;
      try {
        expect(names(await scan(`${registry.host}/private/app:1`))).toContain('left-pad@1.3.0');
      } finally {
        setEnv('DOCKER_CONFIG', join(work, 'no-docker-config'));
      }
      expect(tokens.requests).toEqual([
        {
          method: 'POST',
          scopes: ['repository:private/app:pull'],
          basic: undefined,
          refreshToken: 'refresh-for-bob',
        },
      ]);
    });

    it('says who refused: the registry (no access) or the token server (wrong password)', async () => {
      await expect(scan(`${registry.host}/private/app:1`)).rejects.toThrow(
        `${registry.host}/private/app:1: ${registry.host} refused anonymous access (authentication required (UNAUTHORIZED)); the repository does not exist or needs credentials (docker login, or --username/--password)`,
      );
      await expect(
        scan(`${registry.host}/private/app:1`, { credentials: { username: 'bob', password: 'nope' } }),
      ).rejects.toThrow(
        `${registry.host}/private/app:1: the token server ${new URL(tokens.realm).host} rejected the credentials from --username/--password for ${registry.host} (invalid username or password (UNAUTHORIZED))`,
      );
    });
  });

  describe('TLS with a self-signed certificate', () => {
    let registry: RunningRegistry;

    beforeAll(async () => {
      registry = await startRegistry({ tls: selfSignedCertificate(work, 'registry-tls') });
      await skopeoPush(`docker-archive:${appA}`, `${registry.host}/app:1`);
    }, 120_000);
    afterAll(() => registry?.stop());

    it('refuses the certificate without --insecure, in one line, and never falls back to http', async () => {
      const r = await ringfence([
        'sbom',
        `${registry.host}/app:1`,
        '--image-src',
        'registry',
        '--cache-dir',
        freshCache(),
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `ringfence: ${registry.host}/app:1: cannot reach ${registry.host} (its TLS certificate is self-signed (use --insecure to accept it))\n`,
      );
    });

    it('pulls with --insecure', async () => {
      const r = await ringfence([
        'sbom',
        `${registry.host}/app:1`,
        '--insecure',
        '-f',
        'json',
        '--cache-dir',
        freshCache(),
      ]);
      expect(r.stderr).toBe('');
      expect(names(JSON.parse(r.stdout) as Inventory)).toContain('left-pad@1.3.0');
    });
  });

  it('an unreachable registry is one line, after trying every source', async () => {
    const port = await freePort();
    const r = await ringfence([
      'sbom',
      `127.0.0.1:${port}/app:1`,
      '--image-src',
      'registry',
      '--cache-dir',
      freshCache(),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `ringfence: 127.0.0.1:${port}/app:1: cannot reach 127.0.0.1:${port} (connection refused: ECONNREFUSED)\n`,
    );
  });
});
