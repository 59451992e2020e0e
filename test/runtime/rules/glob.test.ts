import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../../src/runtime/rules/glob.js';

/** fnmatch(3) without flags, written the slow and obvious way. */
function fnmatch(p: string, s: string): boolean {
  if (p.length === 0) return s.length === 0;
  const c = p[0]!;
  if (c === '*') {
    for (let i = 0; i <= s.length; i++) if (fnmatch(p.slice(1), s.slice(i))) return true;
    return false;
  }
  if (s.length === 0) return false;
  if (c === '?') return fnmatch(p.slice(1), s.slice(1));
  if (c === '\\' && p.length > 1) return p[1] === s[0] && fnmatch(p.slice(2), s.slice(1));
  if (c === '[') {
    let i = 1;
    const negate = p[i] === '!' || p[i] === '^';
    if (negate) i++;
    const start = i;
    if (p[i] === ']') i++;
    while (i < p.length && p[i] !== ']') i++;
    if (i >= p.length) return s[0] === '[' && fnmatch(p.slice(1), s.slice(1));
    const body = p.slice(start, i);
    let hit = false;
    for (let k = 0; k < body.length; k++) {
      if (body[k + 1] === '-' && k + 2 < body.length) {
        if (s[0]! >= body[k]! && s[0]! <= body[k + 2]!) hit = true;
        k += 2;
      } else if (body[k] === s[0]) hit = true;
    }
    return hit !== negate && fnmatch(p.slice(i + 1), s.slice(1));
  }
  return c === s[0] && fnmatch(p.slice(1), s.slice(1));
}

const alphabet = fc.constantFrom('a', 'b', '/', '.', '*', '?', '[', ']', '!', '-', '\\', '^');

describe('glob', () => {
  it('agrees with fnmatch', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet, maxLength: 8 }),
        fc.string({ unit: fc.constantFrom('a', 'b', '/', '.', '-', '[', ']'), maxLength: 8 }),
        (pattern, s) => {
          expect(globToRegExp(pattern).test(s)).toBe(fnmatch(pattern, s));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('as a path prefix, keeps wildcards inside one component', () => {
    const re = globToRegExp('/var/*/log', { pathPrefix: true });
    expect(re.test('/var/app/log')).toBe(true);
    expect(re.test('/var/app/log/x')).toBe(true);
    expect(re.test('/var/app/sub/log')).toBe(false);
    expect(re.test('/var/app/logs')).toBe(false);
  });
});
