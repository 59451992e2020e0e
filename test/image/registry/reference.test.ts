import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DockerApiError, DockerClient } from '../../../src/docker/client.js';
import {
  apiHost,
  formatReference,
  isImageReference,
  manifestReference,
  parseReference,
  splitReference,
} from '../../../src/image/registry/reference.js';
import { resolveSource } from '../../../src/image/resolve.js';
import { UserError } from '../../../src/util/errors.js';
import { needs } from '../../helpers/components.js';

/**
 * Docker's reference grammar and normalisation. The oracle for validity is the Docker daemon's
 * own parser (the Engine API answers 400 "invalid reference format" or 404 "No such image").
 */

const DIGEST = `sha256:${'a1'.repeat(32)}`;

describe('image references', () => {
  it('normalises as docker pull does', () => {
    const cases: [string, object][] = [
      ['alpine', { registry: 'docker.io', repository: 'library/alpine', tag: 'latest' }],
      ['alpine:3.20', { registry: 'docker.io', repository: 'library/alpine', tag: '3.20' }],
      ['bitnami/redis:7', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7' }],
      ['docker.io/alpine', { registry: 'docker.io', repository: 'library/alpine', tag: 'latest' }],
      [
        'index.docker.io/library/alpine',
        { registry: 'docker.io', repository: 'library/alpine', tag: 'latest' },
      ],
      ['localhost/app', { registry: 'localhost', repository: 'app', tag: 'latest' }],
      ['localhost:5000/a/b/c:1.0-rc_1', { registry: 'localhost:5000', repository: 'a/b/c', tag: '1.0-rc_1' }],
      ['ghcr.io/o/app@' + DIGEST, { registry: 'ghcr.io', repository: 'o/app', digest: DIGEST }],
      ['app:1@' + DIGEST, { registry: 'docker.io', repository: 'library/app', tag: '1', digest: DIGEST }],
      ['[::1]:5000/app', { registry: '[::1]:5000', repository: 'app', tag: 'latest' }],
      ['Registry.Example.COM/app', { registry: 'Registry.Example.COM', repository: 'app', tag: 'latest' }],
      ['a__b/c-d--e.f_g', { registry: 'docker.io', repository: 'a__b/c-d--e.f_g', tag: 'latest' }],
      ['localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }],
    ];
    for (const [text, expected] of cases) expect(parseReference(text), text).toEqual(expected);
    expect(formatReference(parseReference('alpine'))).toBe('docker.io/library/alpine:latest');
    expect(manifestReference(parseReference('app:1@' + DIGEST))).toBe(DIGEST);
    expect(apiHost('docker.io')).toBe('registry-1.docker.io');
    expect(apiHost('localhost:5000')).toBe('localhost:5000');
  });

  it('names the reference and the problem in one line', () => {
    const cases: [string, string][] = [
      ['', '"": not a valid image reference: it is empty'],
      ['Alpine', 'Alpine: not a valid image reference: the repository name must be lower-case'],
      ['alpine:', 'alpine:: not a valid image reference: "" is not a valid tag'],
      ['a:-x', 'a:-x: not a valid image reference: "-x" is not a valid tag'],
      ['a//b', 'a//b: not a valid image reference: "" is not a valid name component'],
      ['a_-b', 'a_-b: not a valid image reference: "a_-b" is not a valid name component'],
      [
        'a@sha256:abc',
        'a@sha256:abc: not a valid image reference: "sha256:abc" is not a digest (algorithm:hex)',
      ],
      [
        `a@md5:${'0'.repeat(32)}`,
        `a@md5:${'0'.repeat(32)}: not a valid image reference: only sha256 and sha512 digests (lower-case hex, full length) are supported`,
      ],
      ['host:99999/a', 'host:99999/a: not a valid image reference: port 99999 is out of range'],
      ['-bad.host/a', '-bad.host/a: not a valid image reference: "-bad.host" is not a valid registry host'],
      [
        'a'.repeat(64).replace(/a/g, 'f'),
        `${'f'.repeat(64)}: not a valid image reference: a 64-character hex string is an image ID, not a name`,
      ],
      ['a b', '"a b": not a valid image reference: "a b" is not a valid name component'],
    ];
    for (const [text, message] of cases) {
      expect(() => parseReference(text), text).toThrow(UserError);
      expect(() => parseReference(text), text).toThrow(message);
    }
    expect(() => parseReference(`x/${'a'.repeat(300)}`)).toThrow(/longer than 255 characters/);
  });

  it('a SOURCE that is neither a file nor a reference says both', async () => {
    const resolve = (arg: string) => resolveSource(arg, { workDir: '/nonexistent', pull: { sources: [] } });
    await expect(resolve('MyApp:1')).rejects.toThrow(
      'MyApp:1: no such file or directory, nor a valid image reference (the repository name must be lower-case)',
    );
    await expect(resolve('./MyApp:1')).rejects.toThrow(/^\.\/MyApp:1: no such file or directory$/);
    for (const archive of ['app.tar', 'app.tar.gz', 'app.tar.zst', 'app.tgz'])
      await expect(resolve(archive)).rejects.toThrow(
        new RegExp(`^${archive.replace(/\./g, '\\.')}: no such file or directory$`),
      );
  });

  it('never throws anything but a one-line UserError naming the input (fuzz)', () => {
    const alphabet = fc.constantFrom(...'abcAZ09._-/:@[]+ \n\u00e9'.split(''), 'sha256:', 'localhost');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')),
        ),
        (text) => {
          try {
            const ref = parseReference(text);
            expect(isImageReference(formatReference(ref))).toBe(true);
            expect(parseReference(formatReference(ref))).toEqual(ref);
          } catch (err) {
            expect(err).toBeInstanceOf(UserError);
            const message = (err as Error).message;
            expect(message.split('\n')).toHaveLength(1);
            expect(message).toContain('not a valid image reference');
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('parses every reference built from the grammar, and prints it back the same', () => {
    const component = fc
      .tuple(
        fc.stringMatching(/^[a-z0-9]{1,6}$/),
        fc.array(fc.tuple(fc.constantFrom('.', '_', '__', '-', '--'), fc.stringMatching(/^[a-z0-9]{1,4}$/)), {
          maxLength: 2,
        }),
      )
      .map(([head, rest]) => head + rest.map(([s, c]) => s + c).join(''));
    const host = fc.oneof(
      fc.constant('localhost'),
      fc
        .tuple(fc.stringMatching(/^[a-z0-9]{1,6}$/), fc.stringMatching(/^[a-z]{2,4}$/))
        .map(([a, b]) => `${a}.${b}`),
    );
    const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
    const tag = fc.stringMatching(/^\w[\w.-]{0,20}$/);
    fc.assert(
      fc.property(
        host,
        port,
        fc.array(component, { minLength: 1, maxLength: 3 }),
        fc.option(tag, { nil: undefined }),
        (h, p, path, t) => {
          const registry = p === undefined ? h : `${h}:${p}`;
          const text = `${registry}/${path.join('/')}${t === undefined ? '' : `:${t}`}`;
          const ref = parseReference(text);
          expect(ref).toEqual({ registry, repository: path.join('/'), tag: t ?? 'latest' });
          expect(formatReference(ref)).toBe(`${registry}/${path.join('/')}:${t ?? 'latest'}`);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('image references as written (configuration checks)', () => {
  it.each([
    ['nginx', { repository: 'nginx' }],
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
    ['library/nginx:latest', { repository: 'library/nginx', tag: 'latest' }],
    ['localhost:5000/app', { registry: 'localhost:5000', repository: 'app' }],
    [
      'ghcr.io/acme/api:2.3@sha256:abc',
      { registry: 'ghcr.io', repository: 'acme/api', tag: '2.3', digest: 'sha256:abc' },
    ],
    [
      'registry.example.com:5000/team/app@sha256:abc',
      { registry: 'registry.example.com:5000', repository: 'team/app', digest: 'sha256:abc' },
    ],
  ])('splits %s without checking or normalising it', (ref, expected) => {
    expect(splitReference(ref)).toEqual(expected);
  });

  it('refuses empty and spaced references and ones without a name', () => {
    expect(splitReference('')).toBeUndefined();
    expect(splitReference('a b')).toBeUndefined();
    expect(splitReference('ghcr.io/')).toBeUndefined();
  });
});

describe.skipIf(needs('docker'))('image references, against the Docker daemon’s parser', () => {
  it('accepts exactly what the daemon accepts', async () => {
    const docker = new DockerClient();
    const samples = fc.sample(
      fc
        .array(
          fc.constantFrom(
            ...'ab09._-/:@AZ'.split(''),
            'sha256:',
            'a'.repeat(64),
            'localhost:5000/',
            '__',
            '--',
          ),
          {
            minLength: 1,
            maxLength: 12,
          },
        )
        .map((a) => a.join('')),
      { numRuns: 800, seed: 20260101 },
    );
    const fixed = [
      'alpine',
      'Alpine',
      'a//b',
      'a:',
      'a_-b',
      'host:5000/a:1',
      `a@${DIGEST}`,
      `a:1@${DIGEST}`,
      'UPPER/app',
      'a--b',
    ];
    const disagreements: string[] = [];
    let checked = 0;
    for (const text of [...fixed, ...samples]) {
      // Paths the Engine API's router cannot take, and image-ID forms the daemon also accepts.
      if (
        /^\/|\/$|\/\/|^[.:@]|[.:@]$|(^|\/)\.\.?(\/|$)/.test(text) ||
        /^[a-f0-9]{64}$/.test(text) ||
        /^sha256:/.test(text)
      )
        continue;
      // An upper-case first component names a registry since distribution/reference 0.5 (Docker 24);
      // older daemons call it an invalid repository name. We follow the current rule.
      if (/^[^/]*[A-Z][^/]*\//.test(text) && !/^[^/]*[.:]/.test(text)) continue;
      let daemon: boolean;
      try {
        await docker.json(`/images/${text}/json`);
        daemon = true;
      } catch (err) {
        if (!(err instanceof DockerApiError)) throw err;
        if (err.status !== 400 && err.status !== 404) throw err;
        daemon = err.status === 404 || !/invalid reference format/i.test(err.message);
      }
      checked++;
      if (daemon !== isImageReference(text)) disagreements.push(`${text}: daemon ${daemon}`);
    }
    expect(checked).toBeGreaterThan(300);
    expect(disagreements).toEqual([]);
  }, 120_000);
});
