import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('stdout closed early', () => {
  it('ends quietly with exit 0 when the reader goes away (| head)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rf-epipe-'));
    try {
      const packages: Record<string, object> = { '': { name: 'app', version: '1.0.0' } };
      for (let i = 0; i < 5000; i++) packages[`node_modules/pkg-${i}`] = { version: `1.0.${i}` };
      writeFileSync(
        join(dir, 'package-lock.json'),
        JSON.stringify({ name: 'app', lockfileVersion: 3, packages }),
      );
      const bin = new URL('../bin/ringfence', import.meta.url).pathname;
      const r = spawnSync(
        'bash',
        ['-o', 'pipefail', '-c', `"${process.execPath}" "${bin}" sbom "fs:${dir}" -f json | head -c 1`],
        {
          encoding: 'utf8',
          env: { ...process.env, XDG_CACHE_HOME: dir },
        },
      );
      expect(r.stdout).toBe('{');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
