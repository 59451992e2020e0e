import fc from 'fast-check';
import parseExpression from 'spdx-expression-parse';
import { describe, expect, it } from 'vitest';
import {
  documentTime,
  nameBasedUuid,
  spdxIdString,
  UniqueIds,
} from '../../../src/inventory/sbom/identity.js';
import {
  classifyLicense,
  joinLicenseExpressions,
  licenseRefFor,
  normalizeLicenseExpression,
  splitLicenseConjunction,
} from '../../../src/inventory/sbom/licenses.js';

describe('license strings', () => {
  it.each([
    ['MIT', { kind: 'id', id: 'MIT' }],
    ['apache-2.0', { kind: 'id', id: 'Apache-2.0' }],
    [' gpl-3.0-or-later ', { kind: 'id', id: 'GPL-3.0-or-later' }],
    ['GPL-2.0', { kind: 'id', id: 'GPL-2.0' }],
    ['mit or apache-2.0', { kind: 'expression', expression: 'MIT OR Apache-2.0' }],
    ['(MIT OR BSD-3-Clause) and Ruby', { kind: 'expression', expression: '(MIT OR BSD-3-Clause) AND Ruby' }],
    ['GPL-2.0+', { kind: 'expression', expression: 'GPL-2.0+' }],
    [
      'GPL-2.0-only WITH Classpath-exception-2.0',
      { kind: 'expression', expression: 'GPL-2.0-only WITH Classpath-exception-2.0' },
    ],
    ['LicenseRef-Proprietary', { kind: 'expression', expression: 'LicenseRef-Proprietary' }],
    ['Apache License, Version 2.0', { kind: 'name', name: 'Apache License, Version 2.0' }],
    ['GPLv2+', { kind: 'name', name: 'GPLv2+' }],
    ['Android', { kind: 'name', name: 'Android' }],
    ['MIT AND', { kind: 'name', name: 'MIT AND' }],
    ['', { kind: 'name', name: '' }],
  ])('%j → %j', (text, choice) => {
    expect(classifyLicense(text)).toEqual(choice);
  });

  it('long strings are names, not parsed (the expression scanner is quadratic)', () => {
    const long = Array.from({ length: 700 }, () => 'MIT').join(' OR ');
    expect(classifyLicense(long).kind).toBe('name');
  });

  it('split undoes join; every rendering parses again and is stable', () => {
    const id = fc.constantFrom('MIT', 'Apache-2.0', 'GPL-2.0-only', 'BSD-3-Clause', 'LicenseRef-x.1', 'ISC');
    const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        id,
        fc
          .tuple(tie('e'), fc.constantFrom('AND', 'OR', 'and', 'or'), tie('e'))
          .map(([a, op, b]) => `(${a}) ${op} (${b})`),
        id.map((l) => `${l} WITH Classpath-exception-2.0`),
      ),
    })).e;
    fc.assert(
      fc.property(fc.array(expression, { minLength: 1, maxLength: 4 }), (parts) => {
        const normalized = parts.map((p) => normalizeLicenseExpression(p)!);
        for (const n of normalized) {
          expect(() => parseExpression(n)).not.toThrow();
          expect(normalizeLicenseExpression(n)).toBe(n);
        }
        const joined = joinLicenseExpressions(normalized)!;
        expect(parseExpression(joined)).toBeDefined();
        const split = splitLicenseConjunction(joined)!;
        expect(joinLicenseExpressions(split)).toBe(joined);
        expect(split.length).toBeGreaterThanOrEqual(parts.length);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const choice = classifyLicense(text);
        if (choice.kind === 'expression') expect(() => parseExpression(choice.expression)).not.toThrow();
        splitLicenseConjunction(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('LicenseRef ids are valid idstrings, readable, and differ for different names', () => {
    expect(licenseRefFor('Apache License, Version 2.0')).toMatch(
      /^LicenseRef-Apache-License-Version-2.0-[a-f0-9]{8}$/,
    );
    expect(licenseRefFor('许可证')).toMatch(/^LicenseRef-[a-f0-9]{8}$/);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        expect(licenseRefFor(a)).toMatch(/^LicenseRef-[A-Za-z0-9.-]+$/);
        if (a !== b) expect(licenseRefFor(a)).not.toBe(licenseRefFor(b));
      }),
    );
  });
});

describe('identifiers', () => {
  it('name-based UUIDs are RFC 9562 version 5 (checked against Python uuid.uuid5)', () => {
    expect(nameBasedUuid('hello')).toBe('9318ed45-050f-558f-b1c0-eb7d89061523');
    expect(nameBasedUuid('')).toBe('8ab6e532-feef-5076-b50b-911e5d589ee9');
    expect(nameBasedUuid('ünïcode')).toBe('540fce88-9aca-538d-ac39-a26b89013f69');
  });

  it('unique ids get a counter when repeated; SPDX id strings keep only what SPDX allows', () => {
    const ids = new UniqueIds();
    expect([ids.take('a'), ids.take('a'), ids.take('a'), ids.take('a-2')]).toEqual([
      'a',
      'a-2',
      'a-3',
      'a-2-2',
    ]);
    expect(spdxIdString('@scope/name:1.0 beta')).toBe('scope-name-1.0-beta');
  });

  it('document time: SOURCE_DATE_EPOCH in whole seconds, UTC, else now', () => {
    expect(documentTime({ SOURCE_DATE_EPOCH: '0' })).toBe('1970-01-01T00:00:00Z');
    expect(documentTime({ SOURCE_DATE_EPOCH: '' })).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(() => documentTime({ SOURCE_DATE_EPOCH: '-1' })).toThrow(
      'SOURCE_DATE_EPOCH: "-1" is not a number of seconds',
    );
  });
});
