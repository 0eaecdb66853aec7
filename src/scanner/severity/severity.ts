/**
 * One severity per vulnerability, from the best evidence an advisory carries: a CVSS v4.0 vector,
 * else CVSS v3.x vectors, else the advisory's own severity word, else Debian's urgency. The result
 * always says which source decided, so a report reader can weigh it.
 */
import { type CvssRating, cvssRating, scoreCvss3 } from './cvss3.js';
import { scoreCvss4 } from './cvss4.js';

/** Goldsmith's severity scale, as Trivy and Grype report it. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'negligible' | 'unknown';

/** Which evidence decided a {@link SeverityAssessment}. */
export type SeveritySource = 'cvss-v4' | 'cvss-v3' | 'advisory' | 'debian-urgency' | 'none';

/** The severity of one vulnerability and where it came from. */
export interface SeverityAssessment {
  severity: Severity;
  /** The CVSS score when a vector decided, else null. */
  score: number | null;
  source: SeveritySource;
  /** The vector that decided, else null. */
  vector: string | null;
  /** Vectors or words that could not be used, one message each. */
  warnings: string[];
}

/** Everything an advisory may say about severity; every field is optional. */
export interface SeverityInput {
  /** CVSS v4.0 vector strings (`CVSS:4.0/...`). */
  cvssV4?: readonly string[];
  /** CVSS v3.0/v3.1 vector strings (`CVSS:3.1/...`). */
  cvssV3?: readonly string[];
  /** The advisory's own word, e.g. GitHub's `MODERATE` or Red Hat's `Important`. */
  advisorySeverity?: string;
  /** Debian security tracker urgency, e.g. `low**` or `not yet assigned`. */
  debianUrgency?: string;
}

/** CVSS qualitative ratings (v3.1 §5, v4.0 §6) on Goldsmith's scale; "None" scores 0.0. */
const FROM_RATING: Readonly<Record<CvssRating, Severity>> = {
  None: 'negligible',
  Low: 'low',
  Medium: 'medium',
  High: 'high',
  Critical: 'critical',
};

/**
 * Severity words used by advisory sources: OSV `database_specific.severity` (GitHub: LOW,
 * MODERATE, HIGH, CRITICAL), Red Hat and SUSE (low, moderate, important, critical), Ubuntu
 * (negligible, low, medium, high, critical) and NVD v2 ratings.
 */
const ADVISORY_WORDS: Readonly<Record<string, Severity>> = {
  critical: 'critical',
  urgent: 'critical',
  high: 'high',
  important: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  negligible: 'negligible',
  none: 'negligible',
  informational: 'negligible',
  unimportant: 'negligible',
  unknown: 'unknown',
};

/**
 * Debian security tracker urgencies. These are upload priorities set by the security team, not
 * severities: they say how soon a fix should ship to Debian users, and reflect Debian's exposure
 * rather than the flaw. We use them only when nothing better exists. The trailing `*`/`**` marks
 * low urgencies the team judged even less pressing, so they stay low.
 */
const DEBIAN_URGENCIES: Readonly<Record<string, Severity>> = {
  unimportant: 'negligible',
  low: 'low',
  'low*': 'low',
  'low**': 'low',
  medium: 'medium',
  high: 'high',
  // Changelog upload urgencies (Debian Policy §5.6.17) reach us from changelog-derived records.
  emergency: 'critical',
  critical: 'critical',
  'not yet assigned': 'unknown',
  // The tracker's mark for a package no longer supported: says nothing about the flaw.
  'end-of-life': 'unknown',
};

function normalise(word: string): string {
  return word.trim().toLowerCase().replace(/\s+/g, ' ');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The highest-scoring valid vector, recording each invalid one in `warnings`. */
function highest(
  vectors: readonly string[] | undefined,
  score: (vector: string) => number,
  label: string,
  warnings: string[],
): { score: number; vector: string } | undefined {
  let best: { score: number; vector: string } | undefined;
  for (const vector of vectors ?? []) {
    try {
      const value = score(vector);
      if (best === undefined || value > best.score) best = { score: value, vector };
    } catch (error) {
      warnings.push(`skipped ${label} vector: ${messageOf(error)}`);
    }
  }
  return best;
}

/**
 * Decides one severity from an advisory's evidence; invalid vectors and unknown words are skipped
 * and reported in `warnings`, never thrown.
 */
export function assessSeverity(input: SeverityInput): SeverityAssessment {
  const warnings: string[] = [];

  // A v4.0 vector supersedes v3.x: it scores the same flaw with the newer model. Several vectors
  // of one version (NVD's, the CNA's, the distribution's) can disagree; take the worst case.
  const v4 = highest(input.cvssV4, (vector) => scoreCvss4(vector).score, 'CVSS v4.0', warnings);
  if (v4) {
    const severity = FROM_RATING[cvssRating(v4.score)];
    return { severity, score: v4.score, source: 'cvss-v4', vector: v4.vector, warnings };
  }
  const v3 = highest(input.cvssV3, (vector) => scoreCvss3(vector).baseScore, 'CVSS v3', warnings);
  if (v3) {
    const severity = FROM_RATING[cvssRating(v3.score)];
    return { severity, score: v3.score, source: 'cvss-v3', vector: v3.vector, warnings };
  }

  if (input.advisorySeverity !== undefined && input.advisorySeverity.trim() !== '') {
    const severity = ADVISORY_WORDS[normalise(input.advisorySeverity)];
    if (severity) return { severity, score: null, source: 'advisory', vector: null, warnings };
    warnings.push(`unknown advisory severity ${JSON.stringify(input.advisorySeverity)}`);
  }

  if (input.debianUrgency !== undefined && input.debianUrgency.trim() !== '') {
    const severity = DEBIAN_URGENCIES[normalise(input.debianUrgency)];
    if (severity) {
      return { severity, score: null, source: 'debian-urgency', vector: null, warnings };
    }
    warnings.push(`unknown Debian urgency ${JSON.stringify(input.debianUrgency)}`);
  }

  return { severity: 'unknown', score: null, source: 'none', vector: null, warnings };
}
