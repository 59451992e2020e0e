import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/image/format-error.js';
import { MEDIA } from '../../../src/image/oci-json.js';
import { parsePlatform } from '../../../src/image/platform.js';
import { choosePlatform, parseManifestDocument } from '../../../src/image/registry/manifest.js';

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const manifest = {
  schemaVersion: 2,
  mediaType: MEDIA.dockerManifest,
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: digest(1), size: 10 },
  layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: digest(2), size: 20 }],
};
const entry = (n: number, architecture: string, variant?: string, extra: object = {}) => ({
  mediaType: MEDIA.ociManifest,
  digest: digest(n),
  size: 100,
  platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) },
  ...extra,
});
const index = (manifests: object[]) => ({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests });
const bytes = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('registry manifests', () => {
  it('tells image manifests from indexes by mediaType, Content-Type or shape', () => {
    expect(parseManifestDocument(bytes(manifest), undefined, 'm').kind).toBe('image');
    const { mediaType: _, ...bare } = manifest;
    expect(parseManifestDocument(bytes(bare), MEDIA.ociManifest, 'm').kind).toBe('image');
    expect(parseManifestDocument(bytes(bare), undefined, 'm').kind).toBe('image');
    const list = { schemaVersion: 2, manifests: [entry(3, 'amd64')] };
    expect(parseManifestDocument(bytes(list), MEDIA.dockerList, 'm').kind).toBe('index');
    expect(parseManifestDocument(bytes(list), 'application/json', 'm').kind).toBe('index');
  });

  it('refuses schema 1, other artifacts and broken documents with one clear line', () => {
    const cases: [unknown, string | undefined, RegExp][] = [
      [
        { schemaVersion: 1, name: 'x', tag: 'y', fsLayers: [] },
        'application/vnd.docker.distribution.manifest.v1+prettyjws',
        /^m is a Docker schema 1 manifest, which is not supported \(deprecated since 2017/,
      ],
      [{ schemaVersion: 2 }, 'application/vnd.docker.distribution.manifest.v1+json', /schema 1/],
      [
        { schemaVersion: 2, mediaType: 'application/vnd.cncf.helm.chart.v1' },
        undefined,
        /^m has media type application\/vnd\.cncf\.helm\.chart\.v1, which is neither/,
      ],
      [
        {
          ...manifest,
          config: { ...manifest.config, mediaType: 'application/vnd.cncf.helm.config.v1+json' },
        },
        undefined,
        /is not a container image/,
      ],
      [[], undefined, /^m is not a JSON object$/],
      [
        { ...manifest, layers: [{ digest: 'sha256:zz', size: 1, mediaType: 'x' }] },
        undefined,
        /layers\[0\]: digest is not/,
      ],
    ];
    for (const [doc, type, message] of cases)
      expect(() => parseManifestDocument(bytes(doc), type, 'm')).toThrow(message);
    expect(() => parseManifestDocument(Buffer.from('{"schemaVersion":'), undefined, 'm')).toThrow(
      /^m is not valid JSON/,
    );
  });

  it('picks the platform asked for, this machine’s by default, and never an attestation', () => {
    const idx = parseManifestDocument(
      bytes(
        index([
          entry(1, 'amd64'),
          entry(2, 'arm', 'v6'),
          entry(3, 'arm', 'v7'),
          entry(4, 'arm64', 'v8'),
          entry(5, 'unknown', undefined, { platform: { os: 'unknown', architecture: 'unknown' } }),
        ]),
      ),
      undefined,
      'i',
    );
    if (idx.kind !== 'index') throw new Error('expected an index');
    expect(choosePlatform(idx.index, parsePlatform('linux/arm64'), 'i').digest).toBe(digest(4));
    expect(choosePlatform(idx.index, parsePlatform('linux/arm'), 'i').digest).toBe(digest(3));
    expect(choosePlatform(idx.index, parsePlatform('linux/arm/v6'), 'i').digest).toBe(digest(2));
    if (process.arch === 'x64') expect(choosePlatform(idx.index, undefined, 'i').digest).toBe(digest(1));
    expect(() => choosePlatform(idx.index, parsePlatform('windows/amd64'), 'i')).toThrow(
      'i has no image for platform windows/amd64 (available: linux/amd64, linux/arm/v6, linux/arm/v7, linux/arm64/v8); choose one with --platform',
    );
    const single = { manifests: [entry(7, 's390x')] };
    expect(choosePlatform(single, undefined, 'i').digest).toBe(digest(7));
    expect(() =>
      choosePlatform(
        {
          manifests: [
            entry(5, 'unknown', undefined, { platform: { os: 'unknown', architecture: 'unknown' } }),
          ],
        },
        undefined,
        'i',
      ),
    ).toThrow('i is an index that lists no image manifests');
  });

  it('never throws anything but a FormatError, whatever the registry sends (fuzz)', () => {
    const descriptor = fc.record(
      {
        mediaType: fc.oneof(
          fc.constantFrom(...Object.values(MEDIA), 'application/vnd.oci.image.config.v1+json'),
          fc.string(),
        ),
        digest: fc.oneof(fc.constant(digest(9)), fc.string()),
        size: fc.oneof(fc.nat(), fc.double(), fc.constant(-1)),
        platform: fc.record(
          { os: fc.oneof(fc.constant('linux'), fc.string()), architecture: fc.string() },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    );
    const document = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          schemaVersion: fc.oneof(fc.constant(2), fc.constant(1), fc.jsonValue()),
          mediaType: fc.oneof(fc.constantFrom(...Object.values(MEDIA)), fc.string()),
          config: descriptor,
          layers: fc.array(descriptor, { maxLength: 3 }),
          manifests: fc.array(descriptor, { maxLength: 3 }),
        },
        { requiredKeys: [] },
      ),
    );
    const contentType = fc.option(fc.constantFrom(...Object.values(MEDIA), 'text/html'), { nil: undefined });
    fc.assert(
      fc.property(
        fc.oneof(document.map(bytes), fc.uint8Array().map(Buffer.from)),
        contentType,
        (body, type) => {
          try {
            const doc = parseManifestDocument(body, type, 'm');
            if (doc.kind === 'index') {
              try {
                choosePlatform(doc.index, parsePlatform('linux/amd64'), 'm');
              } catch (err) {
                expect(err).toBeInstanceOf(FormatError);
              }
            }
          } catch (err) {
            expect(err).toBeInstanceOf(FormatError);
            expect((err as Error).message).toMatch(/^m[ :]/);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
