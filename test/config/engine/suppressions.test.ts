import { describe, expect, it } from 'vitest';
import { dockerfileKind } from '../../../src/config/dockerfile/kind.js';
import { scanSource } from '../../../src/config/engine/scan-source.js';
import { findSuppression, parseSuppressions } from '../../../src/config/engine/suppressions.js';

describe('inline suppressions', () => {
  it('reads single, listed and file-wide markers in # and // comments', () => {
    const lines = [
      '# ringfence:ignore:RF-DF-001 runs as root on purpose',
      'x: 1 # ringfence:ignore:rf-dc-004,RF-DC-005',
      '// ringfence:ignore-file:RF-TF-001 legacy module',
      '# ringfence ignore: not a marker',
    ];
    expect(parseSuppressions(lines)).toEqual([
      { ruleIds: ['RF-DF-001'], reason: 'runs as root on purpose', line: 1, wholeFile: false },
      { ruleIds: ['RF-DC-004', 'RF-DC-005'], reason: '', line: 2, wholeFile: false },
      { ruleIds: ['RF-TF-001'], reason: 'legacy module', line: 3, wholeFile: true },
    ]);
  });

  it('covers the same line, the comment block right above, and the line before the enclosing construct', () => {
    const lines = [
      '# ringfence:ignore:R-1 a',
      '# other comment',
      'FROM x',
      'RUN a \\',
      '  b',
      'USER y # ringfence:ignore:R-2 b',
      '',
      'CMD z',
    ];
    const s = parseSuppressions(lines);
    expect(findSuppression(s, lines, 'R-1', { line: 3, endLine: 3 })?.line).toBe(1);
    expect(findSuppression(s, lines, 'R-1', { line: 5, endLine: 5 }, { line: 3, endLine: 5 })?.line).toBe(1);
    expect(findSuppression(s, lines, 'R-1', { line: 5, endLine: 5 })).toBeUndefined();
    expect(findSuppression(s, lines, 'R-2', { line: 6, endLine: 6 })?.line).toBe(6);
    expect(findSuppression(s, lines, 'R-2', { line: 8, endLine: 8 })).toBeUndefined();
    expect(findSuppression(s, lines, 'R-3', { line: 3, endLine: 3 })).toBeUndefined();
  });

  it('marks suppressed findings ignored with the comment and reason, and leaves other rules open', () => {
    const text = [
      '# ringfence:ignore-file:RF-DF-002 health is checked by the orchestrator',
      '# ringfence:ignore:RF-DF-007 tracks upstream on purpose',
      'FROM node:latest',
      'RUN apt-get update && \\',
      '    # ringfence:ignore:RF-DF-010',
      '    sudo make install',
    ].join('\n');
    const { findings } = scanSource(dockerfileKind, { path: 'Dockerfile', text, companions: new Map() });
    const status = Object.fromEntries(findings.map((f) => [f.ruleId, f.status]));
    expect(status).toEqual({
      'RF-DF-001': 'open',
      'RF-DF-002': 'ignored',
      'RF-DF-003': 'open',
      'RF-DF-007': 'ignored',
      'RF-DF-010': 'ignored',
    });
    expect(findings.find((f) => f.ruleId === 'RF-DF-007')?.details?.ignoredBy).toEqual({
      file: 'Dockerfile',
      line: 2,
      reason: 'tracks upstream on purpose',
      inline: true,
    });
  });
});
