import { CvssVectorError, parseCvssMetrics } from './cvss-metrics.js';

export { CvssVectorError };
/**
 * CVSS v3.0 / v3.1 base score calculator, implemented from the FIRST specifications
 * (https://www.first.org/cvss/v3.1/specification-document, §7 for the formulas, §5 for ratings).
 * Temporal and environmental metrics are validated but not applied: the scanner ranks findings by
 * the base score an advisory publishes.
 */

/** Qualitative severity rating scale shared by CVSS v3.x and v4.0 (v3.1 §5, v4.0 §6). */
export type CvssRating = 'None' | 'Low' | 'Medium' | 'High' | 'Critical';

/** A parsed and validated CVSS v3.x vector. */
export interface Cvss3Vector {
  readonly version: '3.0' | '3.1';
  /** Every metric present in the vector, keyed by abbreviation (`AV`, `E`, `MAV`, ...). */
  readonly metrics: Readonly<Record<string, string>>;
}

/** The outcome of scoring a CVSS v3.x vector. */
export interface Cvss3Score {
  readonly version: '3.0' | '3.1';
  readonly baseScore: number;
  readonly rating: CvssRating;
}

const BASE_METRICS = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;
type BaseMetric = (typeof BASE_METRICS)[number];

/** Allowed values per metric (v3.1 §6); `X` means "not defined". */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
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
};

// v3.1 §7.4: metric values.
const ATTACK_VECTOR: Readonly<Record<string, number>> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const ATTACK_COMPLEXITY: Readonly<Record<string, number>> = { L: 0.77, H: 0.44 };
const PRIVILEGES_UNCHANGED: Readonly<Record<string, number>> = { N: 0.85, L: 0.62, H: 0.27 };
/** PR weighs more when the scope changes (§7.4). */
const PRIVILEGES_CHANGED: Readonly<Record<string, number>> = { N: 0.85, L: 0.68, H: 0.5 };
const USER_INTERACTION: Readonly<Record<string, number>> = { N: 0.85, R: 0.62 };
const CIA_IMPACT: Readonly<Record<string, number>> = { H: 0.56, L: 0.22, N: 0 };

const PREFIX = /^CVSS:(3\.[01])\/(.*)$/;

/** Parses and validates a CVSS v3.0/v3.1 vector string, throwing {@link CvssVectorError}. */
export function parseCvss3(vector: string): Cvss3Vector {
  const match = PREFIX.exec(vector.trim());
  if (!match) throw new CvssVectorError(vector, 'expected a "CVSS:3.0/" or "CVSS:3.1/" prefix');
  const version = match[1] === '3.0' ? '3.0' : '3.1';
  const metrics = parseCvssMetrics(vector, match[2] ?? '', ALLOWED, BASE_METRICS);
  return { version, metrics };
}

/**
 * The floating-point-safe Roundup of CVSS v3.1 §7.4 (Appendix A): the smallest number with one
 * decimal place that is at least `input`, computed on integers so that e.g. 4.000000000000001
 * (an artefact of binary arithmetic) rounds to 4.0 rather than 4.1.
 */
export function roundUp(input: number): number {
  const intInput = Math.round(input * 100_000);
  if (intInput % 10_000 === 0) return intInput / 100_000;
  return (Math.floor(intInput / 10_000) + 1) / 10;
}

/** Maps a score to its qualitative rating (v3.1 §5; v4.0 §6 uses the same scale). */
export function cvssRating(score: number): CvssRating {
  if (score === 0) return 'None';
  if (score < 4) return 'Low';
  if (score < 7) return 'Medium';
  if (score < 9) return 'High';
  return 'Critical';
}

function weight(
  table: Readonly<Record<string, number>>,
  metrics: Cvss3Vector['metrics'],
  key: BaseMetric,
): number {
  const value = table[metrics[key] ?? ''];
  // parseCvss3 guarantees every base metric holds a known value.
  if (value === undefined) throw new Error(`unscorable ${key}`);
  return value;
}

/** Computes the base score of a parsed vector with the equations of v3.1 §7.1. */
export function cvss3BaseScore(vector: Cvss3Vector): number {
  const { metrics } = vector;
  const scopeChanged = metrics.S === 'C';
  const iss =
    1 -
    (1 - weight(CIA_IMPACT, metrics, 'C')) *
      (1 - weight(CIA_IMPACT, metrics, 'I')) *
      (1 - weight(CIA_IMPACT, metrics, 'A'));
  const impact = scopeChanged ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability =
    8.22 *
    weight(ATTACK_VECTOR, metrics, 'AV') *
    weight(ATTACK_COMPLEXITY, metrics, 'AC') *
    weight(scopeChanged ? PRIVILEGES_CHANGED : PRIVILEGES_UNCHANGED, metrics, 'PR') *
    weight(USER_INTERACTION, metrics, 'UI');
  if (impact <= 0) return 0;
  // v3.0 defined Roundup as a plain ceiling; v3.1 §7.4 replaced it to fix floating-point
  // artefacts without changing any intended score, so both versions use the v3.1 function.
  return scopeChanged
    ? roundUp(Math.min(1.08 * (impact + exploitability), 10))
    : roundUp(Math.min(impact + exploitability, 10));
}

/** Parses a CVSS v3.x vector string and returns its base score and rating. */
export function scoreCvss3(vector: string): Cvss3Score {
  const parsed = parseCvss3(vector);
  const baseScore = cvss3BaseScore(parsed);
  return { version: parsed.version, baseScore, rating: cvssRating(baseScore) };
}
