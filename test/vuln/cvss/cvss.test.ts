import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CvssError, parseCvss } from '../../../src/vuln/cvss/index.js';

// "A Complete Guide to the CVSS Version 2.0", section 3.3 (worked examples).
const V2_EXAMPLES: [string, number][] = [
  ['AV:N/AC:L/Au:N/C:N/I:N/A:C', 7.8], // CVE-2002-0392
  ['AV:N/AC:L/Au:N/C:C/I:C/A:C', 10.0], // CVE-2003-0818
  ['AV:L/AC:H/Au:N/C:C/I:C/A:C', 6.2], // CVE-2003-0062
];

// CVSS v3.1 Examples document (first.org/cvss/v3-1/examples).
const V31_EXAMPLES: [string, number][] = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1], // CVE-2013-1937 phpMyAdmin XSS
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4], // CVE-2013-0375 MySQL stored SQLi
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1], // CVE-2014-3566 POODLE
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9], // CVE-2012-1516 VMware guest to host
  ['CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 4.2], // CVE-2009-0783 Tomcat XML parser
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8], // CVE-2012-0384 Cisco IOS
  ['CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8], // CVE-2015-1098 Apple iWork
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5], // CVE-2014-0160 Heartbleed
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8], // CVE-2014-6271 Shellshock
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N', 6.8], // CVE-2008-1447 DNS cache poisoning
  ['CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8], // CVE-2014-2005 Sophos login bypass
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N', 5.8], // CVE-2010-0467 Joomla traversal
  ['CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H', 9.3], // CVE-2013-6014 Juniper proxy ARP
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N', 5.4], // CVE-2014-9253 DokuWiki XSS
  ['CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.8], // CVE-2011-1265 Bluetooth RCE
  ['CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N', 4.6], // CVE-2014-2019 iOS control bypass
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N', 7.4], // CVE-2014-0224 OpenSSL CCS
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N', 6.8], // CVE-2016-0128 Badlock
];

// CVSS v4.0 Examples document (first.org/cvss/v4.0/examples).
const V40_EXAMPLES: [string, number][] = [
  ['CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.3], // CVE-2022-41741
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.7], // CVE-2020-3549
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U', 5.2], // CVE-2020-3549 with E:U
  ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N', 8.3], // CVE-2023-3089
  [
    'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/CR:H/IR:L/AR:L/MAV:N/MAC:H/MVC:H/MVI:L/MVA:L',
    8.1,
  ], // CVE-2023-3089, environmental
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 4.6], // CVE-2021-44714
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N', 5.1], // CVE-2022-21830
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N', 6.9], // CVE-2022-22186
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:N/VI:N/VA:N/SC:H/SI:N/SA:N', 5.9], // CVE-2023-21989
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 9.4], // CVE-2020-3947
  ['CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:H/SA:N/S:P/V:D', 8.3], // CVE-2023-30560
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N/E:A', 8.7], // CVE-2014-0160
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A', 10], // CVE-2021-44228
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A', 9.3], // CVE-2014-6271
  ['CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:H/SI:N/SA:H', 6.4], // CVE-2013-6014
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/R:I', 9.3], // CVE-2016-5729
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:H/SI:H/SA:H', 9.3], // CVE-2023-48228
  ['CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 8.6], // CVE-2018-3652
  ['CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P', 8.2], // CVE-2024-6387
];

describe('CVSS scores match the specifications’ published examples', () => {
  it.each(V2_EXAMPLES)('v2 %s = %d', (vector, score) => {
    expect(parseCvss(vector)).toMatchObject({ version: '2.0', score });
  });
  it.each(V31_EXAMPLES)('v3.1 %s = %d', (vector, score) => {
    expect(parseCvss(vector)).toMatchObject({ version: '3.1', score });
  });
  it.each(V40_EXAMPLES)('v4.0 %s = %d', (vector, score) => {
    expect(parseCvss(vector)).toMatchObject({ version: '4.0', score });
  });

  it('v2 accepts parentheses and a CVSS:2.0 prefix', () => {
    expect(parseCvss('(AV:N/AC:L/Au:N/C:P/I:P/A:P)').score).toBe(7.5);
    expect(parseCvss('CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P').score).toBe(7.5);
  });

  it('reads v3.0 vectors as well as v3.1', () => {
    expect(parseCvss('CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H')).toMatchObject({
      version: '3.0',
      score: 8.1,
      rating: 'HIGH',
    });
  });

  it('base score ignores temporal and environmental metrics in v3', () => {
    expect(parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:R/CR:L').score).toBe(9.8);
  });

  it('gives ratings from the specifications’ bands', () => {
    expect(parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')).toMatchObject({
      score: 0,
      rating: 'NONE',
    });
    expect(parseCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N').rating).toBe('NONE');
    expect(parseCvss('AV:N/AC:L/Au:N/C:C/I:C/A:C').rating).toBe('HIGH');
  });

  it.each([
    ['', 'empty'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'missing A'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H', 'duplicate'],
    ['CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'bad value'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1', 'unknown metric'],
    ['CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'unknown version'],
    ['CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'v4 missing AT'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N', 'SI:S only as MSI'],
    ['AV:N/AC:L/Au:N/C:P/I:P', 'v2 missing A'],
    ['CVSS:5.0/AV:N', 'future version'],
  ])('rejects %j (%s) with a CvssError', (vector) => {
    expect(() => parseCvss(vector)).toThrow(CvssError);
  });
});

const v3Vector = fc
  .record({
    version: fc.constantFrom('3.0', '3.1'),
    AV: fc.constantFrom('N', 'A', 'L', 'P'),
    AC: fc.constantFrom('L', 'H'),
    PR: fc.constantFrom('N', 'L', 'H'),
    UI: fc.constantFrom('N', 'R'),
    S: fc.constantFrom('U', 'C'),
    C: fc.constantFrom('H', 'L', 'N'),
    I: fc.constantFrom('H', 'L', 'N'),
    A: fc.constantFrom('H', 'L', 'N'),
  })
  .map(
    ({ version, ...m }) =>
      `CVSS:${version}/${Object.entries(m)
        .map(([k, v]) => `${k}:${v}`)
        .join('/')}`,
  );

const level = (values: string[]) => fc.constantFrom(...values);
const v4Metrics = fc.record({
  AV: level(['N', 'A', 'L', 'P']),
  AC: level(['L', 'H']),
  AT: level(['N', 'P']),
  PR: level(['N', 'L', 'H']),
  UI: level(['N', 'P', 'A']),
  VC: level(['H', 'L', 'N']),
  VI: level(['H', 'L', 'N']),
  VA: level(['H', 'L', 'N']),
  SC: level(['H', 'L', 'N']),
  SI: level(['H', 'L', 'N']),
  SA: level(['H', 'L', 'N']),
  E: level(['X', 'A', 'P', 'U']),
  CR: level(['X', 'H', 'M', 'L']),
  MSI: level(['X', 'S', 'H', 'L', 'N']),
});
const v4Vector = (m: Record<string, string>) =>
  `CVSS:4.0/${Object.entries(m)
    .map(([k, v]) => `${k}:${v}`)
    .join('/')}`;

describe('CVSS parser properties', () => {
  it('every valid v3 vector scores in [0, 10] with one decimal, and is order-insensitive', () => {
    fc.assert(
      fc.property(v3Vector, (vector) => {
        const { score } = parseCvss(vector);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(10);
        expect(Math.round(score * 10) / 10).toBe(score);
        const [prefix, ...rest] = vector.split('/');
        expect(parseCvss([prefix, ...rest.reverse()].join('/')).score).toBe(score);
      }),
    );
  });

  it('every valid v4 vector scores in [0, 10] and never above its MacroVector', () => {
    fc.assert(
      fc.property(v4Metrics, (m) => {
        const { score } = parseCvss(v4Vector(m));
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(10);
        expect(Math.round(score * 10) / 10).toBe(score);
      }),
    );
  });

  it('raising an impact metric never lowers a v3 score', () => {
    fc.assert(
      fc.property(v3Vector, fc.constantFrom('C', 'I', 'A'), (vector, key) => {
        const raised = vector.replace(new RegExp(`/${key}:[HLN]`), `/${key}:H`);
        expect(parseCvss(raised).score).toBeGreaterThanOrEqual(parseCvss(vector).score);
      }),
    );
  });

  it('exploit maturity U never scores above A in v4', () => {
    fc.assert(
      fc.property(v4Metrics, (m) => {
        const attacked = parseCvss(v4Vector({ ...m, E: 'A' })).score;
        expect(parseCvss(v4Vector({ ...m, E: 'U' })).score).toBeLessThanOrEqual(attacked);
      }),
    );
  });

  it('arbitrary strings either parse to a valid score or throw CvssError, nothing else', () => {
    const token = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        'CVSS:3.1',
        'CVSS:4.0',
        'CVSS:2.0',
        'AV:N',
        'AC:L',
        'PR:N',
        'UI:N',
        'S:U',
        'C:H',
        '/',
        ':',
      ),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), (parts) => {
        const input = parts.join('/');
        try {
          const { score } = parseCvss(input);
          expect(score).toBeGreaterThanOrEqual(0);
        } catch (err) {
          expect(err).toBeInstanceOf(CvssError);
        }
      }),
    );
  });
});
