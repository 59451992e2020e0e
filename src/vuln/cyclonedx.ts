import { buildCycloneDx, serializeCycloneDx } from '../inventory/sbom/cyclonedx/build.js';
import type { CycloneDxBom } from '../inventory/sbom/cyclonedx/model.js';
import { packageKey } from '../inventory/sbom/identity.js';
import type { Report } from '../report/index.js';
import type { Finding, Inventory, Package } from '../types.js';

/**
 * `--format cyclonedx` for vulnerability scans: the inventory's CycloneDX 1.6 BOM
 * (inventory/sbom) with a `vulnerabilities` section, one entry per advisory, affecting each
 * package it was found in (installed version `affected`, the fix `unaffected`). Ratings keep the
 * vendor's severity apart from CVSS; KEV, EPSS, priority and fix state go in properties (the
 * specification has no fields for them). Findings a VEX statement or the ignore file suppressed
 * stay in the BOM with their analysis, so the document is a VEX of the image.
 */

type Vulnerability = Record<string, unknown>;

const CVSS_METHOD: Record<string, string> = {
  '2.0': 'CVSSv2',
  '3.0': 'CVSSv3',
  '3.1': 'CVSSv31',
  '4.0': 'CVSSv4',
};

/** OpenVEX justification labels → CycloneDX impact analysis justifications. */
const JUSTIFICATION: Record<string, string> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

/** Where each id prefix is published (the source of a vulnerability or of an alias). */
const SOURCES: [RegExp, string, (id: string) => string][] = [
  [/^CVE-/, 'NVD', (id) => `https://nvd.nist.gov/vuln/detail/${id}`],
  [/^GHSA-/, 'GitHub Advisory Database', (id) => `https://github.com/advisories/${id}`],
  [/^GO-/, 'Go Vulnerability Database', (id) => `https://pkg.go.dev/vuln/${id}`],
  [/^RUSTSEC-/, 'RustSec', (id) => `https://rustsec.org/advisories/${id}.html`],
  [
    /^(DSA|DLA|DTSA|TEMP)-/,
    'Debian Security Tracker',
    (id) => `https://security-tracker.debian.org/tracker/${id}`,
  ],
  [/^USN-/, 'Ubuntu Security Notices', (id) => `https://ubuntu.com/security/notices/${id}`],
];

function source(id: string): { name: string; url: string } {
  for (const [pattern, name, url] of SOURCES) if (pattern.test(id)) return { name, url: url(id) };
  return { name: 'OSV', url: `https://osv.dev/vulnerability/${id}` };
}

export function renderVulnerabilityBom(inventory: Inventory, report: Report): string {
  const bom = buildCycloneDx(inventory);
  const refs = componentRefs(bom, inventory);
  // One entry per advisory and analysis: packages a VEX statement cleared get their own entry.
  const groups = new Map<string, Finding[]>();
  for (const f of [...report.findings, ...report.suppressed]) {
    if (f.kind !== 'vulnerability') continue;
    const key = `${f.ruleId}\n${JSON.stringify(analysisOf(f) ?? {})}`;
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  const seen = new Map<string, number>();
  bom.vulnerabilities = [...groups.values()].map((findings) => {
    const id = (findings[0] as Finding).ruleId;
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return vulnerability(findings, refs, n === 1 ? `vulnerability:${id}` : `vulnerability:${id}-${n}`);
  });
  return serializeCycloneDx(bom);
}

/** packageKey → bom-ref: the builder keeps the inventory's order, after the OS component. */
function componentRefs(bom: CycloneDxBom, inventory: Inventory): Map<string, string> {
  const offset = inventory.os ? 1 : 0;
  const refs = new Map<string, string>();
  inventory.packages.forEach((pkg, i) => {
    const component = bom.components[offset + i];
    if (!component || component.version !== pkg.version || (component.purl ?? '') !== pkg.purl)
      throw new Error(`CycloneDX component ${offset + i} is not ${pkg.name}@${pkg.version}`);
    refs.set(packageKey(pkg), component['bom-ref']);
  });
  return refs;
}

function findingKey(f: Finding): string {
  const pkg = f.details?.package as Pick<Package, 'name' | 'version' | 'ecosystem' | 'arch'>;
  return packageKey({ ...pkg, paths: (f.details?.paths as string[]) ?? [], purl: '', analyzer: '' });
}

function vulnerability(findings: Finding[], refs: Map<string, string>, bomRef: string): Vulnerability {
  const first = findings[0] as Finding;
  const details = first.details ?? {};
  const aliases = (details.aliases as string[] | undefined) ?? [];
  const v: Vulnerability = {
    'bom-ref': bomRef,
    id: first.ruleId,
    source: source(first.ruleId),
  };
  if (aliases.length > 0) v.references = aliases.map((id) => ({ id, source: source(id) }));
  v.ratings = ratings(first);
  v.description = first.title;
  if (first.description) v.detail = first.description;
  const upgrades = findings.filter((f) => f.fix).map((f) => `${pkgName(f)} to ${f.fix}`);
  if (upgrades.length > 0) v.recommendation = `Upgrade ${[...new Set(upgrades)].join(', ')}`;
  if (first.references.length > 0) v.advisories = first.references.map((url) => ({ url }));
  if (typeof details.published === 'string') v.published = details.published;
  if (typeof details.modified === 'string') v.updated = details.modified;
  const analysis = analysisOf(first);
  if (analysis) v.analysis = analysis;
  v.affects = findings.flatMap((f) => {
    const ref = refs.get(findingKey(f));
    if (!ref) return [];
    const versions: { version: string; status: string }[] = [{ version: installed(f), status: 'affected' }];
    if (f.fix) versions.push({ version: f.fix, status: 'unaffected' });
    return [{ ref, versions }];
  });
  v.properties = properties(first);
  return v;
}

function pkgName(f: Finding): string {
  return (f.details?.package as { name?: string } | undefined)?.name ?? '';
}

function installed(f: Finding): string {
  return (f.details?.package as { version?: string } | undefined)?.version ?? '';
}

function ratings(f: Finding): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const severitySource = f.details?.severitySource as string | undefined;
  const cvss = f.details?.cvss as { version: string; score: number; vector: string } | undefined;
  if (severitySource && !severitySource.startsWith('CVSS') && severitySource !== 'none')
    out.push({ source: { name: severitySource }, severity: f.severity.toLowerCase(), method: 'other' });
  if (cvss)
    out.push({
      score: cvss.score,
      severity: severitySource?.startsWith('CVSS') ? f.severity.toLowerCase() : cvssSeverity(cvss.score),
      method: CVSS_METHOD[cvss.version] ?? 'other',
      vector: cvss.vector,
    });
  if (out.length === 0) out.push({ severity: 'unknown' });
  return out;
}

function cvssSeverity(score: number): string {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return score > 0 ? 'low' : 'none';
}

/** What VEX or the ignore file said about the finding, as CycloneDX impact analysis. */
function analysisOf(f: Finding): Record<string, unknown> | undefined {
  const vex = f.details?.vex as
    | { status: string; justification?: string; impactStatement?: string; actionStatement?: string }
    | undefined;
  if (vex) {
    const detail = vex.impactStatement ?? vex.actionStatement;
    const base = detail ? { detail } : {};
    switch (vex.status) {
      case 'not_affected': {
        const justification = vex.justification ? JUSTIFICATION[vex.justification] : undefined;
        return { state: 'not_affected', ...(justification ? { justification } : {}), ...base };
      }
      case 'fixed':
        return { state: 'resolved', ...base };
      case 'affected':
        return { state: 'exploitable', ...(f.fix ? { response: ['update'] } : {}), ...base };
      default:
        return { state: 'in_triage', ...base };
    }
  }
  const ignoredBy = f.details?.ignoredBy as { file: string; line: number; reason?: string } | undefined;
  if (ignoredBy)
    return {
      detail: `ignored by ${ignoredBy.file}:${ignoredBy.line}${ignoredBy.reason ? ` (${ignoredBy.reason})` : ''}`,
    };
  return undefined;
}

function properties(f: Finding): { name: string; value: string }[] {
  const d = f.details ?? {};
  const out = [
    { name: 'ringfence:priority', value: String(d.priority) },
    { name: 'ringfence:fixState', value: String(d.fixState) },
    { name: 'ringfence:severitySource', value: String(d.severitySource) },
  ];
  const kev = d.kev as { dateAdded?: string } | false | undefined;
  if (kev) out.push({ name: 'ringfence:kev:dateAdded', value: String(kev.dateAdded) });
  const epss = d.epss as { score: number; percentile: number } | undefined;
  if (epss)
    out.push(
      { name: 'ringfence:epss:score', value: String(epss.score) },
      { name: 'ringfence:epss:percentile', value: String(epss.percentile) },
    );
  return out;
}
