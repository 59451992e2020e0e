import { execFileSync, execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlerLockAnalyzer, gemspecAnalyzer } from '../../../../src/inventory/lang/ruby/analyzers.js';
import { needs } from '../../../helpers/components.js';
import { debianBase } from '../../../helpers/images.js';
import { analyzeTree, memoryInput } from '../analyze.js';
import { type LoadedGem, loadedGems } from './oracle.js';

/**
 * Real gemspecs (Ruby's default gems, bundled gems, Debian's ruby-* packages) against what
 * RubyGems itself loads from them, and a Gemfile.lock written by `bundle lock --local`
 * against Bundler's own lockfile parser.
 */
const PACKAGES = ['ruby', 'ruby-bundler', 'ruby-rack', 'ruby-rspec'];
const GEM_DIRS = [
  'usr/lib/ruby/gems',
  'usr/share/rubygems-integration',
  'usr/lib/x86_64-linux-gnu/rubygems-integration',
];

const LOCK = [
  'mkdir -p /app && cd /app',
  `printf 'source "https://rubygems.org"\\ngem "rack"\\ngem "rspec"\\ngem "rake"\\n' > Gemfile`,
  'bundle lock --local >/dev/null',
  'cat Gemfile.lock',
  'echo ---',
  `ruby -rbundler -e 'Bundler::LockfileParser.new(File.read("Gemfile.lock")).specs.each { |s| puts "#{s.name}@#{s.version}" }'`,
].join(' && ');

describe.skipIf(needs('docker', 'mmdebstrap'))('Ruby analyzers on Debian ruby packages', () => {
  let tmp: string;
  let specs: LoadedGem[];
  let lockfile: string;
  let bundlerSpecs: string[];

  beforeAll(() => {
    const image = debianBase(PACKAGES);
    tmp = mkdtempSync(join(tmpdir(), 'rf-ruby-'));
    const cid = execFileSync('docker', ['create', image, 'true'], { encoding: 'utf8' }).trim();
    try {
      execSync(`docker export ${cid} | tar -x -C ${tmp} ${GEM_DIRS.join(' ')}`, { shell: '/bin/bash' });
    } finally {
      execFileSync('docker', ['rm', cid], { stdio: 'ignore' });
    }
    const run = (script: string) =>
      execFileSync('docker', ['run', '--rm', '--network=none', image, 'sh', '-c', script], {
        encoding: 'utf8',
      });
    specs = loadedGems(image);
    [lockfile, ...bundlerSpecs] = run(LOCK).split('---\n') as [string, ...string[]];
    bundlerSpecs = bundlerSpecs.join('').trim().split('\n').sort();
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('finds every gem RubyGems loads, at its gemspec, with its licenses', async () => {
    const { packages, warnings } = await analyzeTree([gemspecAnalyzer], tmp, 'image');
    expect(warnings).toEqual([]);
    expect(specs.length).toBeGreaterThan(50);
    expect(specs.some((s) => s.path.includes('/specifications/default/'))).toBe(true);
    const found = packages.map((p) => `${p.paths[0]} ${p.name}@${p.version}`);
    const loaded = specs.map((s) => `${s.path} ${s.name}@${s.version}`);
    expect(found).toEqual(expect.arrayContaining(loaded));
    // RubyGems loads one copy of a name and version; the other copies are still installed files.
    const loadedIds = new Set(specs.map((s) => `${s.name}@${s.version}`));
    const shadowed = packages.filter((p) => !loaded.includes(`${p.paths[0]} ${p.name}@${p.version}`));
    expect(shadowed.map((p) => `${p.name}@${p.version}`)).toEqual(['rake@13.0.6']);
    expect(shadowed.every((p) => loadedIds.has(`${p.name}@${p.version}`))).toBe(true);
    const byPath = new Map(packages.map((p) => [p.paths[0], p]));
    for (const spec of specs) expect(byPath.get(spec.path)?.licenses ?? [], spec.path).toEqual(spec.licenses);
  });

  it('reads the Gemfile.lock Bundler wrote as Bundler reads it', async () => {
    const out = await bundlerLockAnalyzer.analyze(memoryInput('app/Gemfile.lock', lockfile));
    expect(bundlerSpecs.length).toBeGreaterThanOrEqual(8);
    expect((out?.packages ?? []).map((p) => `${p.name}@${p.version}`).sort()).toEqual(bundlerSpecs);
  });
});
