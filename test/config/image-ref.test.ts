import { describe, expect, it } from 'vitest';
import { isScratch, parseImageRef } from '../../src/config/image-ref.js';

describe('image references', () => {
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
  ])('%s', (ref, expected) => {
    expect(parseImageRef(ref)).toEqual(expected);
  });

  it('refuses empty and spaced references and knows scratch', () => {
    expect(parseImageRef('')).toBeUndefined();
    expect(parseImageRef('a b')).toBeUndefined();
    expect(isScratch(parseImageRef('scratch')!)).toBe(true);
    expect(isScratch(parseImageRef('scratch:1')!)).toBe(false);
  });
});
