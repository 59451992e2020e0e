import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../../src/inventory/analyzer.js';
import { cleanCache, createWorkDir, LayerCache, layerCacheKey } from '../../src/inventory/cache.js';
import { emptyLayerResult } from '../../src/inventory/layer-result.js';
import { type ScanProgress, scanSource } from '../../src/inventory/scan.js';
import { dockerArchiveFiles, filesToTar } from '../image/helpers/archives.js';
import { tarArchive } from '../image/helpers/tar-writer.js';
import { probeAnalyzer } from './probe.js';

const root = mkdtempSync(join(tmpdir(), 'rf-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => mkdtempSync(join(root, `c${n++}-`));
const D = `sha256:${'1'.repeat(64)}`;

describe('layer cache', () => {
  const a: Analyzer = probeAnalyzer();
  const b: Analyzer = { ...probeAnalyzer(), name: 'other' };

  it('keys on diffID, scan mode and every analyzer name@version, in any order', () => {
    const k = layerCacheKey(D, 'image', [a, b]);
    expect(layerCacheKey(D, 'image', [b, a])).toBe(k);
    expect(layerCacheKey(`sha256:${'2'.repeat(64)}`, 'image', [a, b])).not.toBe(k);
    expect(layerCacheKey(D, 'rootfs', [a, b])).not.toBe(k);
    expect(layerCacheKey(D, 'image', [a, { ...b, version: 2 }])).not.toBe(k);
    expect(layerCacheKey(D, 'image', [a])).not.toBe(k);
  });

  it('returns what it stored; an unreadable or malformed entry is a miss that the next put replaces', async () => {
    const dir = fresh();
    const cache = new LayerCache(dir);
    const result = {
      ...emptyLayerResult(),
      paths: ['opt/a'],
      analyses: [{ path: 'opt/a', analyzer: 'probe', output: { os: { family: 'debian', version: '12' } } }],
    };
    expect(await cache.get('k1')).toBeUndefined();
    await cache.put('k1', result);
    expect(await cache.get('k1')).toEqual(result);
    writeFileSync(join(dir, 'layers', 'k1.json.gz'), 'garbage');
    expect(await cache.get('k1')).toBeUndefined();
    await cache.put('k1', result);
    expect(await cache.get('k1')).toEqual(result);
    await cache.put('k2', { ...result, paths: 'nope' } as never);
    expect(await cache.get('k2')).toBeUndefined();
    expect(readdirSync(join(dir, 'layers')).sort()).toEqual(['k1.json.gz', 'k2.json.gz']);
  });

  it('`clean` removes the scan cache, `clean --all` everything, and neither touches an untagged directory', async () => {
    const dir = fresh();
    await new LayerCache(dir).put('k', emptyLayerResult());
    const work = await createWorkDir(dir);
    writeFileSync(join(work.path, 'spool'), 'x');
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'db', 'ringfence.db'), 'vulnerability data');
    expect(await cleanCache(dir)).toEqual({ entries: 2, bytes: expect.any(Number) });
    expect(readdirSync(dir).sort()).toEqual(['CACHEDIR.TAG', 'db']);
    expect(await cleanCache(dir, { all: true })).toEqual({ entries: 1, bytes: 18 });
    expect(readdirSync(dir)).toEqual(['CACHEDIR.TAG']);
    expect(await cleanCache(join(dir, 'missing'), { all: true })).toEqual({ entries: 0, bytes: 0 });
    const home = fresh();
    mkdirSync(join(home, 'layers'));
    mkdirSync(join(home, 'Documents'));
    await expect(cleanCache(home)).rejects.toThrow(
      /not a cache directory \(it has no CACHEDIR.TAG\); not touching it/,
    );
    await expect(cleanCache(home, { all: true })).rejects.toThrow(/not a cache directory/);
    expect(readdirSync(home).sort()).toEqual(['Documents', 'layers']);
    const onlyDb = fresh();
    mkdirSync(join(onlyDb, 'db'));
    expect(await cleanCache(onlyDb)).toEqual({ entries: 0, bytes: 0 });
  });
});

describe('scanSource with the layer cache', () => {
  const base = tarArchive([
    { name: 'opt/base', data: '1' },
    { name: 'opt/keep', data: '1' },
  ]);
  const mid = tarArchive([{ name: 'opt/keep', data: '2' }]);
  const top = tarArchive([
    { name: 'opt/.wh.base', data: '' },
    { name: 'opt/top', data: '3' },
  ]);
  const archive = (layers: Buffer[]) => {
    const p = join(fresh(), 'img.tar');
    writeFileSync(
      p,
      filesToTar(
        dockerArchiveFiles(
          { layers: layers.map((tar, i) => ({ tar, createdBy: `RUN ${i}` })), emptyHistoryBefore: [1] },
          { legacy: true },
        ),
      ),
    );
    return p;
  };

  async function scan(path: string, cacheRoot: string, analyzer: Analyzer) {
    const events: ScanProgress[] = [];
    const inventory = await scanSource(path, {
      cacheRoot,
      analyzers: [analyzer],
      onProgress: (e) => events.push(e),
    });
    const layers = events.filter((e) => e.type === 'layer');
    return { inventory, cached: layers.map((e) => e.type === 'layer' && e.cached) };
  }

  it('reads only the layers it has not seen, and everything again when an analyzer changes', async () => {
    const cacheRoot = fresh();
    const first = probeAnalyzer();
    const one = await scan(archive([base, mid]), cacheRoot, first);
    expect(one.cached).toEqual([false, false]);
    expect(first.seen).toEqual(['opt/base', 'opt/keep', 'opt/keep']);

    const second = probeAnalyzer();
    const two = await scan(archive([base, mid, top]), cacheRoot, second);
    expect(two.cached).toEqual([true, true, false]);
    expect(second.seen).toEqual(['opt/top']);
    expect(two.inventory.packages.map((p) => `${p.name}@${p.version}#${p.layer?.index}`)).toEqual([
      'opt/keep@2#1',
      'opt/top@3#2',
    ]);
    expect(two.inventory.layers.map((l) => l.createdBy)).toEqual(['RUN 0', 'RUN 1', 'RUN 2']);

    const bumped = probeAnalyzer({ version: 2 });
    expect((await scan(archive([base, mid, top]), cacheRoot, bumped)).cached).toEqual([false, false, false]);
  });

  it('rewrites a corrupt entry and leaves no scratch files behind', async () => {
    const cacheRoot = fresh();
    const img = archive([base]);
    await scan(img, cacheRoot, probeAnalyzer());
    const [entry] = readdirSync(join(cacheRoot, 'layers'));
    writeFileSync(join(cacheRoot, 'layers', entry!), Buffer.from([0x1f, 0x8b, 0, 1, 2]));
    expect((await scan(img, cacheRoot, probeAnalyzer())).cached).toEqual([false]);
    expect((await scan(img, cacheRoot, probeAnalyzer())).cached).toEqual([true]);
    expect(readdirSync(join(cacheRoot, 'tmp'))).toEqual([]);
  });

  it('still scans when the cache directory cannot be written', async () => {
    const blocked = join(fresh(), 'file-not-dir');
    writeFileSync(blocked, 'x');
    const inv = await scanSource(archive([base]), {
      cacheRoot: join(blocked, 'cache'),
      analyzers: [probeAnalyzer()],
    });
    expect(inv.packages.map((p) => p.name)).toEqual(['opt/base', 'opt/keep']);
  });

  it('can be turned off', async () => {
    const cacheRoot = fresh();
    const img = archive([base]);
    await scanSource(img, { cacheRoot, cache: false, analyzers: [probeAnalyzer()] });
    expect(readdirSync(cacheRoot).sort()).toEqual(['CACHEDIR.TAG', 'tmp']);
  });
});
