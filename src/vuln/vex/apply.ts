import { type ParsedPurl, parsePurl } from '../../inventory/purl-parse.js';
import type { Finding } from '../../types.js';
import type { VexProduct, VexStatement } from './openvex.js';
import { purlMatches } from './purl-match.js';

/**
 * Applies VEX statements to vulnerability findings. A statement applies to a finding when it
 * names the finding's advisory id or one of its aliases, and one of its products is the
 * finding's package (by purl), or is the scanned image (an oci/docker purl) with no
 * subcomponents or with the package among them. Of the statements that apply, the latest wins:
 *
 * - not_affected and fixed suppress the finding (status `not_affected` / `fixed`, kept in the
 *   report's audit trail with the justification, impact or action statement);
 * - affected and under_investigation keep it open, with the VEX status and action statement
 *   in `details.vex`.
 */

export interface ScannedArtifact {
  /** Image id (config digest) and manifest digest, as `sha256:…`. */
  digests: string[];
  /** Repository names without registry host or tag ("nginx", "app"). */
  names: string[];
}

interface VexOutcome {
  open: Finding[];
  suppressed: Finding[];
}

export function applyVex(
  findings: Finding[],
  statements: VexStatement[],
  artifact: ScannedArtifact,
): VexOutcome {
  const open: Finding[] = [];
  const suppressed: Finding[] = [];
  if (statements.length === 0) return { open: findings, suppressed };
  const byId = new Map<string, VexStatement[]>();
  for (const s of statements)
    for (const id of s.ids) {
      const list = byId.get(id);
      if (list) list.push(s);
      else byId.set(id, [s]);
    }
  for (const f of findings) {
    const statement = latestApplicable(f, byId, artifact);
    if (!statement) {
      open.push(f);
      continue;
    }
    const vex: Record<string, unknown> = { status: statement.status, statement: statement.origin };
    if (statement.justification) vex.justification = statement.justification;
    if (statement.impactStatement) vex.impactStatement = statement.impactStatement;
    if (statement.actionStatement) vex.actionStatement = statement.actionStatement;
    if (statement.status === 'not_affected' || statement.status === 'fixed') {
      suppressed.push({
        ...f,
        status: statement.status,
        details: { ...f.details, vex, vexJustification: justification(statement) },
      });
    } else open.push({ ...f, details: { ...f.details, vex } });
  }
  return { open, suppressed };
}

function justification(s: VexStatement): string {
  const parts = [s.justification, s.impactStatement ?? s.actionStatement].filter(Boolean);
  return `${parts.length > 0 ? parts.join(': ') : s.status} (VEX ${s.origin})`;
}

function latestApplicable(
  f: Finding,
  byId: Map<string, VexStatement[]>,
  artifact: ScannedArtifact,
): VexStatement | undefined {
  const aliases = Array.isArray(f.details?.aliases) ? (f.details.aliases as string[]) : [];
  const candidates = new Set<VexStatement>();
  for (const id of [f.ruleId, ...aliases]) for (const s of byId.get(id) ?? []) candidates.add(s);
  if (candidates.size === 0) return undefined;
  const purlText = (f.details?.package as { purl?: string } | undefined)?.purl;
  const pkg = purlText ? parsePurl(purlText) : undefined;
  let best: VexStatement | undefined;
  for (const s of candidates) {
    if (!s.products.some((p) => productCovers(p, pkg, artifact))) continue;
    if (!best || s.timestamp > best.timestamp || (s.timestamp === best.timestamp && s.order > best.order))
      best = s;
  }
  return best;
}

function productCovers(product: VexProduct, pkg: ParsedPurl | undefined, artifact: ScannedArtifact): boolean {
  if (pkg && product.purls.some((p) => purlMatches(p, pkg))) return true;
  if (!product.purls.some((p) => isArtifact(p, artifact))) return false;
  if (product.subcomponents.length === 0) return true;
  return !!pkg && product.subcomponents.some((purls) => purls.some((p) => purlMatches(p, pkg)));
}

/** An oci or docker purl naming the scanned image by digest, or by repository name without one. */
function isArtifact(purl: ParsedPurl, artifact: ScannedArtifact): boolean {
  if (purl.type !== 'oci' && purl.type !== 'docker') return false;
  if (purl.version) return artifact.digests.includes(purl.version);
  return artifact.names.includes(purl.name.toLowerCase());
}
