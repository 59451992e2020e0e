import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dpkgAnalyzer } from '../../../../src/inventory/os/dpkg/analyzer.js';
import { parseDpkgStatus } from '../../../../src/inventory/os/dpkg/parse.js';
import { fixture, inputFor } from '../input.js';

const STATUS = readFileSync(fixture('dpkg', 'debian12-status'), 'utf8');
const wants = (path: string) => dpkgAnalyzer.wants({ path, size: 1, mode: 0o644 }, 'image');

describe('dpkgAnalyzer', () => {
  it('wants the status file, status.d entries and info/*.list, nothing else', () => {
    expect(wants('var/lib/dpkg/status')).toBe(true);
    expect(wants('var/lib/dpkg/status.d/libc6')).toBe(true);
    expect(wants('var/lib/dpkg/status.d/libc6.md5sums')).toBe(true);
    expect(wants('var/lib/dpkg/info/libc6:amd64.list')).toBe(true);
    for (const no of [
      'var/lib/dpkg/status-old',
      'var/lib/dpkg/available',
      'var/lib/dpkg/info/libc6:amd64.md5sums',
      'var/lib/dpkg/info/libc6:amd64.postinst',
      'var/lib/dpkg/status.d/sub/x',
      'opt/var/lib/dpkg/status',
    ])
      expect(wants(no), no).toBe(false);
    expect(dpkgAnalyzer.modes).not.toContain('fs');
  });

  it('reads the status database', async () => {
    const out = await dpkgAnalyzer.analyze(inputFor('var/lib/dpkg/status', STATUS));
    expect(out?.packages?.length).toBe(parseDpkgStatus(STATUS, 'x').packages.length);
    expect(out?.warnings).toBeUndefined();
  });

  it('reads a distroless status.d entry and its md5sums', async () => {
    const stanza = STATUS.split('\n\n').find((s) => s.startsWith('Package: libc6\n'))!;
    const withoutStatus = stanza.replace(/^Status: .*\n/m, '');
    const entry = await dpkgAnalyzer.analyze(inputFor('var/lib/dpkg/status.d/libc6', withoutStatus));
    expect(entry?.packages?.map((p) => [p.name, p.source?.name, p.paths[0]])).toEqual([
      ['libc6', 'glibc', 'var/lib/dpkg/status.d/libc6'],
    ]);
    const sums = readFileSync(fixture('dpkg', 'libc6-amd64.md5sums'));
    const files = await dpkgAnalyzer.analyze(inputFor('var/lib/dpkg/status.d/libc6.md5sums', sums));
    expect(files?.packageFiles?.[0]?.package).toBe('libc6');
    expect(files?.packageFiles?.[0]?.files).toContain('lib/x86_64-linux-gnu/libc.so.6');
  });

  it('turns info/<pkg>:<arch>.list into package files', async () => {
    const list = readFileSync(fixture('dpkg', 'libc6-amd64.list'));
    const out = await dpkgAnalyzer.analyze(inputFor('var/lib/dpkg/info/libc6:amd64.list', list));
    expect(out?.packageFiles?.[0]?.package).toBe('libc6');
    expect(out?.packageFiles?.[0]?.files.length).toBe(301);
  });

  it('warns, naming the file, instead of reading an implausibly large database', async () => {
    const huge = inputFor('var/lib/dpkg/status', '');
    const input = { ...huge, size: 65 * 1024 * 1024 };
    const out = await dpkgAnalyzer.analyze(input);
    expect(out?.warnings?.[0]).toMatch(/^var\/lib\/dpkg\/status: 68157440 bytes is more than the/);
    expect(out?.packages).toBeUndefined();
  });

  it('prefixes parse warnings with the file', async () => {
    const out = await dpkgAnalyzer.analyze(inputFor('var/lib/dpkg/status', 'Package: a\nVersion: 1\n'));
    expect(out?.warnings).toEqual([
      'var/lib/dpkg/status: paragraph at line 1: package a has no Status field; skipped',
    ]);
  });
});
