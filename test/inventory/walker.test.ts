import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { LayerBlob } from '../../src/image/source.js';
import type { Analyzer } from '../../src/inventory/analyzer.js';
import {
  DEFAULT_LIMITS,
  type WalkOptions,
  walkDirectoryTree,
  walkLayer,
} from '../../src/inventory/walker.js';
import { needs } from '../helpers/components.js';
import { sha256, type TarSpec, tarArchive } from '../image/helpers/tar-writer.js';
import { probeAnalyzer } from './probe.js';

const root = mkdtempSync(join(tmpdir(), 'rf-walker-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function layer(
  entries: TarSpec[],
  opts: { diffId?: string; gzip?: boolean } = {},
): LayerBlob & { opens: number } {
  const tar = tarArchive(entries);
  const blob = opts.gzip === false ? tar : gzipSync(tar);
  const l = {
    diffId: opts.diffId ?? sha256(tar),
    opens: 0,
    async open() {
      l.opens++;
      return Readable.from([blob]);
    },
  };
  return l;
}

function options(analyzers: Analyzer[], limits: Partial<typeof DEFAULT_LIMITS> = {}): WalkOptions {
  const workDir = join(root, `work${n++}`);
  mkdirSync(workDir);
  return { analyzers, mode: 'image', workDir, limits: { ...DEFAULT_LIMITS, ...limits } };
}

const versions = (r: { analyses: { path: string; output: { packages?: { version: string }[] } }[] }) =>
  Object.fromEntries(r.analyses.map((a) => [a.path, a.output.packages?.[0]?.version]));

describe('walkLayer', () => {
  it('sends wanted files only to the analyzers that want them and records every entry', async () => {
    const probe = probeAnalyzer();
    const other = {
      ...probeAnalyzer(),
      name: 'other',
      wants: (f: { path: string }) => f.path === 'etc/hostname',
    };
    const r = await walkLayer(
      layer([
        { name: './opt/', type: '5' },
        { name: './opt/a', data: '1\n' },
        { name: '/etc/hostname', data: 'box' },
        { name: 'usr/bin/tool', data: 'x'.repeat(10_000), mode: 0o755 },
        { name: 'usr/bin/link', type: '2', linkname: '/etc/../../../../etc/shadow' },
      ]),
      options([probe, other]),
    );
    expect(versions(r)).toEqual({ 'opt/a': '1', 'etc/hostname': 'box' });
    expect(probe.seen).toEqual(['opt/a']);
    expect(r.paths).toEqual(['opt/a', 'etc/hostname', 'usr/bin/tool', 'usr/bin/link']);
    expect(r.dirs).toEqual(['opt']);
    expect(r.warnings).toEqual([]);
  });

  it('records whiteouts and opaque directories instead of passing them on', async () => {
    const r = await walkLayer(
      layer([
        { name: 'opt/.wh.gone', data: '' },
        { name: 'opt/b/.wh..wh..opq', data: '' },
        { name: 'opt/.wh..wh.plnk', type: '5' },
        { name: 'opt/b/new', data: '3' },
      ]),
      options([probeAnalyzer()]),
    );
    expect(r.whiteouts).toEqual(['opt/gone']);
    expect(r.opaqueDirs).toEqual(['opt/b']);
    expect(Object.keys(versions(r))).toEqual(['opt/b/new']);
  });

  it('skips hostile entries with a warning and writes nothing outside the work directory', async () => {
    const sentinel = join(root, 'escaped');
    const opts = options([probeAnalyzer()]);
    const r = await walkLayer(
      layer([
        { name: `../../../../../../..${sentinel}`, data: 'evil' },
        { name: 'opt/../../x', data: 'evil' },
        { name: 'dev/console', type: '3' },
        { name: 'opt/kmem', type: '3' },
        { name: 'opt/sparse', type: 'S', data: 'data' },
        { name: 'opt/weird', type: 'V', data: 'label' },
        { name: 'opt/ok', data: 'fine' },
      ]),
      opts,
    );
    expect(existsSync(sentinel)).toBe(false);
    expect(readdirSync(opts.workDir)).toEqual([]);
    expect(versions(r)).toEqual({ 'opt/ok': 'fine' });
    expect(r.warnings).toEqual([
      expect.stringMatching(/^entry ".*escaped" points outside the image root; skipped$/),
      'entry "opt/../../x" points outside the image root; skipped',
      'device file opt/kmem skipped',
      'sparse file opt/sparse skipped (sparse entries are not analyzed)',
      "entry opt/weird has unsupported tar type 'V'; skipped",
    ]);
  });

  it('gives hard links their target content, reading the layer a second time only for them', async () => {
    const l = layer([
      { name: 'usr/lib/real', data: 'from-target' },
      { name: 'opt/link', type: '1', linkname: 'usr/lib/real' },
      { name: 'opt/dangling', type: '1', linkname: 'usr/lib/in-a-lower-layer' },
    ]);
    const r = await walkLayer(l, options([probeAnalyzer()]));
    expect(versions(r)).toEqual({ 'opt/link': 'from-target' });
    expect(l.opens).toBe(2);
    const plain = layer([{ name: 'opt/a', data: '1' }]);
    await walkLayer(plain, options([probeAnalyzer()]));
    expect(plain.opens).toBe(1);
  });

  it('spools big files to the work directory and removes them; read() refuses files over the limit, readAt serves them', async () => {
    const opts = options([probeAnalyzer({ readAt: true })], { memoryFileBytes: 1024, maxReadBytes: 100_000 });
    const big = layer([
      { name: 'opt/big', data: `7${' '.repeat(50_000)}` },
      { name: 'opt/huge', data: `8${' '.repeat(200_000)}` },
    ]);
    const r = await walkLayer(big, opts);
    expect(versions(r)).toEqual({ 'opt/big': '7', 'opt/huge': '8' });
    expect(readdirSync(opts.workDir)).toEqual([]);
    const whole = await walkLayer(big, { ...opts, analyzers: [probeAnalyzer()] });
    expect(versions(whole)).toEqual({ 'opt/big': '7' });
    expect(whole.warnings).toEqual([
      'opt/huge: analyzer probe failed: 200001 bytes is too large to read whole (limit 100000); read it with readAt',
    ]);
  });

  it('turns an analyzer failure into a warning', async () => {
    const broken: Analyzer = {
      ...probeAnalyzer(),
      name: 'broken',
      analyze: async () => Promise.reject(new Error('boom')),
    };
    const r = await walkLayer(layer([{ name: 'opt/a', data: '1' }]), options([broken, probeAnalyzer()]));
    expect(r.warnings).toEqual(['opt/a: analyzer broken failed: boom']);
    expect(versions(r)).toEqual({ 'opt/a': '1' });
  });

  it('refuses a layer whose content does not match its diffID, and a corrupt or oversized layer', async () => {
    await expect(
      walkLayer(layer([{ name: 'opt/a', data: '1' }], { diffId: sha256('other') }), options([])),
    ).rejects.toThrow(/layer content \(diffID\) does not match its digest/);
    const truncated: LayerBlob = {
      diffId: sha256('x'),
      open: async () =>
        Readable.from([gzipSync(tarArchive([{ name: 'a', data: randomBytes(5000) }])).subarray(0, 1000)]),
    };
    await expect(walkLayer(truncated, options([]))).rejects.toThrow(/unexpected end of file/);
    await expect(
      walkLayer(layer([{ name: 'a', data: 'x'.repeat(100_000) }]), options([], { maxLayerBytes: 50_000 })),
    ).rejects.toThrow(/decompressed data exceeds the limit of 50000 bytes/);
    await expect(walkLayer(layer([{ name: 'a', declaredSize: 2 ** 40 }]), options([]))).rejects.toThrow(
      /entry "a" at offset 0 declares 1099511627776 bytes, over the limit/,
    );
  });

  it('closes the layer file when a walk stops early', async () => {
    const bad = join(root, 'bad-layer.gz');
    const tar = tarArchive([
      { name: 'a', data: randomBytes(300_000) },
      { name: 'b', data: 'x', badChecksum: true },
      { name: 'c', data: randomBytes(300_000) },
    ]);
    writeFileSync(bad, gzipSync(tar));
    const blob: LayerBlob = {
      diffId: sha256(tar),
      open: async () => createReadStream(bad, { highWaterMark: 1024 }),
    };
    const before = readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 30; i++)
      await expect(walkLayer(blob, options([]))).rejects.toThrow(/checksum mismatch/);
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync('/proc/self/fd').length).toBeLessThan(before + 5);
  });

  it('keeps at most 100 warnings per layer and counts the rest', async () => {
    const entries = Array.from({ length: 150 }, (_, i) => ({ name: `../x${i}`, data: '' }));
    const r = await walkLayer(layer(entries), options([]));
    expect(r.warnings).toHaveLength(101);
    expect(r.warnings.at(-1)).toBe('... and 50 more warnings');
  });
});

describe('walkDirectoryTree', () => {
  function tree(): string {
    const dir = mkdtempSync(join(root, 'tree-'));
    const files: [string, string][] = [
      ['opt/a', '1'],
      ['opt/.git/config', 'secret'],
      ['opt/sub/b', '2'],
      ['proc/opt/x', 'nope'],
    ];
    for (const [p, c] of files) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), c);
    }
    symlinkSync('/etc/passwd', join(dir, 'opt/escape'));
    symlinkSync('../../../../../../etc', join(dir, 'opt/etc-dir'));
    return dir;
  }

  it('walks a source tree without following symlinks, skipping .git', async () => {
    const probe = probeAnalyzer({ paths: ['proc/opt/x'] });
    const r = await walkDirectoryTree(tree(), 'fs', { ...options([probe]), mode: 'fs' });
    expect(versions(r)).toEqual({ 'opt/a': '1', 'opt/sub/b': '2', 'proc/opt/x': 'nope' });
  });

  it('walks a root filesystem skipping /proc, /sys and /dev', async () => {
    const probe = probeAnalyzer({ paths: ['proc/opt/x'] });
    const r = await walkDirectoryTree(tree(), 'rootfs', { ...options([probe]), mode: 'rootfs' });
    expect(Object.keys(versions(r)).sort()).toEqual(['opt/.git/config', 'opt/a', 'opt/sub/b']);
  });

  it.skipIf(needs('root'))('skips pseudo file systems mounted inside a root filesystem', async () => {
    const dir = tree();
    const mnt = join(dir, 'mnt', 'proc-again');
    mkdirSync(mnt, { recursive: true });
    execFileSync('mount', ['-t', 'proc', 'proc', mnt]);
    try {
      const probe = probeAnalyzer({ paths: ['mnt/proc-again/version'] });
      const r = await walkDirectoryTree(dir, 'rootfs', { ...options([probe]), mode: 'rootfs' });
      expect(probe.seen).not.toContain('mnt/proc-again/version');
      expect(Object.keys(versions(r))).toContain('opt/a');
      expect(existsSync(join(mnt, 'version'))).toBe(true);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('scans a single file when asked to', async () => {
    const dir = tree();
    const r = await walkDirectoryTree(dir, 'fs', { ...options([probeAnalyzer()]), mode: 'fs' }, 'opt/a');
    expect(versions(r)).toEqual({ 'opt/a': '1' });
  });
});
