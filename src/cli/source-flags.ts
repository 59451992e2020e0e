import { type Command, Option } from 'commander';
import { type PullOptions, parseImageSources } from '../image/named-image.js';
import { explicitCredentials } from '../image/registry/credentials.js';

/**
 * The flags every command that reads an image shares (sbom, image, ...): which image to take
 * and how to reach registries and the Docker daemon. Add them with `addImageSourceFlags` and
 * pass `imageSourceOptions(flags)` on to scanSource.
 */

export interface ImageSourceFlags {
  platform?: string;
  input?: string;
  imageSrc?: string;
  insecure?: boolean;
  username?: string;
  password?: string;
}

export function addImageSourceFlags(command: Command): Command {
  return command
    .option(
      '--platform <os/arch[/variant]>',
      'image to take from a multi-platform image (default: this machine)',
    )
    .option('-i, --input <file>', 'image archive to read (instead of SOURCE)')
    .option(
      '--image-src <list>',
      'where to look for an image named by reference, in order: docker (the daemon), registry (default docker,registry)',
    )
    .option('--insecure', 'allow plain http and unverified TLS certificates for the registry')
    .addOption(new Option('--username <user>', 'registry user name').env('RINGFENCE_USERNAME'))
    .addOption(new Option('--password <password>', 'registry password or token').env('RINGFENCE_PASSWORD'));
}

/** The parts of scanSource's options the flags decide. */
export function imageSourceOptions(flags: ImageSourceFlags): {
  platform?: string;
  input?: string;
  pull: PullOptions;
} {
  return {
    platform: flags.platform,
    input: flags.input,
    pull: {
      sources: flags.imageSrc === undefined ? undefined : parseImageSources(flags.imageSrc),
      insecure: flags.insecure,
      credentials: explicitCredentials(flags.username, flags.password),
    },
  };
}
