import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emitReport, emptyReport } from '../../src/report/index.js';
import { vuln } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rf-report-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function report() {
  const r = emptyReport({ name: 'img', type: 'docker-archive' });
  r.findings = [vuln('CVE-1', 'HIGH', 'a'), vuln('CVE-2', 'LOW', 'b')];
  return r;
}

describe('emitReport', () => {
  it('returns --exit-code only when findings at the selected severities remain', async () => {
    const out = join(dir, 'r.json');
    expect(await emitReport(report(), { format: 'json', output: out, exitCode: '5' })).toBe(5);
    expect(
      await emitReport(report(), { format: 'json', output: out, exitCode: '5', severity: 'critical' }),
    ).toBe(0);
    expect(await emitReport(report(), { format: 'json', output: out, exitCode: '5', severity: 'LOW' })).toBe(
      5,
    );
    expect(await emitReport(report(), { format: 'json', output: out })).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).findings).toHaveLength(2);
  });

  it('an ignore file can clear the gate', async () => {
    const ignore = join(dir, 'ignore');
    writeFileSync(ignore, 'CVE-1\nCVE-2 exp:2999-01-01\n');
    const out = join(dir, 'r.json');
    expect(
      await emitReport(report(), { format: 'json', output: out, exitCode: '1', ignorefile: ignore }),
    ).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).suppressed).toHaveLength(2);
  });

  it('rejects bad flags before writing anything', async () => {
    const out = join(dir, 'r.json');
    await expect(emitReport(report(), { format: 'xml', output: out })).rejects.toThrow(
      "--format: unknown format 'xml'",
    );
    await expect(emitReport(report(), { output: out, severity: 'HIGH,SEVERE' })).rejects.toThrow(
      "unknown severity 'SEVERE'",
    );
    await expect(emitReport(report(), { output: out, exitCode: '-1' })).rejects.toThrow('--exit-code');
    await expect(emitReport(report(), { output: out, ignorefile: join(dir, 'nope') })).rejects.toThrow(
      'ignore file not found',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves no partial file when the output cannot be written', async () => {
    await expect(
      emitReport(report(), { format: 'json', output: join(dir, 'missing', 'r.json') }),
    ).rejects.toThrow('cannot write output');
    expect(readdirSync(dir)).toEqual([]);
  });
});
