import { CvssError } from './metrics.js';
import { cvss2BaseScore } from './v2.js';
import { cvss3BaseScore } from './v3.js';
import { cvss4Score } from './v4.js';

export { CvssError } from './metrics.js';

export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';
/** The specifications' qualitative ratings (v2 has no NONE and tops out at HIGH). */
export type CvssRating = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface CvssScore {
  version: CvssVersion;
  vector: string;
  score: number;
  rating: CvssRating;
}

/** Parses a CVSS v2, v3.0, v3.1 or v4.0 vector and computes its score; throws CvssError if invalid. */
export function parseCvss(vector: string): CvssScore {
  const v = vector.trim();
  if (v.startsWith('CVSS:4.0/')) {
    const score = cvss4Score(v);
    return { version: '4.0', vector: v, score, rating: cvssRating('4.0', score) };
  }
  if (v.startsWith('CVSS:3.')) {
    const { version, score } = cvss3BaseScore(v);
    return { version, vector: v, score, rating: cvssRating(version, score) };
  }
  if (v.startsWith('CVSS:') && !v.startsWith('CVSS:2.0/'))
    throw new CvssError(`${vector}: unknown CVSS version`);
  const score = cvss2BaseScore(v);
  return { version: '2.0', vector: v, score, rating: cvssRating('2.0', score) };
}

/** The specification's qualitative rating of a score (NVD's bands for v2, which has none). */
export function cvssRating(version: CvssVersion, score: number): CvssRating {
  if (version === '2.0') return score < 4 ? 'LOW' : score < 7 ? 'MEDIUM' : 'HIGH';
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}
