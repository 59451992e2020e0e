import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ringfence } from '../helpers/cli.js';
import { needs } from '../helpers/components.js';

/** `ringfence agent` refuses what cannot work, in one line, before touching the kernel. */
describe('ringfence agent: bad settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rf-cli-agent-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, string[], RegExp][] = [
    ['a missing rules file', ['--rules', join(dir, 'none.yaml')], /none\.yaml: cannot read \(ENOENT\)/],
    ['an unknown priority', ['--min-priority', 'loud'], /--min-priority: 'loud' is not one of Emergency/],
    ['a server without a token', ['--server', 'http://127.0.0.1:1'], /--server needs --token/],
    ['a rate limit that is no number', ['--rate-limit', 'x'], /--rate-limit: 'x' is not a number/],
    ['a metrics port out of range', ['--metrics-port', '70000'], /--metrics-port: '70000'/],
    [
      'a window that is no duration',
      ['--dedup-window', '10 minutes'],
      /--dedup-window: '10 minutes' is not a duration/,
    ],
  ];
  it.each(cases)('%s', async (_, args, message) => {
    const r = await ringfence(['agent', '--output', join(dir, 'alerts.jsonl'), ...args], {
      env: { RINGFENCE_TOKEN: '' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rules that do not compile are refused', async () => {
    const rules = join(dir, 'broken.yaml');
    writeFileSync(
      rules,
      '- rule: r\n  desc: d\n  condition: proc.name = = x\n  output: o\n  priority: WARNING\n',
    );
    const r = await ringfence(['agent', '--rules', rules]);
    rmSync(rules);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no rule in .*broken\.yaml compiled/);
  });

  it.skipIf(needs('root'))('says it needs root when run as another user', () => {
    const bin = new URL('../../bin/ringfence', import.meta.url).pathname;
    const r = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, 'agent'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('ringfence: ringfence agent needs root (kernel tracing); run it with sudo');
  });
});
