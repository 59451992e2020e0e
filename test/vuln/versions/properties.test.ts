import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemes, type VersionScheme } from '../../../src/vuln/versions/index.js';

/** Generators of versions each scheme calls valid (filtered through isValid to be sure). */
const VALID: Record<string, RegExp> = {
  dpkg: /^([1-9]:)?[0-9][a-z0-9.+~]{0,6}(-[a-z0-9.+~]{1,4})?$/,
  rpm: /^([1-9]:)?[0-9a-z][a-z0-9._+~^]{0,6}(-[0-9a-z][a-z0-9._+~^]{0,3})?$/,
  apk: /^(0|[1-9][0-9]?)(\.(0|0[0-9]|[1-9][0-9]?)){0,3}[a-c]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]?){0,2}(~[0-9a-f]{1,3})?(-r[0-9]{1,2})?$/,
  semver:
    /^v?(0|[1-9][0-9]?)\.(0|[1-9][0-9]?)\.(0|[1-9][0-9]?)(-(0|[1-9][0-9]?|[a-z-][a-z0-9-]{0,3})(\.(0|[1-9][0-9]?|[a-z-][a-z0-9-]{0,3})){0,2})?(\+[a-z0-9-]{1,3})?$/,
  npm: /^(0|[1-9][0-9]?)\.(0|[1-9][0-9]?)\.(0|[1-9][0-9]?)(-(0|[1-9][0-9]?|[a-z-][a-z0-9-]{0,3})(\.(0|[1-9][0-9]?|[a-z-][a-z0-9-]{0,3})){0,2})?(\+[a-z0-9-]{1,3})?$/,
  go: /^v(0|[1-9][0-9]?)(\.(0|[1-9][0-9]?)(\.(0|[1-9][0-9]?)(-(0|[1-9][0-9]?|[a-z-][a-z0-9-]{0,3})(\.(0|[1-9][0-9]?|[a-z-][a-z0-9-]{0,3})){0,2})?(\+incompatible)?)?)?$/,
  cargo:
    /^(0|[1-9][0-9]?)\.(0|[1-9][0-9]?)\.(0|[1-9][0-9]?)(-(0|[1-9][0-9]?|[a-z-][a-z0-9-]{0,3})(\.(0|[1-9][0-9]?|[a-z-][a-z0-9-]{0,3})){0,2})?(\+[a-z0-9-]{1,3}(\.[0-9]{1,2})?)?$/,
  pep440:
    /^([1-9]!)?[0-9]{1,2}(\.[0-9]{1,2}){0,3}((a|b|rc|alpha|beta|c|pre)[0-9]{0,2})?(\.post[0-9]{0,2}|-[0-9])?(\.dev[0-9]{0,2})?(\+[a-z0-9]{1,3}(\.[a-z0-9]{1,3})?)?$/,
  // Qualifiers only after "-": maven-artifact 3.8.6 is not transitive across "3-rc" < "3" < "3.a" (see maven.test.ts).
  maven:
    /^[0-9]{1,3}(\.[0-9]{1,3}|-([0-9]{1,3}|alpha|beta|milestone|rc|cr|snapshot|ga|final|release|sp|[a-z]{1,3}[0-9]?)){0,4}$/,
  nuget: /^[0-9]{1,3}(\.[0-9]{1,3}){0,3}(-[a-zA-Z0-9]{1,4}(\.[a-zA-Z0-9]{1,3}){0,2})?(\+[a-z0-9]{1,3})?$/,
  rubygems: /^[0-9]{1,3}(\.([0-9]{1,3}|[a-z]{1,3}[0-9]?)){0,4}(-[a-z0-9]{1,3})?$/,
  composer: /^v?[0-9]{1,3}(\.[0-9]{1,3}){0,3}([-.]?(alpha|beta|RC|a|b|p|pl|patch)[0-9]{0,2})?(-dev)?$/,
  pub: /^(0|[1-9][0-9]?)\.(0|[1-9][0-9]?)\.(0|[1-9][0-9]?)(-[a-z0-9]{1,3}(\.[a-z0-9]{1,3}){0,2})?(\+[a-z0-9]{1,3}(\.[a-z0-9]{1,3})?)?$/,
  cran: /^[0-9]{1,3}([.-][0-9]{1,3}){1,3}$/,
  hackage: /^[0-9]{1,3}(\.[0-9]{1,3}){0,4}$/,
};

function validVersions(scheme: VersionScheme): fc.Arbitrary<string> {
  const pattern = VALID[scheme.name];
  if (!pattern) throw new Error(`no generator for ${scheme.name}`);
  return fc.stringMatching(pattern).filter((v) => scheme.isValid(v));
}

/** Any text, including the separators and letters versions are made of. */
const anyString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(...'0123456789.-_+~^:!*#vVrRaAzZ pP'.split('')), maxLength: 14 }),
);

/** The sign, with -0 read as 0. */
function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

const RUNS = { numRuns: 2000 };

describe.each(schemes.map((s) => [s.name, s] as const))('%s properties', (_name, scheme) => {
  it('generates valid versions (sanity of the generator)', () => {
    const sample = fc.sample(fc.stringMatching(VALID[scheme.name]!), 300);
    expect(sample.filter((v) => scheme.isValid(v)).length).toBeGreaterThan(150);
  });

  it('never throws on any string and returns -1, 0 or 1', () => {
    fc.assert(
      fc.property(anyString, anyString, (a, b) => {
        const r = scheme.compare(a, b);
        expect([-1, 0, 1]).toContain(r);
        expect(typeof scheme.isValid(a)).toBe('boolean');
        if (scheme.satisfies) expect(typeof scheme.satisfies(a, b)).toBe('boolean');
        if (scheme.isValidRange) expect(typeof scheme.isValidRange(b)).toBe('boolean');
      }),
      RUNS,
    );
  });

  it('answers on long and deeply nested strings (no stack overflow, no regex backtracking blow-up)', () => {
    const long = [
      '1'.repeat(20000),
      '1.'.repeat(8000) + 'x',
      '1-'.repeat(8000),
      `2019${'01'.repeat(8000)}x`,
      `1${'.1'.repeat(8000)}!`,
      `1.0${'-1'.repeat(8000)}+`,
      `1.0_${'alpha'.repeat(4000)}`,
      `[${'1.0,'.repeat(2000)})`,
      `${'>=1.0 '.repeat(2000)}||`,
    ];
    for (const a of long) {
      for (const b of long.slice(0, 3)) {
        expect([-1, 0, 1]).toContain(scheme.compare(a, b));
        if (scheme.satisfies) expect(typeof scheme.satisfies(b, a)).toBe('boolean');
      }
      expect(typeof scheme.isValid(a)).toBe('boolean');
    }
  });

  it('is reflexive', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, validVersions(scheme)), (a) => {
        expect(scheme.compare(a, a)).toBe(0);
        // A copy, so the a === b shortcut is not what answers.
        expect(scheme.compare(a, `${a} `.slice(0, -1))).toBe(0);
      }),
      RUNS,
    );
  });

  it('is antisymmetric on any strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyString, validVersions(scheme)),
        fc.oneof(anyString, validVersions(scheme)),
        (a, b) => {
          expect(sign(scheme.compare(a, b))).toBe(0 - sign(scheme.compare(b, a)));
        },
      ),
      RUNS,
    );
  });

  it('is transitive on valid versions', () => {
    const v = validVersions(scheme);
    fc.assert(
      fc.property(v, v, v, (a, b, c) => {
        const ab = scheme.compare(a, b);
        const bc = scheme.compare(b, c);
        if (ab <= 0 && bc <= 0) expect(scheme.compare(a, c)).toBeLessThanOrEqual(0);
        if (ab === 0 && bc === 0) expect(scheme.compare(a, c)).toBe(0);
        if (ab < 0 && bc <= 0) expect(scheme.compare(a, c)).toBe(-1);
      }),
      RUNS,
    );
  });

  it('sorts valid versions consistently (a sorted list is pairwise ordered)', () => {
    fc.assert(
      fc.property(fc.array(validVersions(scheme), { minLength: 2, maxLength: 12 }), (list) => {
        const sorted = [...list].sort(scheme.compare);
        for (let i = 0; i < sorted.length; i++)
          for (let j = i + 1; j < sorted.length; j++)
            expect(scheme.compare(sorted[i]!, sorted[j]!)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});

/** Range syntax per scheme for "at least v" and "below v", and which versions to use with them. */
const RANGES: Record<
  string,
  { atLeast: (v: string) => string; below: (v: string) => string; plain: RegExp }
> = {
  npm: { atLeast: (v) => `>=${v}`, below: (v) => `<${v}`, plain: /^\d+\.\d+\.\d+$/ },
  cargo: { atLeast: (v) => `>=${v}`, below: (v) => `<${v}`, plain: /^\d+\.\d+\.\d+$/ },
  pep440: { atLeast: (v) => `>=${v}`, below: (v) => `<${v}`, plain: /^\d+(\.\d+)*$/ },
  apk: { atLeast: (v) => `>=${v}`, below: (v) => `<${v}`, plain: /./ },
  maven: { atLeast: (v) => `[${v},)`, below: (v) => `(,${v})`, plain: /./ },
  nuget: { atLeast: (v) => v, below: (v) => `(,${v})`, plain: /./ },
  rubygems: { atLeast: (v) => `>= ${v}`, below: (v) => `< ${v}`, plain: /./ },
};

describe.each(schemes.filter((s) => s.satisfies).map((s) => [s.name, s] as const))(
  '%s ranges',
  (name, scheme) => {
    const range = RANGES[name]!;
    const versions = validVersions(scheme).filter((v) => range.plain.test(v));

    it('agree with compare: ">=b" holds exactly when a >= b, "<b" exactly when a < b', () => {
      fc.assert(
        fc.property(versions, versions, (a, b) => {
          const r = scheme.compare(a, b);
          expect(scheme.satisfies!(a, range.atLeast(b))).toBe(r >= 0);
          expect(scheme.satisfies!(a, range.below(b))).toBe(r < 0);
          expect(scheme.isValidRange!(range.atLeast(b))).toBe(true);
        }),
        RUNS,
      );
    });

    it('never accept an unparsable range', () => {
      fc.assert(
        fc.property(versions, anyString, (v, r) => {
          if (!scheme.isValidRange!(r)) expect(scheme.satisfies!(v, r)).toBe(false);
        }),
        RUNS,
      );
    });
  },
);
