import { describe, expect, it } from 'vitest';
import {
  type SeverityAssessment,
  type SeverityInput,
  assessSeverity,
} from '../../../src/scanner/severity/severity.js';

const V4_CRITICAL = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
const V4_LOW = 'CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N';
const LOG4SHELL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H';
const HEARTBLEED = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N';
const POODLE = 'CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N';
const NO_IMPACT = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N';
const BROKEN_V3 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N';
const BROKEN_V4 = 'CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

const none = (warnings: string[] = []): SeverityAssessment => ({
  severity: 'unknown',
  score: null,
  source: 'none',
  vector: null,
  warnings,
});

const cases: readonly [name: string, input: SeverityInput, expected: SeverityAssessment][] = [
  [
    'v4.0 wins over v3.x, even when lower',
    { cvssV4: [V4_LOW], cvssV3: [LOG4SHELL], advisorySeverity: 'CRITICAL' },
    { severity: 'low', score: 2.1, source: 'cvss-v4', vector: V4_LOW, warnings: [] },
  ],
  [
    'highest of several v4.0 vectors, invalid ones skipped',
    { cvssV4: [V4_LOW, BROKEN_V4, V4_CRITICAL] },
    {
      severity: 'critical',
      score: 9.3,
      source: 'cvss-v4',
      vector: V4_CRITICAL,
      warnings: [expect.stringContaining('skipped CVSS v4.0 vector')],
    },
  ],
  [
    'v4.0 critical',
    { cvssV4: [V4_CRITICAL] },
    { severity: 'critical', score: 9.3, source: 'cvss-v4', vector: V4_CRITICAL, warnings: [] },
  ],
  [
    'invalid v4.0 falls back to v3 with a warning',
    { cvssV4: [BROKEN_V4], cvssV3: [HEARTBLEED] },
    {
      severity: 'high',
      score: 7.5,
      source: 'cvss-v3',
      vector: HEARTBLEED,
      warnings: [expect.stringMatching(/^skipped CVSS v4.0 vector: .*missing base metric\(s\) AT/)],
    },
  ],
  [
    'highest of several v3 vectors',
    { cvssV3: [POODLE, LOG4SHELL, HEARTBLEED] },
    { severity: 'critical', score: 10, source: 'cvss-v3', vector: LOG4SHELL, warnings: [] },
  ],
  [
    'v3.0 low',
    { cvssV3: [POODLE] },
    { severity: 'low', score: 3.1, source: 'cvss-v3', vector: POODLE, warnings: [] },
  ],
  [
    'a zero score is negligible',
    { cvssV3: [NO_IMPACT] },
    { severity: 'negligible', score: 0, source: 'cvss-v3', vector: NO_IMPACT, warnings: [] },
  ],
  [
    'invalid v3 skipped, valid one used',
    { cvssV3: [BROKEN_V3, HEARTBLEED] },
    {
      severity: 'high',
      score: 7.5,
      source: 'cvss-v3',
      vector: HEARTBLEED,
      warnings: [expect.stringMatching(/^skipped CVSS v3 vector: .*missing base metric\(s\) A/)],
    },
  ],
  [
    'all vectors invalid: advisory word',
    { cvssV3: [BROKEN_V3], advisorySeverity: 'MODERATE' },
    {
      severity: 'medium',
      score: null,
      source: 'advisory',
      vector: null,
      warnings: [expect.stringContaining('skipped CVSS v3 vector')],
    },
  ],
  [
    'Red Hat important',
    { advisorySeverity: 'Important', debianUrgency: 'low' },
    { severity: 'high', score: null, source: 'advisory', vector: null, warnings: [] },
  ],
  [
    'GitHub critical',
    { advisorySeverity: 'CRITICAL' },
    { severity: 'critical', score: null, source: 'advisory', vector: null, warnings: [] },
  ],
  [
    'unknown advisory word falls back to Debian urgency',
    { advisorySeverity: 'spicy', debianUrgency: 'medium' },
    {
      severity: 'medium',
      score: null,
      source: 'debian-urgency',
      vector: null,
      warnings: ['unknown advisory severity "spicy"'],
    },
  ],
  [
    'Debian unimportant',
    { debianUrgency: 'unimportant' },
    { severity: 'negligible', score: null, source: 'debian-urgency', vector: null, warnings: [] },
  ],
  [
    'Debian low**',
    { debianUrgency: 'low**' },
    { severity: 'low', score: null, source: 'debian-urgency', vector: null, warnings: [] },
  ],
  [
    'Debian low*',
    { debianUrgency: 'low*' },
    { severity: 'low', score: null, source: 'debian-urgency', vector: null, warnings: [] },
  ],
  [
    'Debian high',
    { debianUrgency: 'high' },
    { severity: 'high', score: null, source: 'debian-urgency', vector: null, warnings: [] },
  ],
  [
    'Debian not yet assigned',
    { debianUrgency: 'not yet assigned' },
    { severity: 'unknown', score: null, source: 'debian-urgency', vector: null, warnings: [] },
  ],
  [
    'unknown Debian urgency',
    { debianUrgency: 'whenever' },
    none(['unknown Debian urgency "whenever"']),
  ],
  ['nothing at all', {}, none()],
  ['empty lists and blank words', { cvssV4: [], cvssV3: [], advisorySeverity: ' ' }, none()],
];

describe('assessSeverity', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    expect(assessSeverity(input)).toEqual(expected);
  });

  it('never throws on garbage', () => {
    const result = assessSeverity({ cvssV4: ['', 'CVSS:4.0/'], cvssV3: ['CVSS:3.1/::'] });
    expect(result.source).toBe('none');
    expect(result.warnings).toHaveLength(3);
  });
});
