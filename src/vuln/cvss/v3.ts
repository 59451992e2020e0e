import { CvssError, metric, readMetrics } from './metrics.js';

/**
 * CVSS v3.0 and v3.1 base scores (FIRST specification documents, section 7.1 and 7.4).
 * Temporal and environmental metrics are validated but do not change the base score.
 */

const BASE = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;

const ALLOWED = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: ['H', 'L', 'N'],
  I: ['H', 'L', 'N'],
  A: ['H', 'L', 'N'],
  E: ['X', 'H', 'F', 'P', 'U'],
  RL: ['X', 'U', 'W', 'T', 'O'],
  RC: ['X', 'C', 'R', 'U'],
  CR: ['X', 'H', 'M', 'L'],
  IR: ['X', 'H', 'M', 'L'],
  AR: ['X', 'H', 'M', 'L'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'R'],
  MS: ['X', 'U', 'C'],
  MC: ['X', 'H', 'L', 'N'],
  MI: ['X', 'H', 'L', 'N'],
  MA: ['X', 'H', 'L', 'N'],
} as const;

const ATTACK_VECTOR: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const ATTACK_COMPLEXITY: Record<string, number> = { L: 0.77, H: 0.44 };
const PRIVILEGES_UNCHANGED: Record<string, number> = { N: 0.85, L: 0.62, H: 0.27 };
const PRIVILEGES_CHANGED: Record<string, number> = { N: 0.85, L: 0.68, H: 0.5 };
const USER_INTERACTION: Record<string, number> = { N: 0.85, R: 0.62 };
const CIA: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };

export function cvss3BaseScore(vector: string): { version: '3.0' | '3.1'; score: number } {
  const prefix = vector.slice(0, 9);
  if (prefix !== 'CVSS:3.0/' && prefix !== 'CVSS:3.1/')
    throw new CvssError(`${vector}: a CVSS v3 vector starts with CVSS:3.0/ or CVSS:3.1/`);
  const version = prefix === 'CVSS:3.0/' ? '3.0' : '3.1';
  const m = readMetrics(vector.slice(9), ALLOWED, BASE, vector);
  const changed = metric(m, 'S') === 'C';
  const iss =
    1 -
    (1 - (CIA[metric(m, 'C')] as number)) *
      (1 - (CIA[metric(m, 'I')] as number)) *
      (1 - (CIA[metric(m, 'A')] as number));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const privileges = (changed ? PRIVILEGES_CHANGED : PRIVILEGES_UNCHANGED)[metric(m, 'PR')] as number;
  const exploitability =
    8.22 *
    (ATTACK_VECTOR[metric(m, 'AV')] as number) *
    (ATTACK_COMPLEXITY[metric(m, 'AC')] as number) *
    privileges *
    (USER_INTERACTION[metric(m, 'UI')] as number);
  if (impact <= 0) return { version, score: 0 };
  const raw = Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10);
  return { version, score: version === '3.1' ? roundUp31(raw) : roundUp30(raw) };
}

/** v3.1 Appendix A: the smallest one-decimal number ≥ x, computed on integers to dodge float error. */
function roundUp31(x: number): number {
  const intInput = Math.round(x * 100_000);
  if (intInput % 10_000 === 0) return intInput / 100_000;
  return (Math.floor(intInput / 10_000) + 1) / 10;
}

/** v3.0 section 7.4: plain ceiling to one decimal. */
function roundUp30(x: number): number {
  return Math.ceil(x * 10) / 10;
}
