import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decompress } from '../../src/image/decompress.js';
import { isDataError } from '../../src/image/format-error.js';
import { resolveSource, type ScanTarget } from '../../src/image/resolve.js';
import type { ImageSource } from '../../src/image/source.js';
import { streamSource, TarReader } from '../../src/image/tar/reader.js';
import { UserError } from '../../src/util/errors.js';
import {
  dockerArchiveFiles,
  filesToTar,
  ociLayoutFiles,
  type TestImage,
  writeFiles,
} from './helpers/archives.js';
import { sha256, tarArchive } from './helpers/tar-writer.js';

const root = mkdtempSync(join(tmpdir(), 'rf-sources-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => mkdtempSync(join(root, `t${n++}-`));

function file(name: string, data: Buffer): string {
  const p = join(fresh(), name);
  writeFileSync(p, data);
  return p;
}

const layerA = tarArchive([{ name: 'etc/os-release', data: 'ID=debian\n' }]);
const layerB = tarArchive([{ name: 'app/a.txt', data: 'hello' }]);
const image: TestImage = {
  layers: [
    { tar: layerA, createdBy: 'ADD rootfs' },
    { tar: layerB, createdBy: 'COPY a.txt', compression: 'zstd' },
  ],
  emptyHistoryBefore: [1],
};

async function image_(
  arg: string | undefined,
  opts: { platform?: string; input?: string; mode?: 'image' } = {},
): Promise<ImageSource> {
  const t = await resolveSource(arg, { ...opts, workDir: fresh() });
  if (t.kind !== 'image') throw new Error(`expected an image, got ${t.kind}`);
  return t.image;
}

async function names(img: ImageSource, i: number): Promise<string[]> {
  const tar = new TarReader(streamSource(decompress(await img.layers[i]!.open(), { maxBytes: 1 << 30 })));
  const out: string[] = [];
  for (let e = await tar.next(); e; e = await tar.next()) out.push(e.name);
  return out;
}

async function drainLayer(img: ImageSource, i: number): Promise<void> {
  for await (const _ of await img.layers[i]!.open());
}

describe('docker-archive', () => {
  for (const legacy of [true, false]) {
    it(`reads ${legacy ? 'a legacy' : 'a Docker 25+ (OCI-style)'} docker save tar`, async () => {
      const img = await image_(
        file('app.tar', filesToTar(dockerArchiveFiles(image, { legacy, repoTags: ['test/app:1'] }))),
      );
      expect(img.info).toMatchObject({
        type: 'docker-archive',
        repoTags: ['test/app:1'],
        architecture: 'amd64',
        os: 'linux',
      });
      expect(img.layers.map((l) => l.diffId)).toEqual([sha256(layerA), sha256(layerB)]);
      expect(img.layers[0]!.digest).toBe(legacy ? undefined : sha256(layerA));
      expect(await names(img, 1)).toEqual(['app/a.txt']);
      expect(img.config.history?.filter((h) => !h.empty_layer).map((h) => h.created_by)).toEqual([
        'ADD rootfs',
        'COPY a.txt',
      ]);
    });
  }

  it('follows the symlink docker save writes for a repeated layer, and reads an unpacked directory', async () => {
    const files = dockerArchiveFiles({ layers: [{ tar: layerA }, { tar: layerA }] }, { legacy: true });
    const [first, second] = [...files.keys()].filter((k) => k.endsWith('layer.tar'));
    files.delete(second!);
    const dir = writeFiles(fresh(), files);
    symlinkSync(`../${first}`, join(dir, second!));
    const img = await image_(dir);
    expect(await names(img, 1)).toEqual(['etc/os-release']);
  });

  it('reads a gzip-compressed archive (docker save | gzip)', async () => {
    const img = await image_(
      file('app.tar.gz', gzipSync(filesToTar(dockerArchiveFiles(image, { legacy: true })))),
    );
    expect(await names(img, 0)).toEqual(['etc/os-release']);
  });

  it('fails a layer blob whose content does not match its digest', async () => {
    const files = dockerArchiveFiles(image, { legacy: false });
    const blob = `blobs/sha256/${sha256(layerB).slice(7)}`;
    const bad = Buffer.from(files.get(blob)!);
    bad[600] = bad[600]! ^ 1;
    files.set(blob, bad);
    const img = await image_(file('app.tar', filesToTar(files)));
    await expect(drainLayer(img, 1)).rejects.toThrow(/does not match its digest/);
  });

  it('explains archives it cannot use in one line', async () => {
    const two = dockerArchiveFiles(image, { legacy: true });
    const entry = JSON.parse(two.get('manifest.json')!.toString())[0];
    two.set('manifest.json', Buffer.from(JSON.stringify([entry, { ...entry, RepoTags: ['other:2'] }])));
    await expect(image_(file('two.tar', filesToTar(two)))).rejects.toThrow(
      /holds 2 images \(test\/app:1, other:2\)/,
    );
    const missing = dockerArchiveFiles(image, { legacy: true });
    missing.delete([...missing.keys()].find((k) => k.endsWith('layer.tar'))!);
    await expect(image_(file('m.tar', filesToTar(missing)))).rejects.toThrow(/layer .*layer.tar is missing/);
    await expect(
      image_(file('junk.tar', Buffer.from('definitely not a tar archive'.repeat(40)))),
    ).rejects.toThrow(/junk.tar: not a tar header/);
    await expect(image_(file('plain.tar', tarArchive([{ name: 'x', data: 'y' }])))).rejects.toThrow(
      /has neither manifest.json \(docker save\) nor index.json/,
    );
  });
});

describe('OCI image layout', () => {
  const amd = { ...image, platform: { os: 'linux', architecture: 'amd64' } };
  const arm: TestImage = {
    layers: [{ tar: layerB }],
    platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
  };

  it('reads a layout directory and the same layout as a tar', async () => {
    const files = ociLayoutFiles([{ ...amd, refName: 'v1' }]);
    for (const arg of [writeFiles(fresh(), files), file('oci.tar', filesToTar(files))]) {
      const img = await image_(arg);
      expect(img.info).toMatchObject({ type: 'oci', repoTags: ['v1'], architecture: 'amd64' });
      expect(img.layers.map((l) => l.mediaType)).toEqual([
        'application/vnd.oci.image.layer.v1.tar+gzip',
        'application/vnd.oci.image.layer.v1.tar+zstd',
      ]);
      expect(await names(img, 1)).toEqual(['app/a.txt']);
    }
  });

  it('chooses by platform in a multi-platform (and nested) index', async () => {
    for (const nested of [false, true]) {
      const dir = writeFiles(fresh(), ociLayoutFiles([amd, arm], { nested }));
      expect((await image_(dir)).info.architecture).toBe('amd64');
      expect((await image_(dir, { platform: 'linux/arm64' })).info.architecture).toBe('arm64');
      await expect(image_(dir, { platform: 'linux/s390x' })).rejects.toThrow(
        /has no image for platform linux\/s390x \(available: linux\/amd64, linux\/arm64\/v8\); choose one with --platform/,
      );
    }
    await expect(image_('x', { platform: 'linux' })).rejects.toThrow(/--platform linux: expected os\/arch/);
  });

  it('picks a ref name with PATH:REF', async () => {
    const dir = writeFiles(
      fresh(),
      ociLayoutFiles([
        { ...amd, refName: 'one' },
        { layers: [{ tar: layerB }], refName: 'two' },
      ]),
    );
    await expect(image_(dir)).rejects.toThrow(
      /holds several linux\/amd64 images \(one, two\); name one as PATH:REF/,
    );
    expect((await image_(`${dir}:two`)).layers).toHaveLength(1);
    await expect(image_(`${dir}:three`)).rejects.toThrow(
      /has no image named "three" \(ref names: one, two\)/,
    );
    expect((await image_(`oci:${dir}:one`)).layers).toHaveLength(2);
    const plain = fresh();
    await expect(image_(`${plain}:one`)).rejects.toThrow(/no such file or directory/);
  });

  it('verifies every blob it reads', async () => {
    const files = ociLayoutFiles([amd]);
    const index = JSON.parse(files.get('index.json')!.toString());
    const manifestBlob = `blobs/sha256/${index.manifests[0].digest.slice(7)}`;
    const tampered = new Map(files);
    tampered.set(
      manifestBlob,
      Buffer.from(files.get(manifestBlob)!.toString().replace('"schemaVersion":2', '"schemaVersion": 2')),
    );
    await expect(image_(writeFiles(fresh(), tampered))).rejects.toThrow(
      /manifest blob sha256:[0-9a-f]+ is \d+ bytes, its descriptor says/,
    );
    const missing = new Map(files);
    missing.delete(manifestBlob);
    await expect(image_(writeFiles(fresh(), missing))).rejects.toThrow(
      /manifest blob sha256:[0-9a-f]+ is missing/,
    );
  });

  it('throws only one-line user errors for mutated layouts', async () => {
    const tar = filesToTar(ociLayoutFiles([amd]));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(tar.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        async (muts) => {
          const b = Buffer.from(tar);
          for (const [i, v] of muts) b[i] = v;
          try {
            const img = await image_(file('m.tar', b));
            for (let i = 0; i < img.layers.length; i++)
              await drainLayer(img, i).catch((e) => expect(isDataError(e)).toBe(true));
          } catch (err) {
            expect(err).toBeInstanceOf(UserError);
            expect((err as Error).message).not.toContain('\n');
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('resolveSource', () => {
  const resolve = (
    arg: string | undefined,
    opts: { mode?: 'image' | 'rootfs' | 'fs'; input?: string } = {},
  ): Promise<ScanTarget> => resolveSource(arg, { ...opts, workDir: fresh() });

  it('recognises directories, files and prefixes', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'package.json'), '{}');
    expect(await resolve(dir)).toMatchObject({ kind: 'directory', mode: 'fs' });
    expect(await resolve(`rootfs:${dir}`)).toMatchObject({ kind: 'directory', mode: 'rootfs' });
    expect(await resolve(dir, { mode: 'rootfs' })).toMatchObject({ kind: 'directory', mode: 'rootfs' });
    expect(await resolve(join(dir, 'package.json'), { mode: 'fs' })).toMatchObject({
      kind: 'directory',
      root: dir,
      only: 'package.json',
    });
    const archive = file('a.tar', filesToTar(dockerArchiveFiles(image, { legacy: true })));
    expect(await resolve(undefined, { input: archive })).toMatchObject({ kind: 'image' });
    expect(await resolve(`docker-archive:${archive}`)).toMatchObject({ kind: 'image' });
  });

  it('says what is wrong in one line', async () => {
    const dir = fresh();
    await expect(resolve(join(dir, 'nope.tar'))).rejects.toThrow(/nope.tar: no such file or directory/);
    await expect(resolve(dir, { mode: 'image' })).rejects.toThrow(
      /not an image: a directory needs index.json/,
    );
    await expect(resolve('x', { input: 'y' })).rejects.toThrow(/either a SOURCE argument or --input/);
    await expect(resolve(undefined)).rejects.toThrow(/missing SOURCE/);
    await expect(resolve(file('f', Buffer.from('x')), { mode: 'rootfs' })).rejects.toThrow(/not a directory/);
  });
});
