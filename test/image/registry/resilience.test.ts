import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullOptions } from '../../../src/image/named-image.js';
import { scanSource } from '../../../src/inventory/scan.js';
import { needs } from '../../helpers/components.js';
import { buildImage } from '../helpers/archives.js';
import { tarArchive } from '../helpers/tar-writer.js';
import { listen, type RunningRegistry, skopeoPush, startRegistry } from './harness.js';
import { dockerArchive, dpkgLayer } from './images.js';

/**
 * Networks and servers that misbehave. A real registry behind a proxy that answers 503 once
 * per path and cuts the first download of every layer half-way: the pull retries and resumes
 * with Range requests. Hostile servers (no registry does this): a manifest too big to hold, a
 * server that never answers, a redirect loop, a garbled challenge, a layer longer than its
 * descriptor says.
 */

const FAST: PullOptions['http'] = { timeoutMs: 2_000, attempts: 3, backoffMs: 20 };

describe.skipIf(needs('registry', 'skopeo'))('a real registry behind a faulty network', () => {
  let work: string;
  let registry: RunningRegistry;
  let proxy: Awaited<ReturnType<typeof listen>>;
  const seen = new Set<string>();
  const log: { path: string; range?: string; status: number }[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rf-registry-faults-'));
    registry = await startRegistry();
    const archive = dockerArchive(work, 'app.tar', [
      dpkgLayer([['less', '590-2']]),
      tarArchive([
        { name: 'app/node_modules/ms/package.json', data: JSON.stringify({ name: 'ms', version: '2.1.3' }) },
        // Incompressible, so that the pushed (gzip) blob is big enough to cut half-way.
        { name: 'app/blob.bin', data: randomBytes(256 << 10) },
      ]),
    ]);
    await skopeoPush(`docker-archive:${archive}`, `${registry.host}/app:1`);
    proxy = await listen((req, res) => forward(req, res));
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** 503 for the first request of each manifest/blob path; the first full download of a layer stops half-way. */
  function forward(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '/';
    const first = !seen.has(path);
    seen.add(path);
    if (first && /\/(manifests|blobs)\//.test(path)) {
      log.push({ path, status: 503 });
      res.writeHead(503).end();
      return;
    }
    const upstream = request(
      `http://${registry.host}${path}`,
      { method: req.method, headers: { ...req.headers, host: registry.host } },
      (up) => {
        log.push({ path, range: req.headers.range, status: up.statusCode ?? 0 });
        res.writeHead(up.statusCode ?? 502, up.headers);
        const size = Number(up.headers['content-length']);
        const cut =
          /\/blobs\//.test(path) && !req.headers.range && size > 100_000 && !seen.has(`cut ${path}`);
        if (!cut) {
          up.pipe(res);
          return;
        }
        seen.add(`cut ${path}`);
        let sent = 0;
        up.on('data', (chunk: Buffer) => {
          if (sent >= size / 2) return;
          res.write(chunk.subarray(0, Math.max(0, Math.floor(size / 2) - sent)));
          sent += chunk.length;
          if (sent >= size / 2) {
            up.destroy();
            res.socket?.destroy();
          }
        });
      },
    );
    req.pipe(upstream);
  }

  it('retries 503s and resumes a cut layer download with a Range request; the content still verifies', async () => {
    const inv = await scanSource(`127.0.0.1:${proxy.port}/app:1`, {
      cacheRoot: join(work, 'cache'),
      pull: { sources: ['registry'], http: FAST },
    });
    expect(inv.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(['less@590-2', 'ms@2.1.3']);
    expect(log.filter((l) => l.status === 503).length).toBeGreaterThanOrEqual(4);
    const resumed = log.filter((l) => l.range);
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ status: 206, range: expect.stringMatching(/^bytes=[1-9]\d*-$/) });
  });
});

describe('hostile servers', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'rf-registry-hostile-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const image = buildImage({ layers: [{ tar: dpkgLayer([['less', '590-2']]) }] });
  const manifestPath = '/v2/app/manifests/1';
  const ociManifest = 'application/vnd.oci.image.manifest.v1+json';

  /** A server that answers /v2/ and then whatever `routes` says (404 for the rest). */
  async function hostile(routes: Record<string, (res: ServerResponse, req: IncomingMessage) => void>) {
    return listen((req, res) => {
      const path = req.url ?? '/';
      if (path === '/v2/') res.writeHead(200).end('{}');
      else if (routes[path]) routes[path](res, req);
      else res.writeHead(404).end();
    });
  }
  const pull = (port: number, extra: PullOptions = {}) =>
    scanSource(`127.0.0.1:${port}/app:1`, {
      cacheRoot: join(work, `cache-${port}`),
      pull: { sources: ['registry'], http: FAST, ...extra },
    });

  it('refuses a manifest larger than 16 MiB, by its Content-Length or as it streams', async () => {
    const declared = await hostile({
      [manifestPath]: (res) => res.writeHead(200, { 'Content-Length': String(1 << 30) }).write('{'),
    });
    await expect(pull(declared.port)).rejects.toThrow(
      `127.0.0.1:${declared.port}/app:1: manifest app:1: manifest app:1 is 1073741824 bytes (limit 16777216)`,
    );
    await declared.close();
    const endless = await hostile({
      [manifestPath]: (res) => {
        res.writeHead(200, { 'Content-Type': ociManifest });
        const chunk = Buffer.alloc(1 << 20, 0x20);
        const more = () => {
          while (res.write(chunk));
        };
        res.on('drain', more);
        more();
      },
    });
    await expect(pull(endless.port)).rejects.toThrow(/manifest app:1 is larger than 16777216 bytes/);
    await endless.close();
  });

  it('gives up on a server that never answers, after the timeout and the retries', async () => {
    const silent = await listen(() => {});
    const started = Date.now();
    await expect(pull(silent.port, { http: { timeoutMs: 300, attempts: 2, backoffMs: 10 } })).rejects.toThrow(
      `127.0.0.1:${silent.port}/app:1: cannot reach 127.0.0.1:${silent.port} (no data for 0.3s)`,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    await silent.close();
  });

  it('stops following a redirect loop, and refuses a garbled challenge', async () => {
    const loop = await hostile({
      [manifestPath]: (res) => res.writeHead(307, { Location: manifestPath }).end(),
    });
    await expect(pull(loop.port)).rejects.toThrow(
      `cannot reach 127.0.0.1:${loop.port} (more than 5 redirects)`,
    );
    await loop.close();
    const garbled = await hostile({
      [manifestPath]: (res) => res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="unterminated' }).end(),
    });
    await expect(pull(garbled.port)).rejects.toThrow(
      `127.0.0.1:${garbled.port}/app:1: 127.0.0.1:${garbled.port}: malformed WWW-Authenticate header: unterminated quoted string`,
    );
    await garbled.close();
  });

  it('stops a layer that runs past the size its descriptor gives', async () => {
    const [layerDigest] = image.layerDigests;
    const layer = image.blobs.get(layerDigest!)!;
    const server = await hostile({
      [manifestPath]: (res) => res.writeHead(200, { 'Content-Type': ociManifest }).end(image.manifest),
      [`/v2/app/blobs/${image.configDigest}`]: (res) => res.writeHead(200).end(image.config),
      [`/v2/app/blobs/${layerDigest}`]: (res) => {
        res.writeHead(200);
        res.write(layer);
        const junk = Buffer.alloc(64 << 10);
        const more = () => {
          while (res.write(junk));
        };
        res.on('drain', more);
        more();
      },
    });
    await expect(pull(server.port)).rejects.toThrow(
      `layer blob ${layerDigest} is longer than the ${layer.length} bytes its descriptor says`,
    );
    await server.close();
  });
});
