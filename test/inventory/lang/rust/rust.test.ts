import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cargoLockAnalyzer, rustBinaryAnalyzer } from '../../../../src/inventory/lang/rust/analyzer.js';
import { auditedCrates, readAuditData } from '../../../../src/inventory/lang/rust/audit-data.js';
import { readElf } from '../../../../src/util/elf.js';
import { UserError } from '../../../../src/util/errors.js';
import { bufferSource } from '../../../../src/util/random-access.js';
import { buildElf } from '../../../util/elf-builder.js';
import { analyzeTree, ids, memoryInput } from '../analyze.js';
import { checkAnalyzer, mutated } from '../fuzz.js';
import { cargo, cargoMetadata, cargoWorkspace, type Metadata, noCargo } from './cargo.js';

const executable = (path: string, data: Buffer) => ({ ...memoryInput(path, data, 'image'), mode: 0o755 });

/**
 * The JSON cargo-auditable (format 0) derives from `cargo metadata`, per its published schema:
 * every package reachable from the root without dev edges, "build" where only build edges
 * reach it, dependencies as indices, the root flagged.
 */
function auditJson(meta: Metadata): { packages: Record<string, unknown>[] } {
  const byId = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  const runtime = new Set<string>();
  const build = new Set<string>();
  const visit = (id: string, buildOnly: boolean) => {
    const seen = buildOnly ? build : runtime;
    if (seen.has(id) || (buildOnly && runtime.has(id))) return;
    seen.add(id);
    for (const dep of nodes.get(id)?.deps ?? []) {
      const kinds = dep.dep_kinds.map((k) => k.kind);
      if (kinds.includes(null)) visit(dep.pkg, buildOnly);
      else if (kinds.includes('build')) visit(dep.pkg, true);
    }
  };
  visit(meta.resolve.root, false);
  const ids = [...new Set([...runtime, ...build])].sort();
  return {
    packages: ids.map((id) => {
      const p = byId.get(id)!;
      const deps = (nodes.get(id)?.deps ?? []).map((d) => ids.indexOf(d.pkg)).filter((i) => i >= 0);
      return {
        name: p.name,
        version: p.version,
        source: p.source === null ? 'local' : 'crates.io',
        ...(runtime.has(id) ? {} : { kind: 'build' }),
        ...(deps.length ? { dependencies: deps } : {}),
        ...(id === meta.resolve.root ? { root: true } : {}),
      };
    }),
  };
}

function withAuditSection(elf: Buffer, data: Buffer): Buffer {
  return buildElf({
    bits: 64,
    littleEndian: true,
    sections: [
      { name: '.text', data: elf.subarray(0, 64) },
      { name: '.dep-v0', data },
    ],
  });
}

describe('Rust audit data (.dep-v0)', () => {
  it('reads the crates cargo-auditable records, build-only ones as dev', async () => {
    const json = {
      packages: [
        { name: 'app', version: '1.0.0', source: 'local', dependencies: [1, 2], root: true },
        { name: 'serde', version: '1.0.190', source: 'crates.io' },
        { name: 'cc', version: '1.0.83', source: 'crates.io', kind: 'build' },
        { name: 'forked', version: '0.1.0', source: { Other: 'sparse+https://example.com/' } },
        { name: 'broken' },
      ],
    };
    const file = withAuditSection(Buffer.alloc(64), deflateSync(JSON.stringify(json)));
    const out = await rustBinaryAnalyzer.analyze(executable('usr/bin/app', file));
    expect(out?.packages?.map((p) => [p.name, p.version, p.dev ?? false])).toEqual([
      ['app', '1.0.0', false],
      ['serde', '1.0.190', false],
      ['cc', '1.0.83', true],
      ['forked', '0.1.0', false],
    ]);
    expect(out?.warnings).toEqual(['usr/bin/app: 1 unusable entries in the audit data skipped']);
    expect(auditedCrates(json).crates[3]?.source).toBe('sparse+https://example.com/');
  });

  it('names the file when the section is damaged, and bounds decompression', async () => {
    const warn = async (data: Buffer) =>
      (await rustBinaryAnalyzer.analyze(executable('usr/bin/x', withAuditSection(Buffer.alloc(64), data))))
        ?.warnings;
    expect(await warn(Buffer.from('not zlib'))).toEqual([
      'usr/bin/x: corrupt .dep-v0 audit data: not zlib data',
    ]);
    expect(await warn(deflateSync('{"packages": ['))).toEqual([
      'usr/bin/x: corrupt .dep-v0 audit data: not JSON',
    ]);
    expect(await warn(deflateSync(Buffer.alloc(100 * 1024 * 1024, 0x20)))).toEqual([
      'usr/bin/x: corrupt .dep-v0 audit data: inflates to more than 67108864 bytes',
    ]);
  });

  it('answers anything with crates, nothing or a UserError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map(Buffer.from),
          fc.json().map((j) => deflateSync(j)),
        ),
        async (data) => {
          const file = withAuditSection(Buffer.alloc(64), data);
          try {
            const json = await readAuditData(bufferSource(file), await readElf(bufferSource(file), 'x'), 'x');
            expect(Array.isArray(auditedCrates(json).crates)).toBe(true);
          } catch (err) {
            expect(err).toBeInstanceOf(UserError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('ignores binaries without audit data', async () => {
    expect(await rustBinaryAnalyzer.analyze(executable('bin/ls', readFileSync('/bin/ls')))).toBeUndefined();
  });
});

describe.skipIf(noCargo())(
  'on a cargo workspace built here (path dependencies; crates.io is unreachable)',
  () => {
    let root: string;
    let meta: Metadata;
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'rf-cargo-'));
      cargoWorkspace(root);
      cargo(root, ['generate-lockfile']);
      cargo(root, ['build', '-q']);
      meta = cargoMetadata(root);
    }, 600_000);
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('reads Cargo.lock as cargo metadata lists the packages', async () => {
      const { packages, warnings } = await analyzeTree([cargoLockAnalyzer], root, 'fs');
      const lock = packages.filter((p) => p.paths[0] === 'Cargo.lock');
      expect(warnings).toEqual([]);
      expect(ids(lock)).toEqual(ids(meta.packages));
      expect(lock[0]).toMatchObject({ ecosystem: 'cargo', analyzer: 'cargo-lock' });
      expect((await analyzeTree([cargoLockAnalyzer], root, 'image')).packages).toEqual([]);
    });

    it('survives damaged Cargo.lock files', async () => {
      await checkAnalyzer(
        cargoLockAnalyzer,
        'Cargo.lock',
        mutated(readFileSync(join(root, 'Cargo.lock'), 'utf8')),
      );
    });

    it('reads a real rustc-built binary carrying a .dep-v0 section (added with objcopy)', async () => {
      const json = auditJson(meta);
      const tree = join(root, 'tree');
      mkdirSync(join(tree, 'usr/bin'), { recursive: true });
      writeFileSync(join(root, 'dep-v0'), deflateSync(JSON.stringify(json)));
      execFileSync('objcopy', [
        '--add-section',
        `.dep-v0=${join(root, 'dep-v0')}`,
        join(root, 'target/debug/app'),
        join(tree, 'usr/bin/app'),
      ]);
      copyFileSync(join(root, 'target/debug/app'), join(tree, 'usr/bin/plain-app'));
      const { packages, warnings } = await analyzeTree([rustBinaryAnalyzer], tree, 'image');
      expect(warnings).toEqual([]);
      expect(packages.map((p) => [p.name, p.version, p.dev ?? false, p.paths[0]]).sort()).toEqual([
        ['app', '2.5.0', false, 'usr/bin/app'],
        ['buildhelper', '1.0.0', true, 'usr/bin/app'],
        ['util', '0.3.1', false, 'usr/bin/app'],
      ]);
    });
  },
);
