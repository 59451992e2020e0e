// npm, Python, Ruby and PHP analyzers from dist/ over large lockfiles and many installed
// package files, each against a floor over the same bytes in the same run: JSON.parse for
// JSON formats, decoding to a string and splitting it into lines for the others (the least
// any reader of that format does). The files follow each tool's real output, with N packages.

import { parseAllDocuments } from 'yaml';
import {
  npmLockAnalyzer,
  npmPackageAnalyzer,
  pnpmLockAnalyzer,
  yarnLockAnalyzer,
} from '../dist/inventory/lang/npm/analyzers.js';
import { composerLockAnalyzer } from '../dist/inventory/lang/php/analyzers.js';
import {
  pipRequirementsAnalyzer,
  poetryLockAnalyzer,
  pythonPackageAnalyzer,
  uvLockAnalyzer,
} from '../dist/inventory/lang/python/analyzers.js';
import { bundlerLockAnalyzer, gemspecAnalyzer } from '../dist/inventory/lang/ruby/analyzers.js';
import { memoryInput } from './lib/input.mjs';
import { bestOf } from './lib/measure.mjs';

const ROUNDS = 5;
const best = (fn) => bestOf(ROUNDS, fn);
const N = Number(process.env.LANG_BENCH_N ?? 20_000);

const rows = [];

/** One file per entry of `files` ([path, Buffer]); the floor runs over the same buffers. */
async function report(name, analyzer, files, floor, scanMode = 'fs') {
  const analyze = async () => {
    let packages = 0;
    for (const [path, buf] of files) {
      const out = await analyzer.analyze(memoryInput(path, buf, scanMode));
      if (out?.warnings?.length) throw new Error(`${name}: ${out.warnings[0]}`);
      packages += out?.packages?.length ?? 0;
    }
    return packages;
  };
  const packages = await analyze();
  const tAnalyze = await best(analyze);
  const tFloor = await best(() => {
    for (const [, buf] of files) floor(buf);
  });
  const mib = files.reduce((n, [, b]) => n + b.length, 0) / 2 ** 20;
  const row = {
    name,
    files: files.length,
    mib: mib.toFixed(1),
    packages,
    ms: tAnalyze.toFixed(0),
    floor: tFloor.toFixed(0),
    ratio: (tAnalyze / tFloor).toFixed(1),
  };
  rows.push(row);
  console.log(
    `${name}: ${row.packages} packages in ${row.files} file(s), ${row.mib} MiB; ${row.ms} ms vs floor ${row.floor} ms = ${row.ratio}x`,
  );
}

const json = (buf) => JSON.parse(buf.toString('utf8'));
const lines = (buf) => buf.toString('utf8').split('\n').length;
const one = (path, text) => [[path, Buffer.from(text)]];
const range = (n) => Array.from({ length: n }, (_, i) => i);
const integrity =
  'sha512-t09vSN3MdfsyCHoFcTRCH/iUtG7OJ0CsjzB8cjAmKc/va/kIgeDI/TxsigdncE/4be734m0cvIYwNaV4i2XqAw==';

// package-lock.json v3: N installed packages, every fourth one nested, as npm 10 writes them.
const lockPackages = { '': { name: 'app', version: '1.0.0' } };
for (const i of range(N)) {
  const key = i % 4 === 3 ? `node_modules/pkg-${i - 1}/node_modules/dep-${i}` : `node_modules/pkg-${i}`;
  lockPackages[key] = {
    version: `1.${i % 50}.${i % 7}`,
    resolved: `https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-1.0.0.tgz`,
    integrity,
    dev: i % 5 === 0 ? true : undefined,
    license: 'MIT',
    dependencies: { [`pkg-${(i + 1) % N}`]: '^1.0.0' },
  };
}
await report(
  'package-lock.json v3',
  npmLockAnalyzer,
  one(
    'package-lock.json',
    JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages: lockPackages }, null, 2),
  ),
  json,
);

// yarn.lock (Yarn 1).
await report(
  'yarn.lock v1',
  yarnLockAnalyzer,
  one(
    'yarn.lock',
    `# yarn lockfile v1\n\n\n${range(N)
      .map(
        (i) =>
          `"@scope/pkg-${i}@^1.0.0", "@scope/pkg-${i}@^1.1.0":\n  version "1.${i % 50}.0"\n  resolved "https://registry.yarnpkg.com/@scope/pkg-${i}/-/pkg-${i}-1.0.0.tgz#abc"\n  integrity ${integrity}\n  dependencies:\n    ms "^2.1.3"\n`,
      )
      .join('\n')}`,
  ),
  lines,
);

// yarn.lock (Yarn 4).
await report(
  'yarn.lock berry',
  yarnLockAnalyzer,
  one(
    'yarn.lock',
    `__metadata:\n  version: 8\n  cacheKey: 10c0\n\n${range(N)
      .map(
        (i) =>
          `"@scope/pkg-${i}@npm:^1.0.0":\n  version: 1.${i % 50}.0\n  resolution: "@scope/pkg-${i}@npm:1.${i % 50}.0"\n  dependencies:\n    ms: "npm:^2.1.3"\n  checksum: 10c0/33b6fb1d0834ec8dd7689ddc0e2781c2bfd8b9c4e4bacbcb14111e0ae00621f2\n  languageName: node\n  linkType: hard\n`,
      )
      .join('\n')}`,
  ),
  lines,
);

// pnpm-lock.yaml v9 with snapshots, dev computed from the graph.
const pnpmLock = one(
  'pnpm-lock.yaml',
  `lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n${range(100)
    .map((i) => `      pkg-${i}:\n        specifier: ^1.0.0\n        version: 1.0.${i}\n`)
    .join('')}\npackages:\n\n${range(N)
    .map(
      (i) => `  pkg-${i}@1.0.${i}:\n    resolution: {integrity: ${integrity}}\n    engines: {node: '>=10'}\n`,
    )
    .join('\n')}\nsnapshots:\n\n${range(N)
    .map((i) => `  pkg-${i}@1.0.${i}:\n    dependencies:\n      pkg-${(i + 100) % N}: 1.0.${(i + 100) % N}\n`)
    .join('\n')}`,
);
await report('pnpm-lock.yaml v9', pnpmLockAnalyzer, pnpmLock, lines);
{
  // For scale: the general YAML parser (the yaml package) on the same file, one round.
  const [[, buf]] = pnpmLock;
  const t = process.hrtime.bigint();
  parseAllDocuments(buf.toString('utf8'), { schema: 'failsafe', uniqueKeys: false }).map((d) => d.toJS());
  console.log(
    `pnpm-lock.yaml v9 through the general YAML parser: ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(0)} ms`,
  );
}

// requirements.txt with hashes.
await report(
  'requirements.txt',
  pipRequirementsAnalyzer,
  one(
    'requirements.txt',
    range(N)
      .map(
        (i) =>
          `pkg-${i}[extra]==1.${i % 50}.0 ; python_version >= "3.8" \\\n    --hash=sha256:${'a'.repeat(64)}\n`,
      )
      .join(''),
  ),
  lines,
);

// poetry.lock (format 2.1).
await report(
  'poetry.lock',
  poetryLockAnalyzer,
  one(
    'poetry.lock',
    `${range(N / 4)
      .map(
        (i) =>
          `[[package]]\nname = "pkg-${i}"\nversion = "1.${i % 50}.0"\ndescription = "a package"\noptional = false\npython-versions = ">=3.8"\ngroups = ["main"]\nfiles = [\n    {file = "pkg_${i}-1.0.0-py3-none-any.whl", hash = "sha256:${'b'.repeat(64)}"},\n]\n\n[package.dependencies]\nidna = ">=2.5"\n`,
      )
      .join('\n')}\n[metadata]\nlock-version = "2.1"\n`,
  ),
  lines,
);

// uv.lock with a member and the dev graph.
await report(
  'uv.lock',
  uvLockAnalyzer,
  one(
    'uv.lock',
    `version = 1\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [{ name = "pkg-0" }]\n\n[package.dev-dependencies]\ndev = [{ name = "pkg-1" }]\n\n${range(
      N / 4,
    )
      .map(
        (i) =>
          `[[package]]\nname = "pkg-${i}"\nversion = "1.${i % 50}.0"\nsource = { registry = "https://pypi.org/simple" }\ndependencies = [{ name = "pkg-${(i + 2) % (N / 4)}" }]\nsdist = { url = "https://files/pkg-${i}.tar.gz", hash = "sha256:${'c'.repeat(64)}", size = 1000 }\n`,
      )
      .join('\n')}`,
  ),
  lines,
);

// Gemfile.lock.
await report(
  'Gemfile.lock',
  bundlerLockAnalyzer,
  one(
    'Gemfile.lock',
    `GEM\n  remote: https://rubygems.org/\n  specs:\n${range(N)
      .map(
        (i) =>
          `    gem-${i} (1.${i % 50}.0${i % 10 === 0 ? '-x86_64-linux' : ''})\n      dep-${i} (~> 1.0)\n`,
      )
      .join('')}\nPLATFORMS\n  x86_64-linux\n\nBUNDLED WITH\n   2.4.19\n`,
  ),
  lines,
);

// composer.lock.
await report(
  'composer.lock',
  composerLockAnalyzer,
  one(
    'composer.lock',
    JSON.stringify(
      {
        packages: range(N / 2).map((i) => ({
          name: `vendor/pkg-${i}`,
          version: `v1.${i % 50}.0`,
          dist: { type: 'zip', url: `https://api.github.com/repos/v/p/zipball/${i}`, shasum: '' },
          require: { php: '>=8.1' },
          type: 'library',
          license: ['MIT'],
        })),
        'packages-dev': [],
      },
      null,
      4,
    ),
  ),
  json,
);

// Many small installed-package files, one analyze() each: node_modules, dist-info, gemspecs.
const packageJsons = range(N / 4).map((i) => [
  `app/node_modules/pkg-${i}/package.json`,
  Buffer.from(
    JSON.stringify(
      {
        name: `pkg-${i}`,
        version: '1.0.0',
        description: 'x'.repeat(200),
        license: 'MIT',
        main: 'index.js',
        dependencies: { ms: '^2' },
      },
      null,
      2,
    ),
  ),
]);
await report('installed package.json', npmPackageAnalyzer, packageJsons, json, 'image');

const metadata = range(N / 4).map((i) => [
  `usr/lib/python3/dist-packages/pkg_${i}-1.0.dist-info/METADATA`,
  Buffer.from(
    `Metadata-Version: 2.1\nName: pkg-${i}\nVersion: 1.0\nSummary: x\nLicense: MIT\n${'Classifier: Programming Language :: Python :: 3\n'.repeat(20)}\n${'description '.repeat(300)}\n`,
  ),
]);
await report('dist-info METADATA', pythonPackageAnalyzer, metadata, lines, 'image');

const gemspecs = range(N / 4).map((i) => [
  `usr/lib/ruby/gems/3.1.0/specifications/gem-${i}-1.0.0.gemspec`,
  Buffer.from(
    `# -*- encoding: utf-8 -*-\n# stub: gem-${i} 1.0.0 ruby lib\n\nGem::Specification.new do |s|\n  s.name = "gem-${i}".freeze\n  s.version = "1.0.0"\n\n  s.require_paths = ["lib".freeze]\n  s.authors = ["A".freeze]\n  s.licenses = ["MIT".freeze]\n  s.summary = "x".freeze\n\n  s.add_runtime_dependency(%q<rack>.freeze, [">= 0"])\nend\n`,
  ),
]);
await report('gemspec', gemspecAnalyzer, gemspecs, lines, 'image');

console.log('\n| file | files | size | packages | time | floor | ratio |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.files} | ${r.mib} MiB | ${r.packages} | ${r.ms} ms | ${r.floor} ms | ${r.ratio}× |`,
  );
console.log(
  `\npeak RSS of the whole run (inputs included): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);
