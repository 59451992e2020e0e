import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goBinaryAnalyzer, goModAnalyzer } from '../../../../src/inventory/lang/go/analyzer.js';
import { buildElf } from '../../../util/elf-builder.js';
import { analyzeTree, ids, memoryInput } from '../analyze.js';
import { checkAnalyzer, mutated } from '../fuzz.js';
import { type GoWorkspace, goBuild, goWorkspace, noGo } from './toolchain.js';

const executable = (path: string, data: Buffer) => ({ ...memoryInput(path, data, 'image'), mode: 0o755 });

describe('Go binary analyzer', () => {
  it('wants executables of plausible size only', () => {
    const want = (size: number, mode: number) =>
      goBinaryAnalyzer.wants({ path: 'usr/bin/x', size, mode }, 'image');
    expect(want(2_000_000, 0o755)).toBe(true);
    expect(want(2_000_000, 0o644)).toBe(false);
    expect(want(10, 0o755)).toBe(false);
  });

  it('warns when the build info holds no Go version', async () => {
    const header = Buffer.alloc(64);
    header.write('\xff Go buildinf:', 0, 'latin1');
    header[14] = 8;
    header[15] = 2;
    header[32] = 4;
    header.write('rust', 33);
    const elf = buildElf({
      bits: 64,
      littleEndian: true,
      sections: [{ name: '.go.buildinfo', data: header }],
    });
    expect(await goBinaryAnalyzer.analyze(executable('usr/bin/odd', elf))).toEqual({
      warnings: ['usr/bin/odd: corrupt Go build info: "rust" is not a Go version'],
    });
  });

  it('ignores scripts and ELF files that are not Go programs', async () => {
    expect(
      await goBinaryAnalyzer.analyze(executable('usr/bin/s', Buffer.from(`#!/bin/sh\n${'#'.repeat(5000)}`))),
    ).toBe(undefined);
    expect(await goBinaryAnalyzer.analyze(executable('bin/ls', readFileSync('/bin/ls')))).toBeUndefined();
    const damagedElf = Buffer.concat([Buffer.from('\x7fELF', 'latin1'), Buffer.alloc(5000, 0xff)]);
    expect(await goBinaryAnalyzer.analyze(executable('usr/bin/d', damagedElf))).toBeUndefined();
  });

  it('warns, naming the file, when the build info is damaged', async () => {
    const header = Buffer.alloc(64);
    header.write('\xff Go buildinf:', 0, 'latin1');
    header[14] = 8;
    header[15] = 2;
    header.writeUInt16LE(0x7fff, 32); // a version string of 16,383 bytes: past the end of the file
    const elf = buildElf({
      bits: 64,
      littleEndian: true,
      sections: [{ name: '.go.buildinfo', data: header }],
    });
    expect(await goBinaryAnalyzer.analyze(executable('usr/bin/broken', elf))).toEqual({
      warnings: ['usr/bin/broken: corrupt Go build info: truncated string'],
    });
  });

  describe.skipIf(noGo())('on binaries built here', () => {
    let ws: GoWorkspace;
    let tree: string;
    beforeAll(() => {
      ws = goWorkspace(mkdtempSync(join(tmpdir(), 'rf-go-an-')));
      tree = join(ws.root, 'tree');
      mkdirSync(join(tree, 'usr/local/bin'), { recursive: true });
      copyFileSync(goBuild(ws, 'app-bin', ['-trimpath', '-ldflags=-s -w']), join(tree, 'usr/local/bin/app'));
    }, 600_000);
    afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

    it('reports stdlib, main module and dependencies as golang packages of the binary', async () => {
      const { packages, warnings } = await analyzeTree([goBinaryAnalyzer], tree, 'image');
      expect(warnings).toEqual([]);
      expect(ids(packages.filter((p) => p.name !== 'stdlib'))).toEqual([
        'example.com/alpha@v1.2.3',
        'example.com/app@(devel)',
        'example.com/beta@v0.4.0',
        'example.com/gamma-fork@v1.0.1',
        'example.com/local@(devel)',
      ]);
      expect(packages.find((p) => p.name === 'stdlib')?.version).toMatch(/^1\.\d+\.\d+$/);
      for (const p of packages) {
        expect(p).toMatchObject({ ecosystem: 'golang', paths: ['usr/local/bin/app'], analyzer: 'go-binary' });
      }
    });

    it('reads go.mod in source trees only', async () => {
      const fs = await analyzeTree([goModAnalyzer], ws.app, 'fs');
      expect(fs.warnings).toEqual([]);
      expect(ids(fs.packages)).toEqual([
        'example.com/alpha@v1.2.3',
        'example.com/beta@v0.4.0',
        'example.com/gamma-fork@v1.0.1',
        'example.com/local@(devel)',
      ]);
      expect(fs.packages[0]).toMatchObject({ ecosystem: 'golang', paths: ['go.mod'], analyzer: 'go-mod' });
      expect((await analyzeTree([goModAnalyzer], ws.app, 'image')).packages).toEqual([]);
    });

    it('survives damaged go.mod files', async () => {
      await checkAnalyzer(goModAnalyzer, 'src/go.mod', mutated(readFileSync(join(ws.app, 'go.mod'), 'utf8')));
    });
  });
});
