import { describe, expect, it } from 'vitest';
import { ringfence } from './helpers/cli.js';

describe('cli conventions', () => {
  it('prints the version', async () => {
    const r = await ringfence(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ringfence \d+\.\d+\.\d+\n$/);
  });

  it('rejects an unknown flag with one line and exit 2', async () => {
    const r = await ringfence(['--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("unknown option '--no-such-flag'");
    expect(r.stdout).toBe('');
  });

  it('rejects an unknown command with exit 2', async () => {
    const r = await ringfence(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('frobnicate');
  });
});
