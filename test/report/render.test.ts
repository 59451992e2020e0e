import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { emptyReport, type Report } from '../../src/report/index.js';
import { renderJson } from '../../src/report/render/json.js';
import { renderJunit } from '../../src/report/render/junit.js';
import { renderSarif } from '../../src/report/render/sarif.js';
import { renderTable } from '../../src/report/render/table.js';
import { misconfig, vuln } from './fixtures.js';

const require = createRequire(import.meta.url);

function sample(): Report {
  const r = emptyReport({ name: 'app.tar', type: 'docker-archive' });
  r.findings = [
    vuln('CVE-2024-0001', 'LOW', 'zlib1g'),
    vuln('CVE-2024-0002', 'CRITICAL', 'libssl3', {
      details: { package: { name: 'libssl3', version: '3.0.1' }, cvssScore: 9.8 },
    }),
    misconfig('RF-DF-001', 'HIGH', 'src/Dockerfile', 4),
  ];
  r.suppressed = [
    {
      ...vuln('CVE-2024-0003', 'HIGH', 'bash'),
      status: 'ignored',
      details: { ignoredBy: { file: '.ringfenceignore', line: 1 } },
    },
  ];
  r.errors = [{ target: 'broken.yaml', message: 'YAML syntax error at line 3' }];
  return r;
}

describe('report renderers', () => {
  it('SARIF validates against the SARIF 2.1.0 schema', () => {
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const validate = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
      schema,
    );
    const doc = JSON.parse(renderSarif(sample()));
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const results = doc.runs[0].results;
    expect(results).toHaveLength(4);
    expect(results[0].ruleId).toBe('CVE-2024-0002');
    expect(doc.runs[0].tool.driver.rules[0].properties['security-severity']).toBe('9.8');
    expect(
      results.find((x: { ruleId: string }) => x.ruleId === 'RF-DF-001').locations[0].physicalLocation,
    ).toEqual({
      artifactLocation: { uri: 'src/Dockerfile' },
      region: { startLine: 4, endLine: 5 },
    });
    expect(results.at(-1).suppressions[0].justification).toContain('.ringfenceignore:1');
  });

  it('table groups by target, sorts by severity and colours only when asked', () => {
    const plain = renderTable(sample(), { color: false });
    const lines = plain.split('\n');
    const crit = lines.findIndex((l) => l.includes('CVE-2024-0002'));
    const low = lines.findIndex((l) => l.includes('CVE-2024-0001'));
    expect(crit).toBeGreaterThan(-1);
    expect(crit).toBeLessThan(low);
    expect(plain).toContain('app.tar (debian 12) (2 findings — CRITICAL: 1, LOW: 1)');
    expect(plain).toContain('src/Dockerfile:4-5');
    expect(plain).toContain('error: broken.yaml: YAML syntax error at line 3');
    expect(plain).not.toContain('\x1b[');
    expect(renderTable(sample(), { color: true })).toContain('\x1b[1;31mCRITICAL');
  });

  it('table cuts the title column to the terminal width', () => {
    const r = sample();
    r.findings[0]!.title = 'x'.repeat(300);
    const out = renderTable(r, { color: false, width: 120 });
    for (const l of out.split('\n').filter((l) => l.startsWith('│')))
      expect(l.length).toBeLessThanOrEqual(120);
  });

  it('JSON carries a summary and the suppressed findings', () => {
    const doc = JSON.parse([...renderJson(sample())].join(''));
    expect(doc.summary).toMatchObject({ total: 3, CRITICAL: 1, HIGH: 1, LOW: 1, suppressed: 1, errors: 1 });
    expect(doc.findings[0].ruleId).toBe('CVE-2024-0002');
    expect(doc.suppressed[0].status).toBe('ignored');
  });

  it('JSON comes in pieces, one per finding, that join into the indented document', () => {
    for (const count of [0, 1, 3]) {
      const r = sample();
      r.findings = r.findings.slice(0, count);
      if (r.findings[0]) r.findings[0].title = 'line\nbreak "quoted"';
      const pieces = [...renderJson(r)];
      const text = pieces.join('');
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
      expect(JSON.parse(text).findings).toHaveLength(count);
      expect(pieces.length).toBe(count === 0 ? 3 : count + 4);
    }
  });

  it('JUnit has one failing testcase per finding and escapes XML', () => {
    const r = sample();
    r.findings[2]!.title = 'a <b> & "c"';
    const xml = renderJunit(r);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml.match(/<failure /g)).toHaveLength(3);
    expect(xml).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(xml).toMatch(/<testsuites name="ringfence" tests="4" failures="3" errors="1">/);
  });
});
