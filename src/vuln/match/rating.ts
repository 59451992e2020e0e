import type { Severity } from '../../types.js';
import type { CvssScore, CvssVersion } from '../cvss/index.js';
import type { VendorSeverity } from '../db/model.js';

/**
 * Severity, as Trivy and Grype choose it: the vendor's own rating when it gives one (the
 * distribution's urgency for its package, the GitHub advisory's severity), because it is made
 * for that package in that context; otherwise the rating of the newest CVSS version present
 * (v4.0 over v3.1 over v3.0 over v2), highest score first; otherwise UNKNOWN.
 *
 * Priority orders what to fix first: exploitation in the wild over likelihood of exploitation
 * over impact.
 *
 *   priority = S + 10 × EPSS + (KEV ? 20 : 0)            (0 … 40, two decimals)
 *
 * S is the CVSS base score when the CVSS rating agrees with the chosen severity (it orders
 * findings within a band), otherwise the middle of the severity's band (CRITICAL 9.5, HIGH 8,
 * MEDIUM 5.5, LOW 2, UNKNOWN 0). EPSS is the probability of exploitation in the next 30 days,
 * so a likely-exploited HIGH outranks an unlikely CRITICAL; anything in CISA's Known Exploited
 * Vulnerabilities catalogue (20 … 40) ranks at least as high as anything that is not (0 … 20).
 */

export interface Rating {
  severity: Severity;
  /** Who rated it: the vendor ("Debian", "GHSA") or "CVSS 3.1". */
  source: string;
  cvss?: CvssScore;
}

const VERSION_ORDER: Record<CvssVersion, number> = { '4.0': 4, '3.1': 3, '3.0': 2, '2.0': 1 };
const BAND_MIDDLE: Record<Severity, number> = { CRITICAL: 9.5, HIGH: 8, MEDIUM: 5.5, LOW: 2, UNKNOWN: 0 };

/** The newest CVSS version given, and of those the highest score. */
export function preferredCvss(scores: readonly CvssScore[]): CvssScore | undefined {
  let best: CvssScore | undefined;
  for (const s of scores) {
    if (
      !best ||
      VERSION_ORDER[s.version] > VERSION_ORDER[best.version] ||
      (s.version === best.version && s.score > best.score)
    )
      best = s;
  }
  return best;
}

function cvssSeverity(score: CvssScore): Severity {
  return score.rating === 'NONE' ? 'UNKNOWN' : score.rating;
}

export function rate(vendor: VendorSeverity | undefined, cvss: readonly CvssScore[]): Rating {
  const best = preferredCvss(cvss);
  if (vendor && vendor.level !== 'UNKNOWN') {
    const rating: Rating = { severity: vendor.level, source: vendor.source };
    if (best) rating.cvss = best;
    return rating;
  }
  if (best && cvssSeverity(best) !== 'UNKNOWN')
    return { severity: cvssSeverity(best), source: `CVSS ${best.version}`, cvss: best };
  return best ? { severity: 'UNKNOWN', source: 'none', cvss: best } : { severity: 'UNKNOWN', source: 'none' };
}

export function priority(rating: Rating, epss: number | undefined, kev: boolean): number {
  const s =
    rating.cvss && cvssSeverity(rating.cvss) === rating.severity
      ? rating.cvss.score
      : BAND_MIDDLE[rating.severity];
  const p = s + 10 * (epss ?? 0) + (kev ? 20 : 0);
  return Math.round(p * 100) / 100;
}
