/**
 * CVSS v4.0 calculator, implemented from the FIRST specification
 * (https://www.first.org/cvss/v4-0/specification-document, §8 "Scoring") and checked against the
 * behaviour of FIRST's reference calculator (https://github.com/FIRSTdotorg/cvss-v4-calculator).
 * Base, threat (E) and environmental metrics are all applied when present, so a vector with only
 * base metrics yields CVSS-B and a fuller one CVSS-BT/BE/BTE; supplemental metrics (§5) never
 * change the score and are only validated.
 */
import { type CvssRating, CvssVectorError, cvssRating } from './cvss3.js';
import { CVSS4_MACROVECTOR_SCORES } from './cvss4-macrovector-scores.js';
import { parseCvssMetrics } from './cvss-metrics.js';

/** A parsed and validated CVSS v4.0 vector. */
export interface Cvss4Vector {
  /** Every metric present in the vector, keyed by abbreviation (`AV`, `E`, `MSI`, `U`, ...). */
  readonly metrics: Readonly<Record<string, string>>;
}

/** The outcome of scoring a CVSS v4.0 vector. */
export interface Cvss4Score {
  readonly score: number;
  readonly rating: CvssRating;
  /** The six EQ levels of §8.2, e.g. `000200`. */
  readonly macroVector: string;
  /** §1.3 nomenclature: which metric groups the score reflects. */
  readonly nomenclature: 'CVSS-B' | 'CVSS-BT' | 'CVSS-BE' | 'CVSS-BTE';
}

const BASE_METRICS = ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'] as const;
const ENVIRONMENTAL_METRICS = [
  'CR',
  'IR',
  'AR',
  'MAV',
  'MAC',
  'MAT',
  'MPR',
  'MUI',
  'MVC',
  'MVI',
  'MVA',
  'MSC',
  'MSI',
  'MSA',
] as const;

/** Allowed values per metric (§7); `X` means "not defined". */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
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
  // Only the subsequent-system integrity and availability can be raised to Safety (§4.2).
  MSI: ['X', 'S', 'H', 'L', 'N'],
  MSA: ['X', 'S', 'H', 'L', 'N'],
  S: ['X', 'N', 'P'],
  AU: ['X', 'N', 'Y'],
  R: ['X', 'A', 'U', 'I'],
  V: ['X', 'D', 'C'],
  RE: ['X', 'L', 'M', 'H'],
  U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
};

/**
 * Severity "levels" per metric value, in steps of 0.1: the distance unit of the interpolation in
 * §8.3; lower is more severe. Kept as the reference calculator's decimals (not whole numbers) so
 * that floating-point sums, and so one-decimal rounding, agree with it exactly.
 */
const LEVELS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  AV: { N: 0, A: 0.1, L: 0.2, P: 0.3 },
  PR: { N: 0, L: 0.1, H: 0.2 },
  UI: { N: 0, P: 0.1, A: 0.2 },
  AC: { L: 0, H: 0.1 },
  AT: { N: 0, P: 0.1 },
  VC: { H: 0, L: 0.1, N: 0.2 },
  VI: { H: 0, L: 0.1, N: 0.2 },
  VA: { H: 0, L: 0.1, N: 0.2 },
  SC: { H: 0.1, L: 0.2, N: 0.3 },
  SI: { S: 0, H: 0.1, L: 0.2, N: 0.3 },
  SA: { S: 0, H: 0.1, L: 0.2, N: 0.3 },
  CR: { H: 0, M: 0.1, L: 0.2 },
  IR: { H: 0, M: 0.1, L: 0.2 },
  AR: { H: 0, M: 0.1, L: 0.2 },
};
const STEP = 0.1;

/**
 * Highest-severity vectors of each equivalence class (EQ3 and EQ6 together, as §8.2 scores them
 * jointly), from the reference calculator's `max_composed.js`.
 */
const EQ_MAXIMA: {
  readonly eq1: readonly (readonly string[])[];
  readonly eq2: readonly (readonly string[])[];
  readonly eq3eq6: readonly (readonly (readonly string[])[])[];
  readonly eq4: readonly (readonly string[])[];
} = {
  eq1: [
    ['AV:N/PR:N/UI:N'],
    ['AV:A/PR:N/UI:N', 'AV:N/PR:L/UI:N', 'AV:N/PR:N/UI:P'],
    ['AV:P/PR:N/UI:N', 'AV:A/PR:L/UI:P'],
  ],
  eq2: [['AC:L/AT:N'], ['AC:H/AT:N', 'AC:L/AT:P']],
  eq3eq6: [
    [
      ['VC:H/VI:H/VA:H/CR:H/IR:H/AR:H'],
      ['VC:H/VI:H/VA:L/CR:M/IR:M/AR:H', 'VC:H/VI:H/VA:H/CR:M/IR:M/AR:M'],
    ],
    [
      ['VC:L/VI:H/VA:H/CR:H/IR:H/AR:H', 'VC:H/VI:L/VA:H/CR:H/IR:H/AR:H'],
      [
        'VC:L/VI:H/VA:L/CR:H/IR:M/AR:H',
        'VC:L/VI:H/VA:H/CR:H/IR:M/AR:M',
        'VC:H/VI:L/VA:H/CR:M/IR:H/AR:M',
        'VC:H/VI:L/VA:L/CR:M/IR:H/AR:H',
        'VC:L/VI:L/VA:H/CR:H/IR:H/AR:M',
      ],
    ],
    [[], ['VC:L/VI:L/VA:L/CR:H/IR:H/AR:H']],
  ],
  eq4: [['SC:H/SI:S/SA:S'], ['SC:H/SI:H/SA:H'], ['SC:L/SI:L/SA:L']],
};

/**
 * Depth of each macrovector, in levels, plus one (reference calculator's `max_severity.js`):
 * the denominator that turns a severity distance into a proportion (§8.3 step c).
 */
const MAX_SEVERITY = {
  eq1: [1, 4, 5],
  eq2: [1, 2],
  eq3eq6: [
    [7, 6],
    [8, 8],
    [Number.NaN, 10],
  ],
  eq4: [6, 5, 4],
} as const;

const PREFIX = 'CVSS:4.0/';

/** Parses and validates a CVSS v4.0 vector string, throwing {@link CvssVectorError}. */
export function parseCvss4(vector: string): Cvss4Vector {
  const text = vector.trim();
  if (!text.startsWith(PREFIX)) throw new CvssVectorError(vector, 'expected a "CVSS:4.0/" prefix');
  const metrics = parseCvssMetrics(vector, text.slice(PREFIX.length), ALLOWED, BASE_METRICS);
  return { metrics };
}

/**
 * The value a metric takes for scoring: a modified (environmental) metric overrides its base
 * metric, and undefined E, CR, IR, AR take their worst case (§3, §4.1).
 */
function effective(metrics: Cvss4Vector['metrics'], key: string): string {
  const value = metrics[key] ?? 'X';
  if (value === 'X') {
    if (key === 'E') return 'A';
    if (key === 'CR' || key === 'IR' || key === 'AR') return 'H';
  }
  const modified = metrics[`M${key}`];
  if (modified !== undefined && modified !== 'X') return modified;
  return value;
}

/** Computes the macrovector: the levels of equivalence sets EQ1..EQ6 (§8.2). */
export function cvss4MacroVector(vector: Cvss4Vector): string {
  const m = (key: string): string => effective(vector.metrics, key);
  const [av, pr, ui] = [m('AV'), m('PR'), m('UI')];
  const eq1 =
    av === 'N' && pr === 'N' && ui === 'N'
      ? 0
      : (av === 'N' || pr === 'N' || ui === 'N') && av !== 'P'
        ? 1
        : 2;
  const eq2 = m('AC') === 'L' && m('AT') === 'N' ? 0 : 1;
  const [vc, vi, va] = [m('VC'), m('VI'), m('VA')];
  const eq3 = vc === 'H' && vi === 'H' ? 0 : vc === 'H' || vi === 'H' || va === 'H' ? 1 : 2;
  // MSI/MSA are read directly: only the modified metrics can carry the Safety value.
  const safety = m('MSI') === 'S' || m('MSA') === 'S';
  const eq4 = safety ? 0 : m('SC') === 'H' || m('SI') === 'H' || m('SA') === 'H' ? 1 : 2;
  const exploit = m('E');
  const eq5 = exploit === 'A' ? 0 : exploit === 'P' ? 1 : 2;
  const eq6 =
    (m('CR') === 'H' && vc === 'H') ||
    (m('IR') === 'H' && vi === 'H') ||
    (m('AR') === 'H' && va === 'H')
      ? 0
      : 1;
  return `${eq1}${eq2}${eq3}${eq4}${eq5}${eq6}`;
}

function lookup(eqs: readonly number[]): number {
  return CVSS4_MACROVECTOR_SCORES[eqs.join('')] ?? Number.NaN;
}

function parseMaximum(text: string): Record<string, string> {
  return Object.fromEntries(text.split('/').map((part) => part.split(':') as [string, string]));
}

/** Computes the CVSS v4.0 score of a parsed vector (§8.3 interpolation, rounded to one decimal). */
export function cvss4Score(vector: Cvss4Vector): number {
  const m = (key: string): string => effective(vector.metrics, key);
  // §8.3: a vector with no impact on any system scores 0 whatever its macrovector.
  if (['VC', 'VI', 'VA', 'SC', 'SI', 'SA'].every((key) => m(key) === 'N')) return 0;

  const macro = cvss4MacroVector(vector);
  const [eq1, eq2, eq3, eq4, eq5, eq6] = [...macro].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const value = lookup([eq1, eq2, eq3, eq4, eq5, eq6]);

  // Step a: the score of the next lower macrovector along each EQ (NaN when there is none).
  const lowerEq1 = lookup([eq1 + 1, eq2, eq3, eq4, eq5, eq6]);
  const lowerEq2 = lookup([eq1, eq2 + 1, eq3, eq4, eq5, eq6]);
  // EQ3 and EQ6 move together; from 00 both 01 and 10 are one step down, take the higher.
  const lowerEq3Eq6 =
    eq3 === 0 && eq6 === 0
      ? Math.max(
          lookup([eq1, eq2, eq3, eq4, eq5, eq6 + 1]),
          lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6]),
        )
      : eq3 === 1 && eq6 === 0
        ? lookup([eq1, eq2, eq3, eq4, eq5, eq6 + 1])
        : eq3 <= 1
          ? lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6])
          : Number.NaN;
  const lowerEq4 = lookup([eq1, eq2, eq3, eq4 + 1, eq5, eq6]);
  const lowerEq5 = lookup([eq1, eq2, eq3, eq4, eq5 + 1, eq6]);

  // Step b: the severity distance from the first highest-severity vector of this macrovector
  // that is at least as severe as the vector in every metric.
  const candidates: string[] = [];
  for (const a of EQ_MAXIMA.eq1[eq1] ?? [])
    for (const b of EQ_MAXIMA.eq2[eq2] ?? [])
      for (const c of EQ_MAXIMA.eq3eq6[eq3]?.[eq6] ?? [])
        for (const d of EQ_MAXIMA.eq4[eq4] ?? []) candidates.push(`${a}/${b}/${c}/${d}`);
  let distance: Record<string, number> = {};
  for (const candidate of candidates) {
    const maximum = parseMaximum(candidate);
    distance = {};
    for (const [key, levels] of Object.entries(LEVELS)) {
      distance[key] = (levels[m(key)] ?? Number.NaN) - (levels[maximum[key] ?? ''] ?? Number.NaN);
    }
    if (Object.values(distance).every((d) => d >= 0)) break;
  }
  const d = (key: string): number => distance[key] ?? 0;

  // Steps c-d: each EQ's share of the way down to the next macrovector, weighted by the score
  // gap to it.
  const parts: [available: number, proportion: number][] = [
    [
      value - lowerEq1,
      (d('AV') + d('PR') + d('UI')) / ((MAX_SEVERITY.eq1[eq1] ?? Number.NaN) * STEP),
    ],
    [value - lowerEq2, (d('AC') + d('AT')) / ((MAX_SEVERITY.eq2[eq2] ?? Number.NaN) * STEP)],
    [
      value - lowerEq3Eq6,
      (d('VC') + d('VI') + d('VA') + d('CR') + d('IR') + d('AR')) /
        ((MAX_SEVERITY.eq3eq6[eq3]?.[eq6] ?? Number.NaN) * STEP),
    ],
    [
      value - lowerEq4,
      (d('SC') + d('SI') + d('SA')) / ((MAX_SEVERITY.eq4[eq4] ?? Number.NaN) * STEP),
    ],
    // EQ5 has a single value per level, so a vector is never part of the way down it.
    [value - lowerEq5, 0],
  ];
  const existing = parts.filter(([available]) => !Number.isNaN(available));
  // Step 2-3: subtract the mean over the EQs that have a lower macrovector.
  const mean =
    existing.length === 0
      ? 0
      : existing.reduce((sum, [available, proportion]) => sum + available * proportion, 0) /
        existing.length;
  const score = Math.min(10, Math.max(0, value - mean));
  return Math.round(score * 10) / 10;
}

/** Parses a CVSS v4.0 vector string and returns its score, rating and macrovector. */
export function scoreCvss4(vector: string): Cvss4Score {
  const parsed = parseCvss4(vector);
  const score = cvss4Score(parsed);
  const defined = (key: string): boolean => (parsed.metrics[key] ?? 'X') !== 'X';
  const threat = defined('E');
  const environmental = ENVIRONMENTAL_METRICS.some(defined);
  const nomenclature = threat
    ? environmental
      ? 'CVSS-BTE'
      : 'CVSS-BT'
    : environmental
      ? 'CVSS-BE'
      : 'CVSS-B';
  return { score, rating: cvssRating(score), macroVector: cvss4MacroVector(parsed), nomenclature };
}
