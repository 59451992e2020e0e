import type { Finding, Inventory, Package } from '../../types.js';
import { distroEcosystem } from '../db/ecosystems.js';
import type { AdvisoryDetails, AffectedRecord, VulnDb } from '../db/query.js';
import { schemeFor, type VersionScheme } from '../versions/index.js';
import { semver } from '../versions/semver/index.js';
import { groupByAlias } from './alias-groups.js';
import { buildFinding, type Match } from './finding.js';
import { evaluateEntry, type RangeSchemes } from './osv-range.js';
import { type MatchTarget, planTarget } from './targets.js';

/**
 * Inventory + VulnDb → vulnerability findings. All lookups of one ecosystem go to the database
 * as one query inside one read snapshot; each record is evaluated with OSV's range semantics in
 * the ecosystem's version ordering; records about the same vulnerability of the same package
 * become one finding (alias-groups.ts).
 */

interface MatchResult {
  findings: Finding[];
  /** Packages that could not be checked, said once per cause. */
  warnings: string[];
  /** How many packages were looked up, per advisory ecosystem. */
  checked: Record<string, number>;
}

/** Source kinds that are a distribution's own data; their records win over OSV's copies. */
const VENDOR_FEEDS = new Set(['debian-tracker', 'alpine-secdb']);
const SHOWN_EXAMPLES = 3;

interface Planned {
  pkg: Package;
  target: MatchTarget;
}

export function matchInventory(inventory: Inventory, db: VulnDb): MatchResult {
  const distro = inventory.os ? distroEcosystem(inventory.os) : undefined;
  const planned: Planned[] = [];
  const skipped = { 'no-distro': 0, 'no-ecosystem': 0 };
  for (const pkg of inventory.packages) {
    const plan = planTarget(pkg, distro);
    if (plan.kind === 'match') planned.push({ pkg, target: plan.target });
    else if (plan.reason !== 'os-owned') skipped[plan.reason]++;
  }

  const byEcosystem = new Map<string, Set<string>>();
  for (const { target } of planned) {
    const names = byEcosystem.get(target.ecosystem) ?? new Set<string>();
    byEcosystem.set(target.ecosystem, names);
    for (const n of target.names) names.add(n);
  }

  const warnings: string[] = [];
  const checked: Record<string, number> = {};
  const findings: Finding[] = [];
  const rankBySource = new Map(db.sources().map((s) => [s.name, VENDOR_FEEDS.has(s.kind) ? 0 : 1]));
  const uncomparable: string[] = [];

  db.snapshot(() => {
    const records = new Map<string, Map<string, AffectedRecord[]>>();
    for (const [ecosystem, names] of byEcosystem) {
      if (!schemeFor(ecosystem)) continue;
      records.set(ecosystem, db.affectedMany(ecosystem, [...names]));
    }
    const hits: Hit[] = [];
    for (const { pkg, target } of planned) {
      checked[target.ecosystem] = (checked[target.ecosystem] ?? 0) + 1;
      const scheme = schemeFor(target.ecosystem);
      const found = records.get(target.ecosystem);
      if (!scheme || !found) continue;
      const hit = evaluatePackage(target, scheme, found);
      if (hit.uncomparable) uncomparable.push(`${pkg.name}@${pkg.version}`);
      if (hit.matched.length > 0) hits.push({ pkg, target, scheme, matched: hit.matched });
    }
    const refs = new Set(hits.flatMap((h) => h.matched.map((m) => m.record.advisoryRef)));
    const advisories = db.advisories([...refs]);
    for (const { pkg, target, scheme, matched } of hits) {
      const matches = matched.map(({ record, fixed }): Match => {
        const advisory = advisories.get(record.advisoryRef) as AdvisoryDetails;
        const match: Match = {
          id: advisory.id,
          aliases: advisory.aliases,
          rank: rankBySource.get(advisory.source) ?? 1,
          record,
          advisory,
        };
        if (fixed !== undefined) match.fixed = fixed;
        return match;
      });
      for (const group of groupByAlias(matches))
        findings.push(buildFinding(pkg, inventory, group, scheme, target.version));
    }
  });

  if (uncomparable.length > 0)
    warnings.push(
      `${uncomparable.length} package(s) have versions their ecosystem cannot order and were matched only against explicitly listed versions: ${examples(uncomparable)}`,
    );
  if (skipped['no-distro'] > 0)
    warnings.push(
      inventory.os
        ? `no advisory data for ${inventory.os.prettyName ?? `${inventory.os.family} ${inventory.os.version}`}: ${skipped['no-distro']} OS package(s) were not checked`
        : `the operating system is unknown (no os-release): ${skipped['no-distro']} OS package(s) were not checked`,
    );
  if (skipped['no-ecosystem'] > 0)
    warnings.push(
      `${skipped['no-ecosystem']} package(s) of types without an advisory ecosystem were not checked`,
    );
  for (const ecosystem of byEcosystem.keys()) {
    if (!schemeFor(ecosystem))
      warnings.push(
        `no version ordering for ${ecosystem}: ${checked[ecosystem] ?? 0} package(s) were not checked`,
      );
    else if (!db.covers(ecosystem))
      warnings.push(
        `the vulnerability database has no advisories for ${ecosystem}: its ${checked[ecosystem] ?? 0} package(s) were not checked (ringfence db update)`,
      );
  }
  return { findings, warnings, checked };
}

interface Hit {
  pkg: Package;
  target: MatchTarget;
  scheme: VersionScheme;
  matched: { record: AffectedRecord; fixed?: string }[];
}

/** The records whose ranges or version lists include the target's version. */
function evaluatePackage(
  target: MatchTarget,
  scheme: VersionScheme,
  found: Map<string, AffectedRecord[]>,
): { matched: Hit['matched']; uncomparable: boolean } {
  const schemes: RangeSchemes = { ecosystem: scheme, semver };
  const validity = new Map<VersionScheme, boolean>();
  const valid = (s: VersionScheme) => {
    const known = validity.get(s);
    if (known !== undefined) return known;
    const ok = s.isValid(target.version);
    validity.set(s, ok);
    return ok;
  };
  const matched: Hit['matched'] = [];
  for (const name of target.names) {
    for (const record of found.get(name) ?? []) {
      if (record.fixState === 'not_affected') continue;
      const verdict = evaluateEntry(target.version, record, schemes, valid, target.listedAs);
      if (!verdict.affected) continue;
      matched.push(verdict.fixed === undefined ? { record } : { record, fixed: verdict.fixed });
    }
  }
  return { matched, uncomparable: [...validity.values()].includes(false) };
}

function examples(items: string[]): string {
  const shown = items.slice(0, SHOWN_EXAMPLES).join(', ');
  return items.length > SHOWN_EXAMPLES ? `${shown} and ${items.length - SHOWN_EXAMPLES} more` : shown;
}
