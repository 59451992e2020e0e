import { randomBytes } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DockerApiError, DockerClient } from '../docker/client.js';
import type { ImageInspect } from '../docker/types.js';
import { errorMessage, UserError } from '../util/errors.js';
import { TarArchiveStore } from './archive-store.js';
import { openDockerArchive } from './docker-archive.js';
import { formatPlatform, type Platform, platformMatches } from './platform.js';
import type { ImageSource } from './source.js';

/**
 * An image from the Docker daemon: inspected through the Engine API, then exported
 * (`/images/{id}/get`, a `docker save` tarball). That tar puts its manifest at the end, so it
 * is spooled to a file in the scan's work directory and read as a docker-archive; the file is
 * removed on close, on error, and if the process is interrupted.
 */

interface DaemonOptions {
  /** Scratch directory for the spooled export. */
  workDir: string;
  /** `--platform`: a daemon image for another platform does not count. */
  platform?: Platform;
  /** Unix socket of the daemon; default DOCKER_HOST or /var/run/docker.sock. */
  socketPath?: string;
}

/** The daemon cannot give this image (not running, or no such image): the next source may. */
export class DaemonUnavailable extends Error {
  override readonly name = 'DaemonUnavailable';
}

/** Exporting a big image can take minutes before the first byte (the daemon assembles it first). */
const EXPORT_TIMEOUT_MS = 30 * 60_000;

export async function openDaemonImage(name: string, options: DaemonOptions): Promise<ImageSource> {
  const inspect = await inspectImage(name, options);
  if (options.platform && inspect.Os && inspect.Architecture) {
    const have = { os: inspect.Os, architecture: inspect.Architecture, variant: inspect.Variant };
    if (!platformMatches(options.platform, have))
      throw new DaemonUnavailable(
        `the daemon's image is for ${formatPlatform(have)}, not ${formatPlatform(options.platform)}`,
      );
  }
  const spool = join(options.workDir, `daemon-export-${randomBytes(4).toString('hex')}.tar`);
  const release = removeOnInterrupt(spool);
  try {
    const exporter = new DockerClient({ socketPath: options.socketPath, timeoutMs: EXPORT_TIMEOUT_MS });
    try {
      const body = await exporter.stream('GET', `/images/${inspect.Id}/get`);
      await pipeline(body, createWriteStream(spool, { flags: 'wx', mode: 0o600 }));
    } catch (err) {
      const { code, syscall } = err as NodeJS.ErrnoException;
      if (syscall === 'open' || syscall === 'write')
        throw new UserError(`${spool}: cannot write the exported image (${code})`);
      throw new UserError(
        `${name}: the Docker daemon could not export the image (${code ?? errorMessage(err)})`,
      );
    }
    const archive = await openDockerArchive(await TarArchiveStore.open(spool, name), name);
    return {
      info: {
        type: 'docker',
        ref: name,
        imageId: inspect.Id,
        digest: repoDigest(inspect.RepoDigests),
        repoTags: inspect.RepoTags?.length ? inspect.RepoTags : undefined,
        architecture: archive.info.architecture ?? inspect.Architecture,
        os: archive.info.os ?? inspect.Os,
      },
      config: archive.config,
      layers: archive.layers,
      async close() {
        await archive.close();
        await rm(spool, { force: true });
        release();
      },
    };
  } catch (err) {
    await rm(spool, { force: true });
    release();
    throw err;
  }
}

async function inspectImage(name: string, options: DaemonOptions): Promise<ImageInspect> {
  const docker = new DockerClient({ socketPath: options.socketPath });
  try {
    return await docker.json<ImageInspect>(`/images/${name}/json`);
  } catch (err) {
    if (err instanceof DockerApiError)
      throw new DaemonUnavailable(err.status === 404 ? 'no such image in the Docker daemon' : err.message);
    // Not running, or no permission on its socket.
    if (err instanceof UserError) throw new DaemonUnavailable(err.message);
    throw err;
  }
}

/** "repo@sha256:…" entries: the digest, when the image came from (or went to) a registry. */
function repoDigest(repoDigests: string[] | null | undefined): string | undefined {
  const entry = repoDigests?.find((d) => d.includes('@'));
  return entry?.slice(entry.indexOf('@') + 1);
}

/** Removes `path` if the process is interrupted or exits before the returned release is called. */
function removeOnInterrupt(path: string): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onExit = () => rmSync(path, { force: true });
  const onSignal = (signal: NodeJS.Signals) => {
    release();
    onExit();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const release = () => {
    for (const s of signals) process.off(s, onSignal);
    process.off('exit', onExit);
  };
  for (const s of signals) process.on(s, onSignal);
  process.on('exit', onExit);
  return release;
}
