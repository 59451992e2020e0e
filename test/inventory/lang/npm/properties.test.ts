import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  npmLockAnalyzer,
  npmPackageAnalyzer,
  pnpmLockAnalyzer,
  yarnLockAnalyzer,
} from '../../../../src/inventory/lang/npm/analyzers.js';
import { checkAnalyzer, mutated } from '../fuzz.js';

/** Small samples in each tool's real output format; the fuzzers damage them. */
const PACKAGE_JSON = `{"name":"@s/a","version":"1.0.0","license":"MIT","licenses":[{"type":"ISC"}]}`;
const LOCK_V3 = `{"name":"p","lockfileVersion":3,"requires":true,"packages":{"":{"name":"p","version":"1.0.0"},
"node_modules/debug":{"version":"2.6.9","license":"MIT","dependencies":{"ms":"2.0.0"}},
"node_modules/debug/node_modules/ms":{"version":"2.0.0","dev":true},
"node_modules/str-alias":{"name":"left-pad","version":"1.3.0"},"node_modules/ws":{"resolved":"ws","link":true}}}`;
const LOCK_V1 = `{"lockfileVersion":1,"dependencies":{"debug":{"version":"2.6.9","requires":{"ms":"2.0.0"},
"dependencies":{"ms":{"version":"2.0.0"}}},"str-alias":{"version":"npm:left-pad@1.3.0","dev":true}}}`;
const YARN1 = `# yarn lockfile v1


"@sindresorhus/is@4.6.0":
  version "4.6.0"
  resolved "https://registry.npmjs.org/@sindresorhus/is/-/is-4.6.0.tgz#3c7c9c46e678feefe7a2e5bb609d3dbd665ffb3f"

debug@2.6.9:
  version "2.6.9"
  dependencies:
    ms "2.0.0"

"str-alias@npm:left-pad@1.3.0":
  version "1.3.0"
`;
const YARN4 = `__metadata:
  version: 10
  cacheKey: 10c0

"debug@npm:2.6.9":
  version: 2.6.9
  resolution: "debug@npm:2.6.9"
  dependencies:
    ms: "npm:2.0.0"
  languageName: node
  linkType: hard

"p1@workspace:.":
  version: 0.0.0-use.local
  resolution: "p1@workspace:."
`;
const PNPM9 = `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      debug:
        specifier: 2.6.9
        version: 2.6.9
    devDependencies:
      is-number:
        specifier: 7.0.0
        version: 7.0.0

packages:

  debug@2.6.9:
    resolution: {integrity: sha512-bC7E}

  is-number@7.0.0:
    resolution: {integrity: sha512-41Ci}

  ms@2.0.0:
    resolution: {integrity: sha512-Tpp6}

snapshots:

  debug@2.6.9:
    dependencies:
      ms: 2.0.0

  is-number@7.0.0: {}

  ms@2.0.0: {}
`;
const PNPM5 = `lockfileVersion: 5.4

packages:

  /@sindresorhus/is/4.6.0:
    resolution: {integrity: sha512-t09v}
    dev: false

  /debug/2.6.9_supports-color@5.5.0:
    dependencies:
      ms: 2.0.0
    dev: true
`;

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json());
/** Text made of YAML's structural pieces: reaches the lockfile reader's corners faster than random text. */
const yamlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ...['  ', '    ', '- ', ': ', ':', '{', '}', '[', ']', ',', "'", '"', '|', '>-', '|+', '#', '\n'],
      ),
      fc.constantFrom(
        ...['---\n', "lockfileVersion: '9.0'\n", 'packages:\n', 'snapshots:\n', 'importers:\n'],
      ),
      fc.constantFrom(
        ...['/a/1.0.0', 'a@1.0.0(b@2)', '__metadata:\n', 'resolution: ', 'version: ', '&a ', '*a', '\t', '@'],
      ),
      fc.string({ maxLength: 3 }),
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

describe('npm analyzers never crash on damaged input', () => {
  it('installed package.json', () =>
    checkAnalyzer(
      npmPackageAnalyzer,
      'node_modules/a/package.json',
      fc.oneof(anyText, mutated(PACKAGE_JSON)),
    ));
  it('package-lock.json', () =>
    checkAnalyzer(
      npmLockAnalyzer,
      'package-lock.json',
      fc.oneof(anyText, mutated(LOCK_V3), mutated(LOCK_V1)),
    ));
  it('package-lock.json with arbitrary JSON values in every slot', () =>
    checkAnalyzer(
      npmLockAnalyzer,
      'package-lock.json',
      fc
        .record({
          packages: fc.dictionary(fc.string(), fc.jsonValue()),
          dependencies: fc.dictionary(fc.string(), fc.jsonValue()),
        })
        .map((lock) => JSON.stringify(lock)),
    ));
  it('yarn.lock', () =>
    checkAnalyzer(
      yarnLockAnalyzer,
      'yarn.lock',
      fc.oneof(anyText, yamlish, mutated(YARN1), mutated(YARN4)),
      2000,
    ));
  it('pnpm-lock.yaml', () =>
    checkAnalyzer(
      pnpmLockAnalyzer,
      'pnpm-lock.yaml',
      fc.oneof(anyText, yamlish, mutated(PNPM9), mutated(PNPM5)),
      2000,
    ));
});
