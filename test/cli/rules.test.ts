import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ringfence } from '../helpers/cli.js';
import { sharedDir } from '../helpers/components.js';
import { event } from '../runtime/rules/make.js';

const dir = mkdtempSync(join(tmpdir(), 'rules-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const broken = write(
  'broken.yaml',
  `- rule: typo
  desc: d
  condition: >
    evt.type = execve
    and proc.nmae = bash
  output: o
  priority: WARNING
- rule: unbalanced
  desc: d
  condition: evt.type = execve and (proc.name = x
  output: o
  priority: INFO
`,
);
const shim = { pid: 900, name: 'containerd-shim' };
const events = write(
  'events.jsonl',
  [
    JSON.stringify(
      event({ type: 'execve', proc: { name: 'bash', vpid: 30, tty: 34816, ancestors: [shim] } }),
    ),
    JSON.stringify(event({ fd: { name: '/etc/shadow', type: 'file', num: 3 }, proc: { name: 'cat' } })),
    '{"half": ',
    JSON.stringify(event({ type: 'execve', proc: { name: 'ls', vpid: 31, ancestors: [shim] } })),
  ].join('\n'),
);

describe('ringfence rules validate', () => {
  it("accepts Ringfence's default rules", async () => {
    const r = await ringfence(['rules', 'validate', 'default']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^1 file\(s\): \d+ rules \(\d+ compiled, 0 failed, 0 skipped\), \d+ macros, \d+ lists; 0 error\(s\), 0 warning\(s\)$/m,
    );
    expect(r.stdout).toMatch(/^event types: .*execve.*openat/m);
  });

  const shared = sharedDir();
  it.skipIf(!shared)("accepts Falco's stable rules with Ringfence's after them", async () => {
    const r = await ringfence([
      'rules',
      'validate',
      join(shared!, 'corpora/falco-rules/falco_rules.yaml'),
      'default',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 file(s):');
  });

  it('lists every problem with file and line, and exits 1', async () => {
    const r = await ringfence(['rules', 'validate', broken]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      `${broken}:5: error: unknown field 'proc.nmae' (rule 'typo')`,
      `${broken}:10: error: syntax error: expected a ')' token (rule 'unbalanced')`,
    ]);
    expect(r.stdout).toContain('2 rules (0 compiled, 2 failed, 0 skipped)');
  });

  it('writes JSON on request, to a file when asked', async () => {
    const out = join(dir, 'report.json');
    const r = await ringfence(['rules', 'validate', '--format', 'json', '--output', out, broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report).toMatchObject({ ok: false, errors: 2, counts: { rules: 2, failed: 2 } });
    expect(report.problems[0]).toMatchObject({
      file: broken,
      line: 5,
      severity: 'error',
      item: { kind: 'rule', name: 'typo' },
    });
  });

  it('answers an unreadable file or a bad flag with one line and exit 2', async () => {
    for (const args of [
      ['rules', 'validate', join(dir, 'missing.yaml')],
      ['rules', 'validate', '--format', 'xml', 'default'],
      ['rules', 'validate'],
    ]) {
      const r = await ringfence(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
});

describe('ringfence rules test', () => {
  it('shows which rules fire on which events, and counts bad lines', async () => {
    const r = await ringfence(['rules', 'test', 'default', events]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^LINE\s+PRIORITY\s+RULE\s+PROCESS\s+CONTAINER\s+OUTPUT$/);
    expect(lines[1]).toMatch(
      /^1\s+Warning\s+Shell started in a container by exec\s+bash\s+web\s+Shell started in container by exec/,
    );
    expect(lines[2]).toMatch(
      /^2\s+Warning\s+Password file read\s+cat\s+web\s+Password file read \(file=\/etc\/shadow/,
    );
    expect(r.stdout).toContain('3 event(s) from 4 line(s), 1 bad line(s); 2 alert(s)');
    expect(r.stdout).toContain('bad line 3: not JSON');
  });

  it('gives JSON, and an exit code when asked to fail on alerts', async () => {
    const r = await ringfence(['rules', 'test', '--format', 'json', '--exit-code', '4', 'default', events]);
    expect(r.code).toBe(4);
    const report = JSON.parse(r.stdout);
    expect(report.alerts).toBe(2);
    expect(report.byRule).toEqual({ 'Shell started in a container by exec': 1, 'Password file read': 1 });
    expect(report.listed.map((a: { line: number }) => a.line)).toEqual([1, 2]);
    expect(report.replay).toMatchObject({ lines: 4, events: 3, badLines: 1 });
  });

  it('refuses rules that do not compile, with one line pointing at validate', async () => {
    const r = await ringfence(['rules', 'test', broken, events]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('2 problem(s) stop the rules loading, first at line 5');
    expect(r.stderr).toContain('ringfence rules validate');
  });

  it('names an unreadable events file', async () => {
    const r = await ringfence(['rules', 'test', 'default', join(dir, 'none.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/none\.jsonl: cannot read \(ENOENT\)/);
  });
});
