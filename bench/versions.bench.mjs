// Version comparison (dist/vuln/versions): 100,000 compare() calls per scheme, the load a scan of
// 2,000 packages puts on the matcher, over pairs drawn from the scheme's corpus versions in
// ../shared/corpora/versions. The floor is a plain string comparison of the same pairs in the
// same run, rounds interleaved with the scheme's. "first pass" is the first round (JIT and parse
// cache cold), "warm" the best of the next 9.
import { existsSync, readFileSync } from 'node:fs';
import { schemes } from '../dist/vuln/versions/index.js';

const CALLS = 100_000;
const ROUNDS = 9;
const dir = new URL('../../shared/corpora/versions/', import.meta.url).pathname;
if (!existsSync(dir)) {
  console.log(`SKIP: ${dir} is absent (the corpora supply the versions to compare)`);
  process.exit(0);
}

const CORPORA = {
  dpkg: ['debian-versions-generated.txt'],
  rpm: ['redhat-versions.txt', 'rpmvercmp.txt'],
  apk: ['alpine-versions-generated.txt'],
  semver: ['semver-versions.txt'],
  npm: ['semver-versions.txt'],
  go: ['semver-versions.txt'],
  cargo: ['semver-versions.txt'],
  pep440: ['pypi-versions-generated.txt'],
  maven: ['maven-versions-generated.txt'],
  nuget: ['nuget-versions.txt'],
  rubygems: ['rubygems-versions-generated.txt'],
  composer: ['packagist-versions-generated.txt'],
  pub: ['pub-versions.txt'],
  cran: ['cran-versions-generated.txt'],
  hackage: ['hackage-versions.txt'],
};

function versionsOf(files) {
  const out = new Set();
  for (const f of files)
    for (const line of readFileSync(dir + f, 'utf8').split('\n')) {
      const p = line.split(' ');
      if (p.length === 3 && !line.startsWith('#') && !line.startsWith('//')) out.add(p[0]).add(p[2]);
    }
  return [...out];
}

/** Deterministic pairs: a small LCG so every run compares the same strings. */
function pairsOf(versions) {
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % versions.length;
  };
  const a = new Array(CALLS);
  const b = new Array(CALLS);
  for (let i = 0; i < CALLS; i++) {
    a[i] = versions[next()];
    b[i] = versions[next()];
  }
  return [a, b];
}

function time(fn) {
  const t = process.hrtime.bigint();
  const sink = fn();
  return [Number(process.hrtime.bigint() - t) / 1e6, sink];
}

/** Best of ROUNDS for each function, run alternately so that both see the same machine load. */
function bestInterleaved(f, g) {
  let minF = Number.POSITIVE_INFINITY;
  let minG = Number.POSITIVE_INFINITY;
  for (let i = 0; i < ROUNDS; i++) {
    globalThis.gc?.();
    minF = Math.min(minF, time(f)[0]);
    globalThis.gc?.();
    minG = Math.min(minG, time(g)[0]);
  }
  return [minF, minG];
}

const plain = (x, y) => (x < y ? -1 : x > y ? 1 : 0);

console.log(`| scheme | distinct versions | first pass | warm | per call | floor | warm / floor |`);
console.log(`|---|---|---|---|---|---|---|`);
for (const scheme of schemes) {
  const versions = versionsOf(CORPORA[scheme.name]);
  const [a, b] = pairsOf(versions);
  // Copies, so that neither side can win by identity of the string objects.
  const b2 = b.map((s) => `${s} `.slice(0, -1));
  const run = (cmp) => () => {
    let s = 0;
    for (let i = 0; i < CALLS; i++) s += cmp(a[i], b2[i]);
    return s;
  };
  const [first] = time(run(scheme.compare));
  const [warm, floor] = bestInterleaved(run(scheme.compare), run(plain));
  console.log(
    `| ${scheme.name} | ${versions.length} | ${first.toFixed(1)} ms | ${warm.toFixed(1)} ms | ${((warm * 1e6) / CALLS).toFixed(0)} ns | ${floor.toFixed(1)} ms | ${(warm / floor).toFixed(1)}× |`,
  );
}
