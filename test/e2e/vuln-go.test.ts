import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/types.js';
import { importIntoVulnDb } from '../../src/vuln/db/update.js';
import { ringfence } from '../helpers/cli.js';
import { needs, sharedDir } from '../helpers/components.js';
import { buildImage, debianBase, saveImage } from '../helpers/images.js';
import { goVersionM, noGo } from '../inventory/lang/go/toolchain.js';

/**
 * The whole of ../shared/vulndata (Go, PyPI and crates.io OSV records) imported through the
 * database API, and a real Debian image whose Go programs come from Debian packages (runc in
 * the base layer, docker-registry installed in an upper one) scanned with `ringfence image`.
 * Oracles: `go version -m` on the binaries copied out of the image, and an evaluation of every
 * stdlib record of the Go vulnerability database written here from its JSON, independent of
 * the matcher: the findings are exactly the records whose ranges include the Go version.
 */

const shared = sharedDir();
const BINARIES = ['usr/sbin/runc', 'usr/bin/docker-registry'];

const packageName = (f: Finding) => (f.details?.package as { name?: string } | undefined)?.name;

interface OsvRecord {
  id: string;
  withdrawn?: string;
  aliases?: string[];
  affected?: { package: { name: string }; ranges?: { type: string; events: Record<string, string>[] }[] }[];
}

/** Go's versions as the vulndb writes them: 1.19.8, 1.21.0-0, 1.21.0-rc.4 (pre-releases sort first). */
function goCompare(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.split('-', 2) as [string, string | undefined];
    return { nums: core.split('.').map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++)
    if ((x.nums[i] ?? 0) !== (y.nums[i] ?? 0)) return (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre.localeCompare(y.pre, 'en', { numeric: true });
}

/** The stdlib records whose introduced/fixed pairs include `version`, with the fix of that pair. */
function stdlibOracle(records: OsvRecord[], version: string): Map<string, string> {
  const hits = new Map<string, string>();
  for (const r of records) {
    if (r.withdrawn) continue;
    for (const a of r.affected ?? []) {
      if (a.package.name !== 'stdlib') continue;
      for (const range of a.ranges ?? []) {
        let introduced: string | undefined;
        for (const e of range.events) {
          if (e.introduced !== undefined) introduced = e.introduced;
          else if (e.fixed !== undefined && introduced !== undefined) {
            const inside =
              (introduced === '0' || goCompare(version, introduced) >= 0) && goCompare(version, e.fixed) < 0;
            if (inside) hits.set(r.id, e.fixed);
            introduced = undefined;
          }
        }
      }
    }
  }
  return hits;
}

describe.skipIf(!shared || needs('docker', 'mmdebstrap') || noGo())(
  'Go programs shipped by Debian packages, matched against the Go vulnerability database',
  () => {
    let work: string;
    let image: string;
    let findings: Finding[];
    let records: OsvRecord[];
    const goVersions = new Map<string, string>();

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'rf-e2e-vuln-go-'));
      const osv = join(shared as string, 'vulndata', 'osv');
      const imported = await importIntoVulnDb(
        ['Go', 'PyPI', 'crates.io'].map((e) => join(osv, e)),
        { dir: join(work, 'cache', 'db') },
      );
      expect(imported.feeds.reduce((n, f) => n + (f.records ?? 0), 0)).toBe(8118);
      records = readdirSync(join(osv, 'Go')).map((f) => JSON.parse(readFileSync(join(osv, 'Go', f), 'utf8')));

      const base = debianBase(['runc', 'libcommons-lang3-java']);
      image = buildImage(
        'vuln-go',
        [
          `FROM ${base}`,
          'RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends docker-registry >/dev/null && rm -rf /var/lib/apt/lists/*',
        ].join('\n'),
      );
      for (const path of BINARIES) {
        const copy = join(work, path.replaceAll('/', '_'));
        const bytes = execFileSync('docker', ['run', '--rm', '--entrypoint', 'cat', image, `/${path}`], {
          maxBuffer: 256 << 20,
        });
        writeFileSync(copy, bytes, { mode: 0o755 });
        goVersions.set(path, goVersionM(copy).goVersion.replace(/^go/, ''));
      }
      const result = await ringfence(
        [
          'image',
          saveImage(image, work),
          '--format',
          'json',
          '--skip-db-update',
          '--cache-dir',
          join(work, 'cache'),
        ],
        { timeoutMs: 600_000 },
      );
      expect(result.stderr).not.toMatch(/error/);
      expect(result.code).toBe(0);
      findings = JSON.parse(result.stdout).findings;
    }, 900_000);
    afterAll(() => {
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it.each(BINARIES)(
      '%s: exactly the stdlib records whose ranges include its Go version, each with that range’s fix',
      (path) => {
        const version = goVersions.get(path) as string;
        const reported = findings.filter((f) => f.location.path === path && packageName(f) === 'stdlib');
        const expected = stdlibOracle(records, version);
        expect(expected.size).toBeGreaterThan(20);
        expect(new Map(reported.map((f) => [f.ruleId, f.fix]))).toEqual(expected);
        process.stdout.write(
          `${path}: Go ${version}, ${reported.length} Go vulnerability database records\n`,
        );
        for (const f of reported) {
          expect(f.target).toBe(path);
          expect(f.details).toMatchObject({
            installedVersion: version,
            fixState: 'fixed',
            package: { osOwned: true },
          });
        }
      },
    );

    it('names records by id with their aliases, fixes and layers (runc in the base, docker-registry above)', () => {
      const at = (path: string, id: string) =>
        findings.find((f) => f.location.path === path && f.ruleId === id);
      expect(goVersions.get('usr/sbin/runc')).toBe('1.19.8');
      expect(at('usr/sbin/runc', 'GO-2023-1987')).toMatchObject({
        fix: '1.19.12',
        details: { aliases: ['CVE-2023-29409'], fixedVersions: ['1.19.12', '1.20.7', '1.21.0-rc.4'] },
      });
      expect(at('usr/sbin/runc', 'GO-2023-2102')?.fix).toBe('1.20.10');
      expect(at('usr/bin/docker-registry', 'GO-2024-2687')?.fix).toBe('1.21.9');
      // Fixed in 1.19.8 itself: not a finding.
      for (const id of ['GO-2023-1702', 'GO-2023-1703', 'GO-2023-1704', 'GO-2023-1705'])
        expect(at('usr/sbin/runc', id), id).toBeUndefined();
      const layers = (path: string) =>
        new Set(findings.filter((f) => f.location.path === path).map((f) => f.location.layer));
      expect(layers('usr/sbin/runc').size).toBe(1);
      expect([...layers('usr/bin/docker-registry')]).not.toEqual([...layers('usr/sbin/runc')]);
    });
  },
);
