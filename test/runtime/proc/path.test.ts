import { posix } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolvePath } from '../../../src/runtime/proc/path.js';

describe('resolvePath', () => {
  it('makes paths absolute from the working directory and normalises them as fd.name shows them', () => {
    expect(resolvePath('x', '/home/u')).toBe('/home/u/x');
    expect(resolvePath('../etc/./shadow', '/home/u')).toBe('/home/etc/shadow');
    expect(resolvePath('/a//b/../c/', undefined)).toBe('/a/c/');
    expect(resolvePath('/../../x', undefined)).toBe('/x');
    expect(resolvePath('/', undefined)).toBe('/');
    expect(resolvePath('/etc/passwd', '/tmp')).toBe('/etc/passwd');
    expect(resolvePath('rel', undefined)).toBe('rel');
    expect(resolvePath('rel', 'not-absolute')).toBe('rel');
  });

  it("agrees with Node's posix normalisation for absolute results (property)", () => {
    const seg = fc.constantFrom('a', 'bb', '.', '..', '', 'c.d', '...');
    fc.assert(
      fc.property(
        fc.array(seg, { maxLength: 8 }),
        fc.boolean(),
        fc.array(fc.constantFrom('u', 'v', 'w'), { maxLength: 3 }),
        (parts, absolute, cwdParts) => {
          const p = `${absolute ? '/' : ''}${parts.join('/')}`;
          if (p === '') return;
          const cwd = `/${cwdParts.join('/')}`;
          const got = resolvePath(p, cwd);
          const want = posix.normalize(posix.resolve(cwd, p));
          // A trailing slash is kept where the path had one (and was not only dots).
          expect(got.replace(/(.)\/$/, '$1')).toBe(want);
        },
      ),
    );
  });
});
