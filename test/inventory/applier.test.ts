import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnalyzerOutput } from '../../src/inventory/analyzer.js';
import { applyLayers } from '../../src/inventory/applier.js';
import { emptyLayerResult, type LayerResult } from '../../src/inventory/layer-result.js';
import type { Package } from '../../src/types.js';

const ref = (index: number) => ({ index, diffId: `sha256:${String(index).repeat(64)}` });

function deb(name: string, version: string, extra: Partial<Package> = {}): Package {
  return {
    name,
    version,
    ecosystem: 'deb',
    purl: '',
    paths: ['var/lib/dpkg/status'],
    analyzer: 'dpkg',
    arch: 'amd64',
    ...extra,
  };
}

function layerWith(parts: Partial<LayerResult> & { files?: Record<string, AnalyzerOutput> }): LayerResult {
  const r = { ...emptyLayerResult(), ...parts };
  for (const [path, output] of Object.entries(parts.files ?? {})) {
    r.paths.push(path);
    r.analyses.push({ path, analyzer: output.os ? 'os-release' : 'dpkg', output });
  }
  return r;
}

const apply = (layers: LayerResult[]) =>
  applyLayers(
    layers.map((result, i) => ({ ref: ref(i), result })),
    ['os-release', 'dpkg'],
  );
const summary = (pkgs: Package[]) => pkgs.map((p) => `${p.name}@${p.version}#${p.layer?.index}`);

describe('applyLayers', () => {
  const status = 'var/lib/dpkg/status';

  it('replaces a package DB rewritten upstairs; keeps each package in the layer it first appeared at that version', () => {
    const r = apply([
      layerWith({
        files: { [status]: { packages: [deb('libc6', '2.36-9'), deb('less', '590-2'), deb('gone', '1')] } },
      }),
      layerWith({
        files: {
          [status]: { packages: [deb('libc6', '2.36-9'), deb('less', '590-2'), deb('curl', '7.88')] },
        },
      }),
      layerWith({
        files: {
          [status]: { packages: [deb('libc6', '2.36-9+deb12u4'), deb('less', '590-2'), deb('curl', '7.88')] },
        },
      }),
    ]);
    expect(summary(r.packages)).toEqual(['curl@7.88#1', 'less@590-2#0', 'libc6@2.36-9+deb12u4#2']);
  });

  it('forgets what an upper layer deletes, hides behind an opaque directory, or replaces with a non-file', () => {
    const withDb = (name: string) => layerWith({ files: { [status]: { packages: [deb(name, '1')] } } });
    expect(apply([withDb('a'), layerWith({ whiteouts: [status] })]).packages).toEqual([]);
    expect(apply([withDb('a'), layerWith({ whiteouts: ['var/lib'] })]).packages).toEqual([]);
    expect(apply([withDb('a'), layerWith({ opaqueDirs: ['var/lib/dpkg'] })]).packages).toEqual([]);
    expect(apply([withDb('a'), layerWith({ paths: ['var/lib'] })]).packages).toEqual([]);
    expect(apply([withDb('a'), layerWith({ dirs: [status] })]).packages).toEqual([]);
    // Writing the parent directory again (a merge, not a replacement) keeps it.
    expect(
      summary(
        apply([withDb('a'), layerWith({ dirs: ['var/lib/dpkg'], whiteouts: ['var/lib/dpkg/statu'] })])
          .packages,
      ),
    ).toEqual(['a@1#0']);
    // An opaque directory hides only what lay below it, not what the same layer writes.
    expect(
      summary(
        apply([
          withDb('a'),
          layerWith({ opaqueDirs: ['var/lib/dpkg'], files: { [status]: { packages: [deb('b', '1')] } } }),
        ]).packages,
      ),
    ).toEqual(['b@1#1']);
  });

  it('takes the OS from the highest layer that has it, and fills purls', () => {
    const r = apply([
      layerWith({
        files: {
          'etc/os-release': { os: { family: 'debian', version: '11' } },
          [status]: { packages: [deb('less', '590-2')] },
        },
      }),
      layerWith({ files: { 'usr/lib/os-release': { os: { family: 'debian', version: '12' } } } }),
    ]);
    expect(r.os).toEqual({ family: 'debian', version: '12' });
    expect(r.packages[0]!.purl).toBe('pkg:deb/debian/less@590-2?arch=amd64&distro=debian-12');
  });

  it('fills OS package files from their file lists and marks language packages inside them as OS-owned', () => {
    const py = (path: string): Package => ({
      name: 'six',
      version: '1.16',
      ecosystem: 'pypi',
      purl: '',
      paths: [path],
      analyzer: 'python',
    });
    const r = apply([
      layerWith({
        files: {
          [status]: { packages: [deb('python3-six', '1.16-4', { arch: 'all' })] },
          'var/lib/dpkg/info/python3-six.list': {
            packageFiles: [
              {
                package: 'python3-six',
                files: ['/.', '/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA'],
              },
            ],
          },
          'usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA': {
            packages: [py('usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA')],
          },
          'usr/local/lib/python3.11/dist-packages/six-1.16.0.dist-info/METADATA': {
            packages: [py('usr/local/lib/python3.11/dist-packages/six-1.16.0.dist-info/METADATA')],
          },
        },
      }),
    ]);
    const byPath = Object.fromEntries(r.packages.map((p) => [p.paths[0], p]));
    expect(byPath[status]!.files).toEqual(['usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA']);
    expect(byPath['usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA']!.osOwned).toBe(true);
    expect(
      byPath['usr/local/lib/python3.11/dist-packages/six-1.16.0.dist-info/METADATA']!.osOwned,
    ).toBeUndefined();
  });

  it('keeps warnings from walks and from analyses that survive, prefixed with where they came from', () => {
    const r = apply([
      layerWith({
        warnings: ['device file opt/kmem skipped'],
        files: {
          'a/status': { warnings: ['line 3: no Version'] },
          'b/status': { warnings: ['hidden later'] },
          'usr/bin/app': { warnings: ['usr/bin/app: truncated Go build info'] },
        },
      }),
      layerWith({ whiteouts: ['b'] }),
    ]);
    expect(r.warnings).toEqual([
      `layer 1 (${ref(0).diffId.slice(0, 19)}): device file opt/kmem skipped`,
      'a/status: line 3: no Version',
      // A warning that already names its file is not prefixed again.
      'usr/bin/app: truncated Go build info',
    ]);
  });

  it("keeps a configuration file's results only while the file survives, from the layer that last wrote it", () => {
    const config = (path: string, version: string): AnalyzerOutput => ({
      config: {
        kind: 'dockerfile',
        findings: [
          {
            kind: 'misconfiguration',
            ruleId: `RF-${version}`,
            severity: 'LOW',
            title: 't',
            target: path,
            location: { path, line: 1 },
            references: [],
            status: 'open',
          },
        ],
        errors: version === 'bad' ? [{ path, kind: 'dockerfile', message: 'malformed' }] : [],
      },
    });
    const withConfig = (parts: Partial<LayerResult>, files: Record<string, AnalyzerOutput>): LayerResult => {
      const r = layerWith(parts);
      for (const [path, output] of Object.entries(files)) {
        r.paths.push(path);
        r.analyses.push({ path, analyzer: 'config-files', output });
      }
      return r;
    };
    const r = apply([
      withConfig(
        {},
        {
          'app/Dockerfile': config('app/Dockerfile', 'v1'),
          'app/compose.yaml': config('app/compose.yaml', 'v1'),
          'k8s/pod.yaml': config('k8s/pod.yaml', 'bad'),
        },
      ),
      withConfig({ whiteouts: ['app/compose.yaml'] }, { 'app/Dockerfile': config('app/Dockerfile', 'v2') }),
      layerWith({ paths: ['unrelated'] }),
    ]);
    expect(r.config.files).toEqual([
      { path: 'app/Dockerfile', kind: 'dockerfile', layer: ref(1).diffId },
      { path: 'k8s/pod.yaml', kind: 'dockerfile', layer: ref(0).diffId },
    ]);
    expect(r.config.findings.map((f) => `${f.location.path} ${f.ruleId} ${f.location.layer}`)).toEqual([
      `app/Dockerfile RF-v2 ${ref(1).diffId}`,
      `k8s/pod.yaml RF-bad ${ref(0).diffId}`,
    ]);
    expect(r.config.errors).toEqual([
      { path: 'k8s/pod.yaml', kind: 'dockerfile', message: 'malformed', layer: ref(0).diffId },
    ]);
  });
});

/**
 * The applier against a model that materialises the whole file system layer by layer with
 * overlay semantics: every file the final image holds is reported, with the version it holds and
 * the lowest layer since which it has held that version.
 */
describe('applyLayers against an overlay model', () => {
  const paths = ['opt/a', 'opt/b', 'opt/d', 'opt/d/x', 'opt/d/y', 'opt/d/e/z'];
  const op = fc.oneof(
    fc.record({
      kind: fc.constant('file' as const),
      path: fc.constantFrom(...paths),
      v: fc.constantFrom('1', '2'),
    }),
    fc.record({ kind: fc.constant('dir' as const), path: fc.constantFrom('opt/d', 'opt/d/e', 'opt/a') }),
    fc.record({ kind: fc.constant('wh' as const), path: fc.constantFrom(...paths, 'opt/d/e') }),
    fc.record({ kind: fc.constant('opq' as const), path: fc.constantFrom('opt', 'opt/d', 'opt/d/e') }),
  );
  type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
  const under = (p: string, dir: string) => p.startsWith(`${dir}/`);
  const ancestors = (p: string) =>
    p
      .split('/')
      .slice(0, -1)
      .map((_, i, a) => a.slice(0, i + 1).join('/'));

  /** Drops ops a real layer could not hold together (a path both file and dir, a file above another entry...). */
  function consistent(ops: Op[]): Op[] {
    const out: Op[] = [];
    for (const o of ops) {
      const clash = out.some((p) => {
        if (p.path === o.path)
          return !(p.kind === 'dir' && o.kind === 'opq') && !(p.kind === 'opq' && o.kind === 'dir');
        const [hi, lo] = under(o.path, p.path)
          ? [p, o]
          : under(p.path, o.path)
            ? [o, p]
            : [undefined, undefined];
        return hi !== undefined && lo !== undefined && hi.kind !== 'dir' && hi.kind !== 'opq';
      });
      if (!clash) out.push(o);
    }
    return out;
  }

  type Node = { type: 'file' | 'dir'; v?: string };
  function applyModel(fs: Map<string, Node>, ops: Op[]): void {
    const drop = (pred: (p: string) => boolean) => {
      for (const p of [...fs.keys()]) if (pred(p)) fs.delete(p);
    };
    for (const o of ops) {
      if (o.kind === 'wh') drop((p) => p === o.path || under(p, o.path));
      if (o.kind === 'opq') drop((p) => under(p, o.path));
      if (o.kind === 'file') drop((p) => p === o.path || under(p, o.path));
      if (o.kind === 'dir' && fs.get(o.path)?.type === 'file') fs.delete(o.path);
      // Every entry, whiteouts included, sits in directories: a lower file in their place goes.
      for (const a of ancestors(o.path)) if (fs.get(a)?.type === 'file') fs.delete(a);
    }
    for (const o of ops) {
      if (o.kind === 'file') fs.set(o.path, { type: 'file', v: o.v });
      if (o.kind === 'dir' || o.kind === 'opq') fs.set(o.path, { type: 'dir' });
      for (const a of ancestors(o.path)) fs.set(a, { type: 'dir' });
    }
  }

  function toLayerResult(ops: Op[]): LayerResult {
    const r = emptyLayerResult();
    for (const o of ops) {
      if (o.kind === 'file') {
        r.paths.push(o.path);
        r.analyses.push({
          path: o.path,
          analyzer: 'probe',
          output: {
            packages: [
              { name: o.path, version: o.v, ecosystem: 'npm', purl: 'p', paths: [o.path], analyzer: 'probe' },
            ],
          },
        });
      } else if (o.kind === 'dir') r.dirs.push(o.path);
      else if (o.kind === 'wh') r.whiteouts.push(o.path);
      else r.opaqueDirs.push(o.path);
      if (o.kind !== 'wh') r.dirs.push(...ancestors(o.path));
    }
    return r;
  }

  it('reports exactly the files the final image holds, with version and layer', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(op, { maxLength: 6 }).map(consistent), { minLength: 1, maxLength: 6 }),
        (layers) => {
          const fs = new Map<string, Node>();
          const snapshots: Map<string, string>[] = [];
          for (const ops of layers) {
            applyModel(fs, ops);
            snapshots.push(new Map([...fs].filter(([, n]) => n.type === 'file').map(([p, n]) => [p, n.v!])));
          }
          const expected = [...snapshots.at(-1)!]
            .map(([p, v]) => {
              let since = snapshots.length - 1;
              while (since > 0 && snapshots[since - 1]!.get(p) === v) since--;
              return `${p}@${v}#${since}`;
            })
            .sort();
          const got = applyLayers(
            layers.map((ops, i) => ({ ref: ref(i), result: toLayerResult(ops) })),
            ['probe'],
          );
          expect(got.packages.map((p) => `${p.name}@${p.version}#${p.layer?.index}`).sort()).toEqual(
            expected,
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
