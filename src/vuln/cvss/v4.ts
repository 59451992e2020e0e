import { CvssError, readMetrics } from './metrics.js';
import { MACROVECTOR_SCORES, MAX_DEPTH, MAX_VECTORS } from './v4-macrovectors.js';

/**
 * CVSS v4.0 score (FIRST specification, section 8): the vector's MacroVector score, lowered by
 * the mean proportional distance from the MacroVector's highest-severity vector. Threat and
 * environmental metrics, when the vector has them, take part as the specification says.
 */

const BASE = ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'] as const;

const ALLOWED = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  AT: ['N', 'P'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'P', 'A'],
  VC: ['H', 'L', 'N'],
  VI: ['H', 'L', 'N'],
  VA: ['H', 'L', 'N'],
  SC: ['H', 'L', 'N'],
  SI: ['H', 'L', 'N'],
  SA: ['H', 'L', 'N'],
  E: ['X', 'A', 'P', 'U'],
  CR: ['X', 'H', 'M', 'L'],
  IR: ['X', 'H', 'M', 'L'],
  AR: ['X', 'H', 'M', 'L'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MAT: ['X', 'N', 'P'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'P', 'A'],
  MVC: ['X', 'H', 'L', 'N'],
  MVI: ['X', 'H', 'L', 'N'],
  MVA: ['X', 'H', 'L', 'N'],
  MSC: ['X', 'H', 'L', 'N'],
  MSI: ['X', 'S', 'H', 'L', 'N'],
  MSA: ['X', 'S', 'H', 'L', 'N'],
  S: ['X', 'N', 'P'],
  AU: ['X', 'N', 'Y'],
  R: ['X', 'A', 'U', 'I'],
  V: ['X', 'D', 'C'],
  RE: ['X', 'L', 'M', 'H'],
  U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
} as const;

/** Severity level of each value, in tenths: the distance unit of the interpolation. */
const LEVEL: Record<string, Record<string, number>> = {
  AV: { N: 0, A: 1, L: 2, P: 3 },
  PR: { N: 0, L: 1, H: 2 },
  UI: { N: 0, P: 1, A: 2 },
  AC: { L: 0, H: 1 },
  AT: { N: 0, P: 1 },
  VC: { H: 0, L: 1, N: 2 },
  VI: { H: 0, L: 1, N: 2 },
  VA: { H: 0, L: 1, N: 2 },
  SC: { H: 1, L: 2, N: 3 },
  SI: { S: 0, H: 1, L: 2, N: 3 },
  SA: { S: 0, H: 1, L: 2, N: 3 },
  CR: { H: 0, M: 1, L: 2 },
  IR: { H: 0, M: 1, L: 2 },
  AR: { H: 0, M: 1, L: 2 },
};

type Effective = (key: string) => string;

export function cvss4Score(vector: string): number {
  if (!vector.startsWith('CVSS:4.0/'))
    throw new CvssError(`${vector}: a CVSS v4 vector starts with CVSS:4.0/`);
  const m = readMetrics(vector.slice(9), ALLOWED, BASE, vector);
  const value: Effective = (key) => {
    const given = m.get(key) ?? 'X';
    // Unset threat and requirement metrics assume the worst case (spec section 7.4).
    if (given === 'X' && key === 'E') return 'A';
    if (given === 'X' && (key === 'CR' || key === 'IR' || key === 'AR')) return 'H';
    const modified = m.get(`M${key}`);
    return modified && modified !== 'X' ? modified : given;
  };
  if (['VC', 'VI', 'VA', 'SC', 'SI', 'SA'].every((k) => value(k) === 'N')) return 0;

  const eq = macroVector(value);
  const [eq1, eq2, eq3, eq4, eq5, eq6] = eq;
  const top = macroScore(eq) as number;
  const eq36 = `${eq3},${eq6}`;

  const lowerEq3eq6 =
    eq3 === 0 && eq6 === 0
      ? Math.max(macroScore(withDigit(eq, 5, 1)) ?? Number.NaN, macroScore(withDigit(eq, 2, 1)) ?? Number.NaN)
      : eq3 === 1 && eq6 === 0
        ? macroScore(withDigit(eq, 5, 1))
        : macroScore(withDigit(eq, 2, eq3 + 1));
  const lower = [
    macroScore(withDigit(eq, 0, eq1 + 1)),
    macroScore(withDigit(eq, 1, eq2 + 1)),
    lowerEq3eq6,
    macroScore(withDigit(eq, 3, eq4 + 1)),
    macroScore(withDigit(eq, 4, eq5 + 1)),
  ];

  const distance = distancesFromHighest(value, [
    MAX_VECTORS.eq1[eq1] as readonly string[],
    MAX_VECTORS.eq2[eq2] as readonly string[],
    MAX_VECTORS.eq3eq6[eq36] as readonly string[],
    MAX_VECTORS.eq4[eq4] as readonly string[],
    MAX_VECTORS.eq5[eq5] as readonly string[],
  ]);
  const sum = (keys: string[]) => keys.reduce((s, k) => s + (distance.get(k) as number), 0);
  const current = [
    sum(['AV', 'PR', 'UI']),
    sum(['AC', 'AT']),
    sum(['VC', 'VI', 'VA', 'CR', 'IR', 'AR']),
    sum(['SC', 'SI', 'SA']),
    0,
  ];
  const depth = [
    MAX_DEPTH.eq1[eq1] as number,
    MAX_DEPTH.eq2[eq2] as number,
    MAX_DEPTH.eq3eq6[eq36] as number,
    MAX_DEPTH.eq4[eq4] as number,
    1,
  ];

  let total = 0;
  let existing = 0;
  for (let i = 0; i < 5; i++) {
    const next = lower[i];
    if (next === undefined || Number.isNaN(next)) continue;
    existing++;
    total += (top - next) * ((current[i] as number) / (depth[i] as number));
  }
  const score = top - (existing === 0 ? 0 : total / existing);
  return Math.round(Math.min(10, Math.max(0, score)) * 10) / 10;
}

type MacroVector = [number, number, number, number, number, number];

function macroVector(value: Effective): MacroVector {
  const av = value('AV');
  const pr = value('PR');
  const ui = value('UI');
  const eq1 =
    av === 'N' && pr === 'N' && ui === 'N'
      ? 0
      : (av === 'N' || pr === 'N' || ui === 'N') && av !== 'P'
        ? 1
        : 2;
  const eq2 = value('AC') === 'L' && value('AT') === 'N' ? 0 : 1;
  const vc = value('VC');
  const vi = value('VI');
  const va = value('VA');
  const eq3 = vc === 'H' && vi === 'H' ? 0 : vc === 'H' || vi === 'H' || va === 'H' ? 1 : 2;
  const eq4 =
    value('MSI') === 'S' || value('MSA') === 'S'
      ? 0
      : value('SC') === 'H' || value('SI') === 'H' || value('SA') === 'H'
        ? 1
        : 2;
  const e = value('E');
  const eq5 = e === 'A' ? 0 : e === 'P' ? 1 : 2;
  const eq6 =
    (value('CR') === 'H' && vc === 'H') ||
    (value('IR') === 'H' && vi === 'H') ||
    (value('AR') === 'H' && va === 'H')
      ? 0
      : 1;
  return [eq1, eq2, eq3, eq4, eq5, eq6];
}

function macroScore(eq: MacroVector): number | undefined {
  return MACROVECTOR_SCORES[eq.join('')];
}

function withDigit(eq: MacroVector, index: number, digit: number): MacroVector {
  const copy: MacroVector = [...eq];
  copy[index] = digit;
  return copy;
}

/**
 * Distances (in levels) from the first highest-severity vector of the MacroVector that is at
 * least as severe as this one in every metric.
 */
function distancesFromHighest(value: Effective, parts: (readonly string[])[]): Map<string, number> {
  let found: Map<string, number> | undefined;
  const combine = (depth: number, chosen: string[]): boolean => {
    if (depth === parts.length) {
      const max = new Map(
        chosen
          .join('/')
          .split('/')
          .map((kv) => kv.split(':') as [string, string]),
      );
      const distances = new Map<string, number>();
      for (const [key, levels] of Object.entries(LEVEL)) {
        const d = (levels[value(key)] as number) - (levels[max.get(key) as string] as number);
        if (d < 0) return false;
        distances.set(key, d);
      }
      found = distances;
      return true;
    }
    for (const part of parts[depth] as readonly string[])
      if (combine(depth + 1, [...chosen, part])) return true;
    return false;
  };
  combine(0, []);
  if (!found) throw new CvssError('no highest-severity vector bounds this vector (inconsistent tables)');
  return found;
}
