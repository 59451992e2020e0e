import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/types.js';
import { UserError } from '../../../src/util/errors.js';
import { applyVex } from '../../../src/vuln/vex/apply.js';
import { loadVexFiles } from '../../../src/vuln/vex/load.js';
import { parseOpenVex } from '../../../src/vuln/vex/openvex.js';

const CONTEXT = 'https://openvex.dev/ns/v0.2.0';
const doc = (statements: object[], timestamp = '2025-01-01T00:00:00Z') => ({
  '@context': CONTEXT,
  '@id': 'https://example.com/vex/1',
  author: 'Example',
  timestamp,
  version: 1,
  statements,
});

function finding(ruleId: string, purl: string, aliases: string[] = []): Finding {
  return {
    kind: 'vulnerability',
    ruleId,
    severity: 'HIGH',
    title: ruleId,
    target: 'app',
    location: {},
    references: [],
    status: 'open',
    details: { aliases, package: { purl } },
  };
}

const LODASH = 'pkg:npm/lodash@4.17.20';
const LIBC = 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u3?arch=amd64&distro=debian-12';
const IMAGE = { digests: ['sha256:abc123'], names: ['app'] };

describe('parseOpenVex', () => {
  it('reads v0.2.0 statements with names, aliases, products and subcomponents', () => {
    const { statements, warnings } = parseOpenVex(
      doc([
        {
          vulnerability: {
            '@id': 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337',
            name: 'CVE-2021-23337',
            aliases: ['GHSA-35jh-r3h4-6jhm'],
          },
          products: [
            { '@id': 'pkg:oci/app@sha256%3Aabc123', subcomponents: [{ '@id': 'pkg:npm/lodash' }] },
            { identifiers: { cpe23: 'cpe:2.3:a:x:y:1:*:*:*:*:*:*:*' } },
          ],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        },
      ]),
      'vex.json',
    );
    expect(statements[0]).toMatchObject({
      ids: ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm'],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
      timestamp: Date.parse('2025-01-01T00:00:00Z'),
      origin: 'vex.json#0',
    });
    expect(statements[0]?.products[0]?.subcomponents[0]?.[0]).toMatchObject({ type: 'npm', name: 'lodash' });
    expect(warnings).toEqual(['vex.json: statements[0]: products[1] has no purl and matches nothing']);
  });

  it('reads the v0.0.x shapes (vulnerability and products as strings)', () => {
    const { statements } = parseOpenVex(
      {
        '@context': 'https://openvex.dev/ns',
        statements: [{ vulnerability: 'CVE-1', products: [LODASH], status: 'fixed' }],
      },
      'old.json',
    );
    expect(statements[0]).toMatchObject({ ids: ['CVE-1'], status: 'fixed', timestamp: 0 });
  });

  it.each([
    [{ statements: [] }, /not an OpenVEX document/],
    [
      doc([{ vulnerability: { name: 'CVE-1' }, products: [LODASH], status: 'ignored' }]),
      /statements\[0\]: status must be one of/,
    ],
    [
      doc([{ vulnerability: { name: 'CVE-1' }, products: [LODASH], status: 'not_affected' }]),
      /needs a justification or an impact_statement/,
    ],
    [
      doc([
        {
          vulnerability: { name: 'CVE-1' },
          products: [LODASH],
          status: 'not_affected',
          justification: 'trust me',
        },
      ]),
      /unknown justification 'trust me'/,
    ],
    [doc([{ vulnerability: {}, products: [LODASH], status: 'fixed' }]), /vulnerability has no name/],
    [doc([{ vulnerability: { name: 'CVE-1' }, status: 'fixed' }]), /products must be a non-empty list/],
    [
      doc([
        { vulnerability: { name: 'CVE-1' }, products: [LODASH], status: 'fixed', timestamp: 'yesterday' },
      ]),
      /statements\[0\].timestamp is not an RFC 3339/,
    ],
  ])(
    'rejects a document that breaks the specification with one line naming the statement (%#)',
    (json, message) => {
      expect(() => parseOpenVex(json, 'vex.json')).toThrow(UserError);
      expect(() => parseOpenVex(json, 'vex.json')).toThrow(message);
    },
  );

  it('never throws anything but a UserError on arbitrary JSON', () => {
    const statement = fc.record(
      {
        vulnerability: fc.oneof(
          fc.string(),
          fc.record({ name: fc.string(), aliases: fc.array(fc.string()) }),
          fc.jsonValue(),
        ),
        products: fc.oneof(
          fc.array(fc.oneof(fc.string(), fc.record({ '@id': fc.string() }))),
          fc.jsonValue(),
        ),
        status: fc.constantFrom('not_affected', 'affected', 'fixed', 'under_investigation', 'x'),
        justification: fc.constantFrom('component_not_present', 'bogus'),
        timestamp: fc.oneof(fc.string(), fc.constant('2025-01-01T00:00:00Z')),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.array(statement).map((s) => doc(s)),
        ),
        (json) => {
          try {
            parseOpenVex(json, 'fuzz.json');
          } catch (err) {
            expect(err).toBeInstanceOf(UserError);
            expect((err as Error).message.split('\n')).toHaveLength(1);
          }
        },
      ),
    );
  });
});

describe('applyVex', () => {
  const apply = (statements: object[], findings: Finding[]) =>
    applyVex(findings, parseOpenVex(doc(statements), 'vex.json').statements, IMAGE);

  it('suppresses not_affected findings by package purl or alias, with the justification', () => {
    const { open, suppressed } = apply(
      [
        {
          vulnerability: { name: 'CVE-2021-23337' },
          products: [{ '@id': 'pkg:npm/lodash' }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          impact_statement: 'template() is never called',
        },
      ],
      [
        finding('GHSA-35jh-r3h4-6jhm', LODASH, ['CVE-2021-23337']),
        finding('GHSA-other', LODASH),
        finding('CVE-2021-23337', LIBC),
      ],
    );
    expect(open.map((f) => f.ruleId)).toEqual(['GHSA-other', 'CVE-2021-23337']);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]).toMatchObject({
      ruleId: 'GHSA-35jh-r3h4-6jhm',
      status: 'not_affected',
      details: {
        vexJustification: 'vulnerable_code_not_in_execute_path: template() is never called (VEX vex.json#0)',
        vex: { status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' },
      },
    });
  });

  it('applies image products to all their packages, or to the subcomponents named', () => {
    const findings = [finding('CVE-1', LODASH), finding('CVE-1', LIBC)];
    const whole = apply(
      [{ vulnerability: { name: 'CVE-1' }, products: ['pkg:oci/app'], status: 'fixed' }],
      findings,
    );
    expect(whole.suppressed.map((f) => f.status)).toEqual(['fixed', 'fixed']);
    const sub = apply(
      [
        {
          vulnerability: { name: 'CVE-1' },
          products: [
            { '@id': 'pkg:oci/app@sha256:abc123', subcomponents: [{ '@id': 'pkg:deb/debian/libc6' }] },
          ],
          status: 'not_affected',
          justification: 'component_not_present',
        },
      ],
      findings,
    );
    expect(sub.suppressed.map((f) => f.details?.package)).toEqual([{ purl: LIBC }]);
    const otherImage = apply(
      [
        {
          vulnerability: { name: 'CVE-1' },
          products: ['pkg:oci/app@sha256:fff'],
          status: 'not_affected',
          justification: 'component_not_present',
        },
      ],
      findings,
    );
    expect(otherImage.suppressed).toEqual([]);
  });

  it('lets the latest statement win; affected and under_investigation stay open with the VEX status', () => {
    const statements = [
      {
        vulnerability: { name: 'CVE-1' },
        products: [LODASH],
        status: 'not_affected',
        justification: 'component_not_present',
        timestamp: '2025-01-01T00:00:00Z',
      },
      {
        vulnerability: { name: 'CVE-1' },
        products: [LODASH],
        status: 'affected',
        action_statement: 'upgrade to 4.17.21',
        timestamp: '2025-02-01T00:00:00Z',
      },
      { vulnerability: { name: 'CVE-2' }, products: [LODASH], status: 'under_investigation' },
    ];
    const { open, suppressed } = apply(statements, [finding('CVE-1', LODASH), finding('CVE-2', LODASH)]);
    expect(suppressed).toEqual([]);
    expect(open.map((f) => f.details?.vex)).toEqual([
      { status: 'affected', statement: 'vex.json#1', actionStatement: 'upgrade to 4.17.21' },
      { status: 'under_investigation', statement: 'vex.json#2' },
    ]);
    const reversed = apply(
      [statements[1]!, { ...statements[0]!, timestamp: '2025-03-01T00:00:00Z' }],
      [finding('CVE-1', LODASH)],
    );
    expect(reversed.suppressed.map((f) => f.status)).toEqual(['not_affected']);
  });
});

describe('loadVexFiles', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rf-vex-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads several files in order; a missing, non-JSON or wrong file is a one-line error naming it', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    writeFileSync(a, JSON.stringify(doc([{ vulnerability: 'CVE-1', products: [LODASH], status: 'fixed' }])));
    writeFileSync(b, JSON.stringify(doc([{ vulnerability: 'CVE-2', products: [LODASH], status: 'fixed' }])));
    const merged = await loadVexFiles([a, b]);
    expect(merged.statements.map((s) => [s.ids[0], s.order])).toEqual([
      ['CVE-1', 0],
      ['CVE-2', 1],
    ]);
    writeFileSync(join(dir, 'bad.json'), '{"@context": ');
    await expect(loadVexFiles([join(dir, 'bad.json')])).rejects.toThrow(/bad.json: invalid JSON/);
    await expect(loadVexFiles([join(dir, 'missing.json')])).rejects.toThrow(
      /missing.json: cannot read the VEX file \(ENOENT\)/,
    );
    await expect(loadVexFiles([dir])).rejects.toThrow(/not a regular file/);
  });
});
