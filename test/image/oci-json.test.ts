import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/image/format-error.js';
import {
  parseConfig,
  parseDockerArchiveManifest,
  parseIndex,
  parseJson,
  parseManifest,
} from '../../src/image/oci-json.js';

const D = `sha256:${'a'.repeat(64)}`;
const manifest = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: D, size: 10 },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: D, size: 5 }],
};

describe('image JSON parsers', () => {
  it('reads an index, a manifest, a config and a docker-save manifest', () => {
    const index = parseIndex(
      {
        schemaVersion: 2,
        manifests: [
          {
            ...manifest.layers[0],
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
            annotations: { a: 'b', n: 1 },
          },
        ],
      },
      'index.json',
    );
    expect(index.manifests[0]).toMatchObject({
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      annotations: { a: 'b' },
    });
    expect(parseManifest(manifest, 'm').layers).toHaveLength(1);
    const config = parseConfig(
      {
        architecture: 'amd64',
        os: 'linux',
        config: {
          User: 'app',
          Env: ['A=1'],
          Cmd: null,
          Labels: { x: 'y' },
          ExposedPorts: { '80/tcp': {} },
          WorkingDir: 7,
        },
        rootfs: { type: 'layers', diff_ids: [D] },
        history: [{ created_by: 'RUN x' }, { created_by: 'ENV y', empty_layer: true }],
      },
      'c',
    );
    expect(config.config).toEqual({
      User: 'app',
      Env: ['A=1'],
      Cmd: null,
      Labels: { x: 'y' },
      ExposedPorts: { '80/tcp': {} },
    });
    expect(config.history?.map((h) => h.empty_layer)).toEqual([false, true]);
    expect(
      parseDockerArchiveManifest(
        [{ Config: 'c.json', RepoTags: null, Layers: ['a/layer.tar'] }],
        'manifest.json',
      ),
    ).toEqual([{ config: 'c.json', repoTags: [], layers: ['a/layer.tar'] }]);
  });

  it('names the document and field that is wrong', () => {
    expect(() =>
      parseManifest(
        { ...manifest, layers: [{ ...manifest.layers[0], digest: 'sha256:../../etc/passwd' }] },
        'manifest X',
      ),
    ).toThrow('manifest X: layers[0]: digest is not a sha256 or sha512 digest');
    expect(() => parseManifest({ ...manifest, schemaVersion: 1 }, 'm')).toThrow(/schema 1/);
    expect(() =>
      parseManifest(
        {
          ...manifest,
          config: { ...manifest.config, mediaType: 'application/vnd.cncf.helm.config.v1+json' },
        },
        'm',
      ),
    ).toThrow(/not a container image/);
    expect(() => parseConfig({ rootfs: { diff_ids: ['nope'] } }, 'config')).toThrow(
      'config: rootfs.diff_ids[0] is not a digest',
    );
    expect(() => parseJson(Buffer.from('{"a":'), 'index.json')).toThrow(/index.json is not valid JSON/);
    expect(() =>
      parseIndex({ schemaVersion: 2, manifests: [{ mediaType: 'x', digest: D, size: -1 }] }, 'index.json'),
    ).toThrow(/size is not a non-negative integer/);
  });

  it('throws only FormatError on arbitrary JSON values and mutated documents', () => {
    const parsers = [parseIndex, parseManifest, parseConfig, parseDockerArchiveManifest];
    const mutated = fc
      .tuple(
        fc.constantFrom(
          JSON.stringify(manifest),
          JSON.stringify({ schemaVersion: 2, manifests: manifest.layers }),
        ),
        fc.nat(),
        fc.string({ maxLength: 3 }),
      )
      .map(
        ([text, at, insert]) => text.slice(0, at % text.length) + insert + text.slice((at % text.length) + 1),
      );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          mutated.map((t) => t as unknown),
        ),
        fc.constantFrom(...parsers),
        (value, parse) => {
          try {
            const doc = typeof value === 'string' ? parseJson(value, 'doc') : value;
            parse(doc, 'doc');
          } catch (err) {
            expect(err).toBeInstanceOf(FormatError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
