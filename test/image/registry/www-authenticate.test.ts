import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/image/format-error.js';
import { parseWwwAuthenticate } from '../../../src/image/registry/www-authenticate.js';

const params = (o: Record<string, string>) => Object.assign(Object.create(null), o);

describe('WWW-Authenticate', () => {
  it('reads the challenges registries send', () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: params({
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/alpine:pull',
        }),
      },
    ]);
    expect(parseWwwAuthenticate('Basic realm="basic-realm"')).toEqual([
      { scheme: 'basic', params: params({ realm: 'basic-realm' }) },
    ]);
    // GitHub's: the scope's actions are comma-separated inside the quotes.
    expect(
      parseWwwAuthenticate(
        'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/r:pull,push"',
      )[0]?.params.scope,
    ).toBe('repository:o/r:pull,push');
  });

  it('follows RFC 7235: several challenges, tokens and quoted strings, escapes, spaces, case', () => {
    expect(
      parseWwwAuthenticate(
        'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple", Negotiate, Token abc123==',
      ),
    ).toEqual([
      { scheme: 'newauth', params: params({ realm: 'apps', type: '1', title: 'Login to "apps"' }) },
      { scheme: 'basic', params: params({ realm: 'simple' }) },
      { scheme: 'negotiate', params: params({}) },
      { scheme: 'token', params: params({}), token68: 'abc123==' },
    ]);
    expect(parseWwwAuthenticate('  BEARER   Realm = "r" ,, SERVICE=s  ,  ')).toEqual([
      { scheme: 'bearer', params: params({ realm: 'r', service: 's' }) },
    ]);
    expect(parseWwwAuthenticate('Bearer realm="first", realm="second"')[0]?.params.realm).toBe('first');
    // A parameter named like an Object.prototype member is just a parameter.
    expect(Object.entries(parseWwwAuthenticate('Bearer __proto__="x"')[0]!.params)).toEqual([
      ['__proto__', 'x'],
    ]);
  });

  it('says what is malformed', () => {
    const cases: [string, string][] = [
      ['', 'no challenge'],
      ['Bearer realm="open', 'unterminated quoted string'],
      ['Bearer a=b, realm=', 'parameter realm has no value'],
      ['Bearer realm="a" service="b"', 'expected "," at "service="b""'],
      ['"quoted"', 'expected an auth scheme at ""quoted""'],
    ];
    for (const [header, problem] of cases)
      expect(() => parseWwwAuthenticate(header), header).toThrow(
        `malformed WWW-Authenticate header: ${problem}`,
      );
    expect(() => parseWwwAuthenticate(`Bearer realm="${'x'.repeat(20_000)}"`)).toThrow(/longer than 16384/);
  });

  it('never throws anything but a FormatError, on any string (fuzz)', () => {
    const pieces = fc.constantFrom(
      'Bearer',
      'Basic',
      ' ',
      ',',
      '=',
      '"',
      '\\',
      'realm',
      'a',
      '==',
      '\t',
      '/',
      '\n',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(pieces, { maxLength: 30 }).map((p) => p.join('')),
        ),
        (header) => {
          try {
            const challenges = parseWwwAuthenticate(header);
            expect(challenges.length).toBeGreaterThan(0);
            for (const c of challenges) expect(c.scheme).toMatch(/^[!#$%&'*+.^_`|~0-9a-z-]+$/);
          } catch (err) {
            expect(err).toBeInstanceOf(FormatError);
            expect((err as Error).message).toMatch(/^malformed WWW-Authenticate header: /);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('reads back any challenge list written by the grammar', () => {
    const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,8}$/);
    const value = fc.string({ maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
    const challenge = fc.record({
      scheme: token,
      params: fc.uniqueArray(fc.tuple(token, value, fc.boolean()), {
        selector: ([k]) => k.toLowerCase(),
        minLength: 1,
        maxLength: 4,
      }),
    });
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 3 }), (list) => {
        const header = list
          .map(
            (c) =>
              `${c.scheme} ${c.params
                .map(([k, v, quoted]) =>
                  quoted || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v)
                    ? `${k}="${v.replace(/["\\]/g, (m) => `\\${m}`)}"`
                    : `${k}=${v}`,
                )
                .join(', ')}`,
          )
          .join(', ');
        const parsed = parseWwwAuthenticate(header);
        expect(parsed.map((c) => c.scheme)).toEqual(list.map((c) => c.scheme.toLowerCase()));
        parsed.forEach((c, i) => {
          expect({ ...c.params }).toEqual(
            Object.fromEntries(list[i]!.params.map(([k, v]) => [k.toLowerCase(), v])),
          );
        });
      }),
      { numRuns: 2000 },
    );
  });
});
