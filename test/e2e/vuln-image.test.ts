import { execFileSync, execSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Package } from '../../src/types.js';
import { ringfence } from '../helpers/cli.js';
import { needs } from '../helpers/components.js';
import { buildImage, debianBase, saveImage } from '../helpers/images.js';
import { run } from '../inventory/lang/npm/realProject.js';
import { cycloneDxProblems } from '../inventory/sbom/validate.js';
import { buildVulnDb } from '../vuln/match/db-fixture.js';
import { type DebianVersions, feeds, NPM_DEPENDENCIES } from './vuln-fixtures.js';

/**
 * `ringfence image` on a real Debian image: npm packages of known-vulnerable versions installed
 * from the registry and copied in one layer, python3-requests installed with apt in another,
 * and glibc and zlib from the base. Advisories are written for them (vuln-fixtures.ts) and
 * imported with the real importers. Oracles: npm's own install, and dpkg-query in the container
 * for the binary packages built from each source package. Then what a CI job relies on: exit
 * codes, --severity, --ignore-unfixed, ignore-file expiry, --vex, SARIF against its schema, and
 * the same findings from `rootfs` on the exported filesystem and from `fs` on the project.
 */

const require = createRequire(import.meta.url);
const pkgOf = (f: Finding) => f.details?.package as Package;
const key = (f: Finding) => `${pkgOf(f).name}@${pkgOf(f).version} ${f.ruleId} ${f.fix ?? '-'}`;

interface JsonReport {
  findings: Finding[];
  suppressed: Finding[];
  warnings: string[];
  expiredIgnores: { id: string }[];
  artifact: { database: { empty: boolean } };
}

function dpkgSources(image: string): { pkg: string; source: string; version: string }[] {
  const out = execFileSync('docker', [
    'run',
    '--rm',
    '--entrypoint',
    'dpkg-query',
    image,
    '-W',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a dpkg-query format
    '-f=${Package}\t${source:Package}\t${source:Version}\n',
  ]).toString();
  return out
    .trim()
    .split('\n')
    .map((l) => {
      const [pkg, source, version] = l.split('\t') as [string, string, string];
      return { pkg, source, version };
    });
}

describe.skipIf(needs('docker', 'mmdebstrap'))(
  'ringfence image on a real Debian image with npm and Python packages',
  () => {
    let work: string;
    let cache: string;
    let archive: string;
    let image: string;
    let project: string;
    let versions: DebianVersions;
    let glibcBinaries: string[];
    let report: JsonReport;
    const scan = (args: string[], opts: { cwd?: string } = {}) =>
      ringfence(['image', archive, '--skip-db-update', '--cache-dir', cache, ...args], {
        timeoutMs: 300_000,
        ...opts,
      });
    const scanJson = async (args: string[] = [], opts: { cwd?: string } = {}) => {
      const r = await scan(['--format', 'json', ...args], opts);
      return { ...r, report: JSON.parse(r.stdout) as JsonReport };
    };

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'rf-e2e-vuln-image-'));
      cache = join(work, 'cache');
      project = join(work, 'project');
      mkdirSync(project);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'vuln-app', version: '1.0.0', private: true, dependencies: NPM_DEPENDENCIES }),
      );
      run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], project);
      const files: Record<string, Buffer> = {};
      for (const entry of readdirSync(join(project, 'node_modules'), {
        recursive: true,
        withFileTypes: true,
      }))
        if (entry.isFile()) {
          const full = join(entry.parentPath, entry.name);
          files[relative(project, full)] = readFileSync(full);
        }
      image = buildImage(
        'vuln-image',
        [
          `FROM ${debianBase(['python3-six'])}`,
          'COPY node_modules /app/node_modules',
          'RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-requests >/dev/null && rm -rf /var/lib/apt/lists/*',
        ].join('\n'),
        files,
      );
      const sources = dpkgSources(image);
      const sourceVersion = (name: string) => sources.find((s) => s.source === name)?.version as string;
      versions = { glibc: sourceVersion('glibc'), zlib: sourceVersion('zlib') };
      glibcBinaries = sources.filter((s) => s.source === 'glibc').map((s) => s.pkg);
      await buildVulnDb(work, join(cache, 'db'), feeds(versions));
      archive = saveImage(image, work);
      const first = await scanJson();
      expect(first.stderr).not.toMatch(/error/);
      expect(first.code).toBe(0);
      report = first.report;
    }, 900_000);

    afterAll(() => {
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('finds the npm packages npm installed, with the fix of the range that matched, in the COPY layer', () => {
      const npm = report.findings.filter((f) => pkgOf(f).ecosystem === 'npm');
      expect(npm.map(key).sort()).toEqual([
        'lodash@4.17.20 GHSA-29mw-wpgm-hmr9 4.17.21',
        'lodash@4.17.20 GHSA-35jh-r3h4-6jhm 4.17.21',
        'minimist@1.2.5 GHSA-xvch-5gv4-984h 1.2.6',
      ]);
      for (const f of npm) {
        expect(f.target).toBe('Node.js');
        expect(f.location.path).toBe(`app/node_modules/${pkgOf(f).name}/package.json`);
        expect(f.details?.layer).toMatchObject({ createdBy: expect.stringMatching(/COPY/) });
      }
      // debug 2.6.9 and ms 2.0.0 are exactly the fixed versions of their advisories.
      expect(report.findings.some((f) => ['debug', 'ms'].includes(pkgOf(f).name))).toBe(false);
    });

    it("leaves Debian's python3-* distributions to Debian's advisories (no PyPI findings)", () => {
      expect(report.findings.filter((f) => pkgOf(f).ecosystem === 'pypi')).toEqual([]);
    });

    it('a Debian:12 record keyed by glibc gives one finding per binary package built from it; Debian:11 none', () => {
      expect(glibcBinaries).toEqual(expect.arrayContaining(['libc6', 'libc-bin']));
      const glibc = report.findings.filter((f) => f.ruleId === 'DSA-9901-1');
      expect(glibc.map((f) => pkgOf(f).name).sort()).toEqual([...glibcBinaries].sort());
      for (const f of glibc)
        expect(f).toMatchObject({
          severity: 'CRITICAL',
          fix: `${versions.glibc}+rf1`,
          target: expect.stringMatching(/ \(debian 12(\.\d+)?\)$/),
          details: { aliases: ['CVE-2099-0001'], fixState: 'fixed', package: { source: { name: 'glibc' } } },
        });
      expect(report.findings.some((f) => f.ruleId === 'DLA-9902-1')).toBe(false);
    });

    it("carries the tracker's open zlib issue without a fix, rated by Debian's urgency", () => {
      const zlib = report.findings.filter((f) => f.ruleId === 'CVE-2099-0003');
      expect(zlib.map((f) => pkgOf(f).name)).toEqual(['zlib1g']);
      expect(zlib[0]).toMatchObject({
        severity: 'MEDIUM',
        details: { fixState: 'affected', severitySource: 'Debian' },
      });
      expect(zlib[0]?.fix).toBeUndefined();
    });

    it('orders by priority: the KEV-listed lodash advisory first', () => {
      expect(report.findings[0]).toMatchObject({
        ruleId: 'GHSA-35jh-r3h4-6jhm',
        details: { kev: { cve: 'CVE-2021-23337' }, epss: { score: 0.3 }, priority: 30.2 }, // 7.2 + 10 × 0.3 + 20
      });
    });

    it('exit codes follow --exit-code for the selected severities only', async () => {
      expect((await scan(['--exit-code', '4'])).code).toBe(4);
      expect((await scan(['--exit-code', '4', '--severity', 'CRITICAL'])).code).toBe(4);
      const low = await scanJson(['--exit-code', '4', '--severity', 'LOW']);
      expect(low.code).toBe(0);
      expect(low.report.findings).toEqual([]);
      const critical = await scanJson(['--severity', 'critical']);
      expect(new Set(critical.report.findings.map((f) => f.severity))).toEqual(new Set(['CRITICAL']));
      expect((await scan(['--severity', 'SEVERE'])).code).toBe(2);
    });

    it('--ignore-unfixed hides findings without a fixed version', async () => {
      const { report: fixedOnly } = await scanJson(['--ignore-unfixed']);
      expect(fixedOnly.findings.some((f) => f.ruleId === 'CVE-2099-0003')).toBe(false);
      expect(fixedOnly.findings.length).toBe(report.findings.length - 1);
      expect(fixedOnly.findings.every((f) => f.details?.fixState === 'fixed')).toBe(true);
    });

    it('an expired ignore entry reports the finding again and says so; live entries suppress by alias and package', async () => {
      const dir = join(work, 'ignore');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, '.ringfenceignore'),
        [
          'GHSA-35jh-r3h4-6jhm exp:2020-01-01  # accepted until the upgrade',
          'CVE-2021-44906 pkg:minimist exp:2999-12-31',
          'CVE-2099-0001 pkg:libc6',
        ].join('\n'),
      );
      const r = await scanJson([], { cwd: dir });
      expect(r.stderr).toMatch(
        /ignore entry GHSA-35jh-r3h4-6jhm \(\.ringfenceignore:1\) expired on 2020-01-01; 1 finding\(s\) reported again/,
      );
      expect(r.report.findings.find((f) => f.ruleId === 'GHSA-35jh-r3h4-6jhm')?.details?.ignoreExpired).toBe(
        '2020-01-01',
      );
      expect(r.report.expiredIgnores.map((x) => x.id)).toEqual(['GHSA-35jh-r3h4-6jhm']);
      expect(r.report.suppressed.map((f) => `${f.status} ${pkgOf(f).name} ${f.ruleId}`).sort()).toEqual([
        'ignored libc6 DSA-9901-1',
        'ignored minimist GHSA-xvch-5gv4-984h',
      ]);
      const table = await scan(['--format', 'table'], { cwd: dir });
      expect(table.stdout).toMatch(
        /expired ignore: GHSA-35jh-r3h4-6jhm \(\.ringfenceignore:1\) expired on 2020-01-01/,
      );
    });

    it('--vex: not_affected suppresses exactly the products it names, with the justification shown', async () => {
      const vex = join(work, 'app.openvex.json');
      writeFileSync(
        vex,
        JSON.stringify({
          '@context': 'https://openvex.dev/ns/v0.2.0',
          '@id': 'https://example.com/vex/app',
          author: 'app team',
          timestamp: '2025-01-01T00:00:00Z',
          version: 1,
          statements: [
            {
              vulnerability: { name: 'CVE-2099-0001' },
              products: [{ '@id': 'pkg:deb/debian/libc-bin' }],
              status: 'not_affected',
              justification: 'vulnerable_code_not_in_execute_path',
            },
            {
              vulnerability: { name: 'CVE-2021-44906' },
              products: [{ '@id': 'pkg:npm/minimist@1.2.5' }],
              status: 'affected',
              action_statement: 'upgrade minimist to 1.2.6',
            },
          ],
        }),
      );
      const r = await scanJson(['--vex', vex]);
      expect(r.report.suppressed.map((f) => `${f.status} ${pkgOf(f).name} ${f.ruleId}`)).toEqual([
        'not_affected libc-bin DSA-9901-1',
      ]);
      expect(r.report.suppressed[0]?.details?.vexJustification).toMatch(
        /^vulnerable_code_not_in_execute_path \(VEX .*#0\)$/,
      );
      expect(r.report.findings.find((f) => f.ruleId === 'GHSA-xvch-5gv4-984h')?.details?.vex).toMatchObject({
        status: 'affected',
        actionStatement: 'upgrade minimist to 1.2.6',
      });
      const sarif = JSON.parse((await scan(['--vex', vex, '--format', 'sarif'])).stdout);
      const suppressed = sarif.runs[0].results.filter((x: { suppressions?: unknown[] }) => x.suppressions);
      expect(
        suppressed.map(
          (x: { suppressions: { justification: string }[] }) => x.suppressions[0]?.justification,
        ),
      ).toEqual([expect.stringMatching(/^not_affected: vulnerable_code_not_in_execute_path/)]);
      const bad = join(work, 'bad.openvex.json');
      writeFileSync(
        bad,
        JSON.stringify({ '@context': 'https://openvex.dev/ns', statements: [{ status: 'fixed' }] }),
      );
      const refused = await scan(['--vex', bad]);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim()).toMatch(
        /^ringfence: .*bad\.openvex\.json: statements\[0\]: vulnerability must be an object with a name$/,
      );
    });

    it('SARIF validates against the SARIF 2.1.0 schema; JUnit fails a testcase per finding; the table groups by target', async () => {
      const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
      const validate = new AjvDraft04.default({
        allErrors: true,
        strict: false,
        unicodeRegExp: false,
      }).compile(schema);
      const sarif = JSON.parse((await scan(['--format', 'sarif'])).stdout);
      expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
      expect(sarif.runs[0].results).toHaveLength(report.findings.length);
      expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'GHSA-35jh-r3h4-6jhm', level: 'error' });
      expect(sarif.runs[0].tool.driver.rules[0].properties['security-severity']).toBe('7.2');

      const junit = (await scan(['--format', 'junit'])).stdout;
      expect(junit).toMatch(
        new RegExp(
          `<testsuites name="ringfence" tests="${report.findings.length}" failures="${report.findings.length}"`,
        ),
      );

      const out = join(work, 'report.txt');
      expect((await scan(['--format', 'table', '--output', out])).stdout).toBe('');
      const table = readFileSync(out, 'utf8');
      expect(table).not.toMatch(/\x1b\[/);
      const node = table.indexOf('Node.js (3 findings');
      const os = table.search(/\(debian 12(\.\d+)?\) \(\d+ findings/);
      expect(node).toBeGreaterThan(-1);
      expect(os).toBeGreaterThan(-1);
      expect(table).toMatch(/│ lodash +│ GHSA-35jh-r3h4-6jhm │ HIGH +│ 4\.17\.20 +│ 4\.17\.21 +│/);
    });

    it('--format cyclonedx: the image BOM with a vulnerabilities section, valid CycloneDX 1.6', async () => {
      const r = await scan(['--format', 'cyclonedx']);
      expect(r.code).toBe(0);
      const bom = JSON.parse(r.stdout);
      expect(cycloneDxProblems(bom)).toEqual([]);
      const refs = new Map<string, string>(
        bom.components.map((c: { 'bom-ref': string; name: string }) => [c['bom-ref'], c.name]),
      );
      const affected = (bom.vulnerabilities as { id: string; affects: { ref: string }[] }[]).flatMap((v) =>
        v.affects.map((a) => `${refs.get(a.ref)} ${v.id}`),
      );
      expect(affected.sort()).toEqual(report.findings.map((f) => `${pkgOf(f).name} ${f.ruleId}`).sort());
    });

    it('the image by reference from the Docker daemon gives the same findings as its archive', async () => {
      const r = await ringfence(
        [
          'image',
          image,
          '--image-src',
          'docker',
          '--format',
          'json',
          '--skip-db-update',
          '--cache-dir',
          cache,
        ],
        { timeoutMs: 300_000 },
      );
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as JsonReport).findings.map(key).sort()).toEqual(
        report.findings.map(key).sort(),
      );
    });

    it('rootfs on the exported filesystem and fs on the project give the same findings', async () => {
      const rootfs = join(work, 'rootfs');
      mkdirSync(rootfs);
      const id = execFileSync('docker', ['create', image, 'true']).toString().trim();
      try {
        execSync(`docker export ${id} | tar -x -C ${rootfs} --exclude='dev/*'`, {
          shell: '/bin/bash',
          maxBuffer: 1 << 20,
        });
      } finally {
        execFileSync('docker', ['rm', id]);
      }
      const fromRootfs = await ringfence([
        'rootfs',
        rootfs,
        '--format',
        'json',
        '--skip-db-update',
        '--cache-dir',
        cache,
      ]);
      expect(fromRootfs.code).toBe(0);
      const rootfsKeys = (JSON.parse(fromRootfs.stdout) as JsonReport).findings.map(key).sort();
      expect(rootfsKeys).toEqual(report.findings.map(key).sort());

      const tree = join(work, 'tree');
      mkdirSync(tree);
      cpSync(join(project, 'package.json'), join(tree, 'package.json'));
      cpSync(join(project, 'package-lock.json'), join(tree, 'package-lock.json'));
      const fromFs = await ringfence([
        'fs',
        tree,
        '--format',
        'json',
        '--skip-db-update',
        '--cache-dir',
        cache,
        '--exit-code',
        '1',
      ]);
      expect(fromFs.code).toBe(1);
      const fsFindings = (JSON.parse(fromFs.stdout) as JsonReport).findings;
      expect(fsFindings.map(key).sort()).toEqual(
        report.findings
          .filter((f) => pkgOf(f).ecosystem === 'npm')
          .map(key)
          .sort(),
      );
      expect(new Set(fsFindings.map((f) => f.target))).toEqual(new Set(['package-lock.json']));
    });
  },
);
