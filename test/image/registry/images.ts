import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  dockerArchiveFiles,
  filesToTar,
  ociLayoutFiles,
  type TestImage,
  writeFiles,
} from '../helpers/archives.js';
import { tarArchive } from '../helpers/tar-writer.js';

/** Small Debian-shaped test images (os-release and a dpkg status), written as archives skopeo can push. */

const OS_RELEASE = 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n';

export function dpkgLayer(packages: [name: string, version: string][], arch = 'amd64'): Buffer {
  const status = packages
    .map(([name, version]) =>
      [
        `Package: ${name}`,
        'Status: install ok installed',
        `Architecture: ${arch}`,
        `Version: ${version}`,
        '',
      ].join('\n'),
    )
    .join('\n');
  return tarArchive([
    { name: 'etc/os-release', data: OS_RELEASE },
    { name: 'var/lib/dpkg/status', data: status },
  ]);
}

export function npmLayer(name: string, version: string): Buffer {
  return tarArchive([
    { name: `app/node_modules/${name}/package.json`, data: JSON.stringify({ name, version }) },
  ]);
}

/** A `docker save`-style archive of `layers`; returns its path. */
export function dockerArchive(dir: string, file: string, layers: Buffer[]): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    filesToTar(dockerArchiveFiles({ layers: layers.map((tar) => ({ tar })) }, { legacy: true })),
  );
  return path;
}

/** An OCI layout holding one index with an image per platform; returns the directory. */
export function multiPlatformLayout(dir: string, images: TestImage[]): string {
  return writeFiles(dir, ociLayoutFiles(images, { nested: true }));
}
