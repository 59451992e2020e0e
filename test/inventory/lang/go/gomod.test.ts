import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { goModPackages, parseGoMod } from '../../../../src/inventory/lang/go/gomod.js';
import { noGo } from './toolchain.js';

interface EditJson {
  Module?: { Path: string };
  Go?: string;
  Require?: { Path: string; Version: string; Indirect?: boolean }[];
  Replace?: { Old: { Path: string; Version?: string }; New: { Path: string; Version?: string } }[];
}

const dir = mkdtempSync(join(tmpdir(), 'rf-gomod-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `go mod edit -json`: the go command's own reading of a go.mod. */
function oracle(text: string): EditJson {
  const path = join(dir, 'go.mod');
  writeFileSync(path, text);
  const json = JSON.parse(execFileSync('go', ['mod', 'edit', '-json', path], { encoding: 'utf8' }));
  return Object.fromEntries(
    Object.entries(json).filter(([k, v]) => v !== null && ['Module', 'Go', 'Require', 'Replace'].includes(k)),
  );
}

function ours(text: string): EditJson {
  const mod = parseGoMod(text);
  expect(mod.problems).toEqual([]);
  const target = (t: { path: string; version?: string }) =>
    t.version ? { Path: t.path, Version: t.version } : { Path: t.path };
  const out: EditJson = {};
  if (mod.module) out.Module = { Path: mod.module };
  if (mod.go) out.Go = mod.go;
  if (mod.requires.length)
    out.Require = mod.requires.map((r) =>
      r.indirect
        ? { Path: r.path, Version: r.version, Indirect: true }
        : { Path: r.path, Version: r.version },
    );
  if (mod.replaces.length)
    out.Replace = mod.replaces.map((r) => ({ Old: target(r.old), New: target(r.new) }));
  return out;
}

// Go rejects a last element like v0 or v2 (a major-version suffix that does not fit).
const path = fc
  .stringMatching(/^[a-z]{1,8}\.(com|io|org)\/[a-z][a-z0-9-]{0,8}$/)
  .filter((p) => !/\/v\d+$/.test(p));
const version = fc.tuple(fc.nat(1), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `v${a}.${b}.${c}`);
const quoted = (p: string, q: boolean) => (q ? `"${p}"` : p);

const goModArb = fc
  .record({
    module: path,
    requires: fc.uniqueArray(fc.record({ path, version, indirect: fc.boolean(), quote: fc.boolean() }), {
      selector: (r) => r.path,
      maxLength: 6,
    }),
    replaces: fc.uniqueArray(
      fc.record({
        old: path,
        oldVersion: fc.option(version, { nil: undefined }),
        target: fc.oneof(
          fc.record({ path, version: version.map((v): string | undefined => v) }),
          fc.constantFrom('../local', './vendor/x', '/abs/dir').map((p) => ({ path: p, version: undefined })),
        ),
      }),
      { selector: (r) => `${r.old}@${r.oldVersion}`, maxLength: 4 },
    ),
    block: fc.boolean(),
    comments: fc.boolean(),
  })
  .map((m) => {
    const req = m.requires.map(
      (r) =>
        `${quoted(r.path, r.quote)} ${r.version}${r.indirect ? ' // indirect' : m.comments ? ' // why' : ''}`,
    );
    const rep = m.replaces.map(
      (r) =>
        `${r.old}${r.oldVersion ? ` ${r.oldVersion}` : ''} => ${r.target.path}${r.target.version ? ` ${r.target.version}` : ''}`,
    );
    const section = (verb: string, lines: string[]) =>
      m.block
        ? `${verb} (\n${lines.map((l) => `\t${l}\n`).join('')})\n`
        : lines.map((l) => `${verb} ${l}\n`).join('');
    return `${m.comments ? '// a comment\n' : ''}module ${m.module}\n\ngo 1.19\n\n${section('require', req)}\n${section('replace', rep)}`;
  });

describe('go.mod parser', () => {
  it.skipIf(noGo())('reads go.mod files as `go mod edit -json` does', () => {
    fc.assert(
      fc.property(goModArb, (text) => {
        expect(ours(text)).toEqual(oracle(text));
      }),
      { numRuns: 40 },
    );
  });

  it.skipIf(noGo())('reads a hand-written go.mod with every form as `go mod edit -json` does', () => {
    const text = `// Main module
module "example.com/app" // quoted

go 1.21

require (
	github.com/a/b v1.2.3
	github.com/c/d v0.0.0-20230101120000-abcdef123456 // indirect
	"github.com/e/f" v2.0.0+incompatible // indirect; used by tests
)
require golang.org/x/text v0.14.0
require ()

exclude github.com/a/b v1.2.2

replace (
	github.com/a/b => github.com/fork/b v1.2.4
	github.com/c/d v0.0.0-20230101120000-abcdef123456 => ../d
)

retract [v1.0.0, v1.0.5]
`;
    expect(ours(text)).toEqual(oracle(text));
    expect(goModPackages(parseGoMod(text))).toEqual([
      { name: 'github.com/fork/b', version: 'v1.2.4', indirect: false },
      { name: 'github.com/c/d', version: '(devel)', indirect: true },
      { name: 'github.com/e/f', version: 'v2.0.0+incompatible', indirect: true },
      { name: 'golang.org/x/text', version: 'v0.14.0', indirect: false },
    ]);
  });

  it('skips directives newer than the oracle', () => {
    const mod = parseGoMod(
      'module m\ngo 1.22\ntoolchain go1.22.1\ngodebug default=go1.21\ntool example.com/t\n',
    );
    expect(mod).toEqual({ module: 'm', go: '1.22', requires: [], replaces: [], problems: [] });
  });

  it('lets a version-specific replacement win over a path-wide one', () => {
    const mod = parseGoMod(`module m
require (
	a.io/x v1.0.0
	a.io/y v2.0.0
)
replace a.io/x => b.io/x v1.0.9
replace a.io/x v1.0.0 => c.io/x v1.0.1
replace a.io/y v1.0.0 => c.io/y v1.0.1
`);
    expect(goModPackages(mod)).toEqual([
      { name: 'c.io/x', version: 'v1.0.1', indirect: false },
      { name: 'a.io/y', version: 'v2.0.0', indirect: false },
    ]);
  });

  it('reports unreadable lines by number and keeps the rest', () => {
    const mod = parseGoMod(
      'module m\nrequire a.io/x\nrequire "unterminated v1\nrequire `raw` v1\nreplace a.io/y => b.io/y\nrequire b.io/z v1.0.0\nrequire (\n',
    );
    expect(mod.problems).toEqual([
      'line 2: require wants a path and a version',
      'line 3: unterminated or invalid quoted string',
      'line 4: unquoted string cannot contain a quote',
      'line 5: a replacement module needs a version',
      'require block is not closed',
    ]);
    expect(mod.requires).toEqual([{ path: 'b.io/z', version: 'v1.0.0', indirect: false }]);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        const mod = parseGoMod(text);
        expect(Array.isArray(goModPackages(mod))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
