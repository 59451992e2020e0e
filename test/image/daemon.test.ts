import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonUnavailable, openDaemonImage } from '../../src/image/daemon.js';
import { openNamedImage } from '../../src/image/named-image.js';
import { parsePlatform } from '../../src/image/platform.js';
import { needs } from '../helpers/components.js';
import { buildImage, debianBase } from '../helpers/images.js';
import { freePort } from './registry/harness.js';

/**
 * The Docker daemon as an image source, against the real daemon: what `docker image inspect`
 * says about the image, the export spooled and removed (also when the scan is interrupted),
 * and one-line answers when the daemon or the image is not there.
 */

const BIN = new URL('../../bin/ringfence', import.meta.url).pathname;

interface Inspect {
  Id: string;
  RepoTags: string[];
  RootFS: { Layers: string[] };
  Architecture: string;
  Os: string;
}

describe.skipIf(needs('docker', 'mmdebstrap'))('the Docker daemon as an image source', () => {
  let work: string;
  let image: string;
  let inspect: Inspect;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'rf-daemon-'));
    image = buildImage(
      'daemon-source',
      [`FROM ${debianBase()}`, 'RUN echo hello > /hello && rm -f /etc/motd'].join('\n'),
    );
    inspect = (JSON.parse(execFileSync('docker', ['image', 'inspect', image]).toString()) as Inspect[])[0]!;
  }, 900_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const spools = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('daemon-export-'));

  it('gives the image the daemon has: its id, tags, platform and layers; the export is removed on close', async () => {
    const workDir = mkdtempSync(join(work, 'scan-'));
    const source = await openDaemonImage(image, { workDir });
    try {
      expect(source.info).toEqual({
        type: 'docker',
        ref: image,
        imageId: inspect.Id,
        digest: undefined,
        repoTags: inspect.RepoTags,
        architecture: inspect.Architecture,
        os: inspect.Os,
      });
      expect(source.layers.map((l) => l.diffId)).toEqual(inspect.RootFS.Layers);
      expect(spools(workDir)).toHaveLength(1);
    } finally {
      await source.close();
    }
    expect(spools(workDir)).toEqual([]);
  });

  it('does not count when it lacks the image, is not running, or has another platform', async () => {
    const workDir = mkdtempSync(join(work, 'scan-'));
    await expect(openDaemonImage('rf-test/not-there:1', { workDir })).rejects.toThrow(
      new DaemonUnavailable('no such image in the Docker daemon'),
    );
    await expect(openDaemonImage(image, { workDir, socketPath: join(work, 'no.sock') })).rejects.toThrow(
      `cannot reach the Docker daemon at ${join(work, 'no.sock')} (ENOENT)`,
    );
    await expect(openDaemonImage(image, { workDir, platform: parsePlatform('linux/s390x') })).rejects.toThrow(
      `the daemon's image is for ${inspect.Os}/${inspect.Architecture}, not linux/s390x`,
    );
    expect(spools(workDir)).toEqual([]);
  });

  it('says what every source answered when none has the image', async () => {
    const port = await freePort();
    const name = `127.0.0.1:${port}/rf-test/not-there:1`;
    await expect(openNamedImage(name, { workDir: work, sources: ['docker'] })).rejects.toThrow(
      `${name}: no such image in the Docker daemon`,
    );
    await expect(openNamedImage(name, { workDir: work })).rejects.toThrow(
      `${name}: no image source could provide it (docker: no such image in the Docker daemon; registry: cannot reach 127.0.0.1:${port} (connection refused: ECONNREFUSED))`,
    );
  });

  it('removes the spooled export when the scan is interrupted (SIGINT)', async () => {
    const cacheDir = join(work, 'interrupted');
    const child = spawn(
      process.execPath,
      [BIN, 'sbom', image, '--image-src', 'docker', '--cache-dir', cacheDir],
      {
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ? 128 : code)),
    );
    let spool: string | undefined;
    const deadline = Date.now() + 120_000;
    while (!spool && Date.now() < deadline && child.exitCode === null) {
      const tmp = join(cacheDir, 'tmp');
      for (const scan of existsSync(tmp) ? readdirSync(tmp) : [])
        for (const f of spools(join(tmp, scan))) spool = join(tmp, scan, f);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(spool, 'the export never appeared').toBeDefined();
    child.kill('SIGINT');
    expect(await exited).toBe(128);
    expect(existsSync(spool!)).toBe(false);
  }, 180_000);
});
