import { CvssError, metric, readMetrics } from './metrics.js';

/** CVSS v2.0 base score, per "A Complete Guide to the CVSS Version 2.0", section 3.2.1. */

const BASE = ['AV', 'AC', 'Au', 'C', 'I', 'A'] as const;

const ALLOWED = {
  AV: ['L', 'A', 'N'],
  AC: ['H', 'M', 'L'],
  Au: ['M', 'S', 'N'],
  C: ['N', 'P', 'C'],
  I: ['N', 'P', 'C'],
  A: ['N', 'P', 'C'],
  E: ['U', 'POC', 'F', 'H', 'ND'],
  RL: ['OF', 'TF', 'W', 'U', 'ND'],
  RC: ['UC', 'UR', 'C', 'ND'],
  CDP: ['N', 'L', 'LM', 'MH', 'H', 'ND'],
  TD: ['N', 'L', 'M', 'H', 'ND'],
  CR: ['L', 'M', 'H', 'ND'],
  IR: ['L', 'M', 'H', 'ND'],
  AR: ['L', 'M', 'H', 'ND'],
} as const;

const ACCESS_VECTOR: Record<string, number> = { L: 0.395, A: 0.646, N: 1.0 };
const ACCESS_COMPLEXITY: Record<string, number> = { H: 0.35, M: 0.61, L: 0.71 };
const AUTHENTICATION: Record<string, number> = { M: 0.45, S: 0.56, N: 0.704 };
const IMPACT: Record<string, number> = { N: 0, P: 0.275, C: 0.66 };

/** Accepts "AV:N/...", "(AV:N/...)" and "CVSS:2.0/AV:N/..." (all seen in advisories). */
export function cvss2BaseScore(vector: string): number {
  let body = vector.trim();
  if (body.startsWith('(') && body.endsWith(')')) body = body.slice(1, -1);
  if (body.startsWith('CVSS:2.0/')) body = body.slice('CVSS:2.0/'.length);
  if (body.startsWith('CVSS:')) throw new CvssError(`${vector}: not a CVSS v2 vector`);
  const m = readMetrics(body, ALLOWED, BASE, vector);
  const c = IMPACT[metric(m, 'C')] as number;
  const i = IMPACT[metric(m, 'I')] as number;
  const a = IMPACT[metric(m, 'A')] as number;
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability =
    20 *
    (ACCESS_VECTOR[metric(m, 'AV')] as number) *
    (ACCESS_COMPLEXITY[metric(m, 'AC')] as number) *
    (AUTHENTICATION[metric(m, 'Au')] as number);
  const f = impact === 0 ? 0 : 1.176;
  return roundToTenth((0.6 * impact + 0.4 * exploitability - 1.5) * f);
}

/** Round half up to one decimal, immune to binary representation (6.85 stays 6.9). */
function roundToTenth(x: number): number {
  return Math.round(Math.round(x * 1e6) / 1e5) / 10;
}
