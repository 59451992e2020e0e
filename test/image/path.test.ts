import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEntryPath, parentPath, resolveLinkTarget } from '../../src/image/path.js';

describe('normalizeEntryPath', () => {
  it('strips ./, leading slashes, empty and . segments', () => {
    expect(normalizeEntryPath('./etc/os-release')).toBe('etc/os-release');
    expect(normalizeEntryPath('/etc//./passwd')).toBe('etc/passwd');
    expect(normalizeEntryPath('usr/lib/')).toBe('usr/lib');
    expect(normalizeEntryPath('./')).toBe('');
    expect(normalizeEntryPath('a/b/../c')).toBe('a/c');
  });

  it('refuses names that climb above the root or hold a NUL', () => {
    for (const bad of ['..', '../etc/passwd', 'a/../../b', '/../x', './..', 'a\0b'])
      expect(normalizeEntryPath(bad)).toBeUndefined();
  });

  it('always yields a clean relative path or nothing, and is idempotent', () => {
    const seg = fc.constantFrom('', '.', '..', 'a', 'b', '.wh.x', '…', 'c d');
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 10 }), fc.boolean(), (segs, abs) => {
        const name = (abs ? '/' : '') + segs.join('/');
        const n = normalizeEntryPath(name);
        if (n === undefined) return;
        expect(n.startsWith('/')).toBe(false);
        if (n !== '') expect(n.split('/').every((s) => s !== '' && s !== '.' && s !== '..')).toBe(true);
        expect(normalizeEntryPath(n)).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('link targets', () => {
  it('resolves relative targets from the link directory, absolute ones from the root, never above it', () => {
    expect(resolveLinkTarget('etc/os-release', '../usr/lib/os-release')).toBe('usr/lib/os-release');
    expect(resolveLinkTarget('bin/sh', '/bin/dash')).toBe('bin/dash');
    expect(resolveLinkTarget('a/b', '../../../etc/shadow')).toBeUndefined();
    expect(parentPath('a')).toBe('');
  });
});
