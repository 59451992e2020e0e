import type { Finding } from '../../types.js';
import type { Report } from '../model.js';
import { groupByTarget } from '../order.js';

/**
 * JUnit XML, one testsuite per target and one testcase per finding (as CI systems show it):
 * a finding fails its testcase, except compliance results, where PASS passes and WARN/INFO skip.
 */

function esc(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function caseName(f: Finding): string {
  const pkg = f.details?.package as { name?: string; version?: string } | undefined;
  const where = pkg?.name
    ? `${pkg.name}@${pkg.version}`
    : [f.location.path, f.location.line].filter(Boolean).join(':');
  return `[${f.severity}] ${f.ruleId}${where ? ` ${where}` : ''}`;
}

function outcome(f: Finding): 'failure' | 'skipped' | 'passed' {
  if (f.kind !== 'compliance' || f.status === 'FAIL') return 'failure';
  return f.status === 'PASS' ? 'passed' : 'skipped';
}

function testcase(target: string, f: Finding): string {
  const open = `    <testcase classname="${esc(target)}" name="${esc(caseName(f))}"`;
  const evidence = f.details?.evidence ? `${f.status}: ${String(f.details.evidence)}` : f.title;
  switch (outcome(f)) {
    case 'passed':
      return `${open}/>`;
    case 'skipped':
      return `${open}>\n      <skipped message="${esc(evidence)}"/>\n    </testcase>`;
    case 'failure':
      return `${open}>\n      <failure message="${esc(f.title)}" type="${esc(f.severity)}">${esc(body(f))}</failure>\n    </testcase>`;
  }
}

function body(f: Finding): string {
  return [f.title, f.description, f.fix ? `Fix: ${f.fix}` : '', ...f.references].filter(Boolean).join('\n');
}

export function renderJunit(report: Report): string {
  const suites: string[] = [];
  for (const [target, findings] of groupByTarget(report.findings)) {
    const failures = findings.filter((f) => outcome(f) === 'failure').length;
    const skipped = findings.filter((f) => outcome(f) === 'skipped').length;
    suites.push(
      `  <testsuite name="${esc(target)}" tests="${findings.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${findings.map((f) => testcase(target, f)).join('\n')}\n  </testsuite>`,
    );
  }
  if (report.errors.length) {
    const cases = report.errors.map(
      (e) =>
        `    <testcase classname="${esc(e.target)}" name="read ${esc(e.target)}">\n      <error message="${esc(e.message)}"/>\n    </testcase>`,
    );
    suites.push(
      `  <testsuite name="errors" tests="${report.errors.length}" failures="0" errors="${report.errors.length}" skipped="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  if (suites.length === 0)
    suites.push(
      `  <testsuite name="${esc(report.artifact.name)}" tests="1" failures="0" errors="0" skipped="0">\n    <testcase classname="${esc(report.artifact.name)}" name="no findings"/>\n  </testsuite>`,
    );
  const failures = report.findings.filter((f) => outcome(f) === 'failure').length;
  const tests = report.findings.length + report.errors.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ringfence" tests="${Math.max(1, tests)}" failures="${failures}" errors="${report.errors.length}">\n${suites.join('\n')}\n</testsuites>\n`;
}
