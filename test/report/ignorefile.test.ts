import { describe, expect, it } from 'vitest';
import { applyIgnores, parseIgnoreFile } from '../../src/report/ignorefile.js';
import { misconfig, vuln } from './fixtures.js';

describe('ignore file', () => {
  it('parses ids, expiry, scoping and comments', () => {
    const entries = parseIgnoreFile(
      [
        '# accepted risks',
        'CVE-1',
        'CVE-2 exp:2031-01-02  # until upstream fixes',
        '',
        'CVE-3 pkg:openssl path:var/**',
      ].join('\n'),
      '.ringfenceignore',
    );
    expect(entries.map((e) => [e.id, e.expires, e.pkg, e.line, e.reason])).toEqual([
      ['CVE-1', undefined, undefined, 2, undefined],
      ['CVE-2', '2031-01-02', undefined, 3, 'until upstream fixes'],
      ['CVE-3', undefined, 'openssl', 5, undefined],
    ]);
    expect(entries[2]!.path!.test('var/lib/dpkg/status')).toBe(true);
  });

  it('names the file and line of a bad option', () => {
    expect(() => parseIgnoreFile('CVE-1 exp:tomorrow', 'x/.ringfenceignore')).toThrow(
      "x/.ringfenceignore:1: cannot understand 'exp:tomorrow'",
    );
  });

  it('suppresses live entries and reports expired ones as open again', () => {
    const findings = [
      vuln('CVE-1', 'HIGH', 'openssl'),
      vuln('CVE-2', 'LOW', 'zlib'),
      vuln('CVE-9', 'LOW', 'zlib'),
    ];
    const entries = parseIgnoreFile('CVE-1 exp:2030-01-01\nCVE-2 exp:2020-01-01', 'f');
    const r = applyIgnores(findings, entries, '2026-11-22');
    expect(r.suppressed.map((f) => [f.ruleId, f.status])).toEqual([['CVE-1', 'ignored']]);
    expect(r.open.map((f) => f.ruleId)).toEqual(['CVE-2', 'CVE-9']);
    expect(r.open[0]!.details?.ignoreExpired).toBe('2020-01-01');
    expect(r.expired).toEqual([{ id: 'CVE-2', expires: '2020-01-01', file: 'f', line: 2, matched: 1 }]);
  });

  it('matches aliases and honours package and path scoping', () => {
    const a = vuln('GHSA-aaaa', 'HIGH', 'lodash', {});
    a.details = { ...a.details, aliases: ['CVE-7'] };
    const b = vuln('CVE-8', 'HIGH', 'openssl');
    const c = misconfig('RF-DF-001', 'HIGH', 'build/Dockerfile', 3);
    const d = misconfig('RF-DF-001', 'HIGH', 'app/Dockerfile', 3);
    const entries = parseIgnoreFile('CVE-7\nCVE-8 pkg:zlib\nRF-DF-001 path:build/**', 'f');
    const r = applyIgnores([a, b, c, d], entries);
    expect(r.suppressed.map((f) => f.ruleId + (f.location.path ?? ''))).toEqual([
      'GHSA-aaaavar/lib/dpkg/status',
      'RF-DF-001build/Dockerfile',
    ]);
    expect(r.open.map((f) => f.ruleId + f.location.path)).toEqual([
      'CVE-8var/lib/dpkg/status',
      'RF-DF-001app/Dockerfile',
    ]);
  });
});
