import { errorMessage, inputError, UserError } from '../util/errors.js';
import { DaemonUnavailable, openDaemonImage } from './daemon.js';
import { isDataError } from './format-error.js';
import type { Platform } from './platform.js';
import type { RegistryClientOptions } from './registry/client.js';
import { RegistryError } from './registry/errors.js';
import { parseReference } from './registry/reference.js';
import { openRegistryImage } from './registry/source.js';
import type { ImageSource } from './source.js';

/**
 * An image named by reference (`alpine:3.20`, `host:5000/app@sha256:…`), taken from the first
 * image source that has it, in `--image-src` order as Trivy does (default: the Docker daemon,
 * then the registry). A source that does not have the image (daemon not running, no such
 * image, registry unreachable or refusing) lets the next one try; when none has it the error
 * says what each answered. Corrupt or tampered data stops at once.
 */

export type ImageSourceKind = 'docker' | 'registry';

const DEFAULT_IMAGE_SOURCES: readonly ImageSourceKind[] = ['docker', 'registry'];

/** Trivy calls the registry source "remote". */
const SOURCE_NAMES: Record<string, ImageSourceKind> = {
  docker: 'docker',
  registry: 'registry',
  remote: 'registry',
};

/** How to reach registries and the daemon: what `--image-src`, `--insecure`, `--username/--password` say. */
export interface PullOptions extends Omit<RegistryClientOptions, 'http'> {
  sources?: readonly ImageSourceKind[];
  /** Docker daemon socket (default DOCKER_HOST or /var/run/docker.sock). */
  dockerSocket?: string;
  /** For tests: registry timeouts and retry pacing. */
  http?: RegistryClientOptions['http'];
}

interface NamedImageOptions extends PullOptions {
  platform?: Platform;
  workDir: string;
}

/** `--image-src docker,registry`: a comma-separated list of sources, tried in order. */
export function parseImageSources(value: string): ImageSourceKind[] {
  const names = value.split(',').map((s) => s.trim());
  const kinds = names.map((n) => SOURCE_NAMES[n.toLowerCase()]);
  if (names.length === 0 || kinds.some((k) => k === undefined))
    throw new UserError(
      `--image-src ${value}: expected a comma-separated list of docker, registry (or remote)`,
    );
  return [...new Set(kinds as ImageSourceKind[])];
}

export async function openNamedImage(name: string, options: NamedImageOptions): Promise<ImageSource> {
  const ref = parseReference(name);
  const answers: string[] = [];
  for (const kind of options.sources ?? DEFAULT_IMAGE_SOURCES) {
    try {
      return kind === 'docker'
        ? await openDaemonImage(name, {
            workDir: options.workDir,
            platform: options.platform,
            socketPath: options.dockerSocket,
          })
        : await openRegistryImage(ref, name, options);
    } catch (err) {
      if (err instanceof DaemonUnavailable || (err instanceof RegistryError && err.unavailable)) {
        answers.push(`${kind}: ${err.message}`);
        continue;
      }
      if (err instanceof RegistryError) throw inputError(name, err.message, err);
      // JSON.parse quotes the bad input, line breaks included: keep the message on one line.
      if (isDataError(err)) throw inputError(name, errorMessage(err).replace(/\s*[\r\n]+\s*/g, ' '), err);
      throw err;
    }
  }
  if (answers.length === 1) throw inputError(name, answers[0]!.slice(answers[0]!.indexOf(': ') + 2));
  throw inputError(name, `no image source could provide it (${answers.join('; ')})`);
}
