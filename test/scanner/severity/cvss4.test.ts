import { describe, expect, it } from 'vitest';
import { CvssVectorError } from '../../../src/scanner/severity/cvss3.js';
import { CVSS4_MACROVECTOR_SCORES } from '../../../src/scanner/severity/cvss4-macrovector-scores.js';
import { cvss4Score, parseCvss4, scoreCvss4 } from '../../../src/scanner/severity/cvss4.js';

/** NVD's form of a CVSS-B vector: every threat, environmental and supplemental metric `X`. */
const ALL_X =
  '/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X' +
  '/S:X/AU:X/R:X/V:X/RE:X/U:X';

/**
 * Scores published with their vectors: the two in the brief, FIRST's reference calculator
 * documentation, CNA scores that NVD lists for 2026 CVE records, and test values of other
 * implementations that agree with FIRST's calculator. The spec's §8.3 zero rule wins over one
 * such suite that scored an all-None vector 2.4.
 */
const PUBLISHED: readonly [name: string, vector: string, score: number][] = [
  [
    'brief: network, no privileges',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    9.3,
  ],
  [
    'brief: local, low privileges',
    'CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    8.5,
  ],
  ['every impact high', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10],
  [
    'low impacts (polycvss docs)',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N',
    6.9,
  ],
  [
    'reference calculator docs, CVSS-BTE',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N/E:A/MAV:A',
    8.7,
  ],
  [
    'CVE-2026-55413',
    `CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H${ALL_X}`,
    9.4,
  ],
  [
    'CVE-2026-40702',
    `CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N${ALL_X}`,
    9.3,
  ],
  [
    'CVE-2025-71327',
    `CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N${ALL_X}`,
    9.3,
  ],
  ['CVE-2026-9219', `CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N${ALL_X}`, 8.3],
  [
    'CVE-2026-12473',
    `CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:L/VA:N/SC:H/SI:L/SA:N${ALL_X}`,
    8.3,
  ],
  [
    'CVE-2026-55958',
    `CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:L/VA:H/SC:N/SI:N/SA:N${ALL_X}`,
    8.3,
  ],
  [
    'CVE-2026-55960',
    `CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N${ALL_X}`,
    8.2,
  ],
  [
    'CVE-2026-54917',
    `CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:H/SA:N${ALL_X}`,
    7.8,
  ],
  ['CVE-2026-8797', `CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N${ALL_X}`, 8.5],
  // Threat (E) and environmental metrics, values from other implementations' test suites that
  // agree with FIRST's calculator.
  [
    'E:A is the default',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:A',
    9.3,
  ],
  ['E:P', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:P', 8.8],
  ['E:U', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:U', 8],
  ['all high, E:P', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P', 8.9],
  ['all high, E:U', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U', 8.1],
  [
    'CVE-2020-3549 with E:U',
    'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U',
    5.2,
  ],
  [
    'Heartbleed in v4.0 with E:A',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N/E:A',
    8.7,
  ],
  [
    'adjacent, subsequent system',
    'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:H/SI:N/SA:H',
    6.4,
  ],
  [
    'low privileges, low impacts',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N',
    5.3,
  ],
  [
    'passive user interaction',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N',
    7.1,
  ],
  [
    'subsequent C and I high',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:N',
    9.9,
  ],
  ['adjacent', 'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N', 8.6],
  ['local', 'CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N', 8.4],
  ['attack requirements', 'CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N', 7.6],
  ['Safety', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MSI:S', 10],
  [
    'MAV:L with high requirements',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:H/AR:H/MAV:L',
    9.4,
  ],
  [
    'low requirements',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:L/AR:L',
    9.6,
  ],
  [
    'MVC:L',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:X/IR:X/AR:X/MVC:L',
    9.3,
  ],
  // §8.3: no impact on any system is 0.0 whatever the macrovector says.
  ['no impact', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0],
  ['no impact, physical', 'CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0],
];

describe('CVSS v4.0 score', () => {
  it.each(PUBLISHED)('%s', (_name, vector, score) => {
    expect(scoreCvss4(vector).score).toBe(score);
  });

  it('names the macrovector and the nomenclature (§1.3)', () => {
    expect(scoreCvss4('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toEqual({
      score: 9.3,
      rating: 'Critical',
      macroVector: '000200',
      nomenclature: 'CVSS-B',
    });
    const withX = scoreCvss4(
      `CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N${ALL_X}`,
    );
    expect(withX.nomenclature).toBe('CVSS-B');
    const threat = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U';
    expect(scoreCvss4(threat).nomenclature).toBe('CVSS-BT');
    expect(scoreCvss4(`${threat}/CR:L`).nomenclature).toBe('CVSS-BTE');
    expect(
      scoreCvss4('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:L')
        .nomenclature,
    ).toBe('CVSS-BE');
  });

  it('ignores supplemental metrics (§4)', () => {
    const base = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    expect(scoreCvss4(`${base}/S:P/AU:Y/R:I/V:C/RE:H/U:Red`).score).toBe(scoreCvss4(base).score);
  });

  it('applies threat and environmental metrics (§5)', () => {
    const base = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    // Not-defined E means Attacked, the worst case.
    expect(scoreCvss4(`${base}/E:A`).score).toBe(9.3);
    expect(scoreCvss4(`${base}/E:U`).score).toBeLessThan(9.3);
    // Safety on the subsequent system puts the vector in EQ4 level 0.
    expect(scoreCvss4(`${base}/MSI:S`).macroVector).toBe('000000');
    // A modified metric overrides its base metric.
    expect(scoreCvss4(`${base}/MAV:P`).macroVector).toBe(
      scoreCvss4(base.replace('AV:N', 'AV:P')).macroVector,
    );
  });
});

/** Turns a highest-severity vector of the reference calculator into a full CVSS v4.0 vector. */
function maximumVector(parts: Record<string, string>): string {
  const base = ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'].map((key) => {
    const value = parts[key] ?? 'N';
    // Safety (S) exists only as a modified value (§4.2).
    return `${key}:${value === 'S' ? 'H' : value}`;
  });
  const extra = ['E', 'CR', 'IR', 'AR'].map((key) => `${key}:${parts[key] ?? 'X'}`);
  const safety = ['SI', 'SA'].filter((key) => parts[key] === 'S').map((key) => `M${key}:S`);
  return ['CVSS:4.0', ...base, ...extra, ...safety].join('/');
}

describe('macrovector table', () => {
  it('holds the 270 macrovectors of §8.2', () => {
    expect(Object.keys(CVSS4_MACROVECTOR_SCORES)).toHaveLength(270);
  });

  // §8.3: a macrovector's score is the score of its highest-severity vector, so each such
  // vector must score exactly its table entry. One vector per macrovector, all 270 of them.
  const firstMaxima: Record<string, string[]> = {
    eq1: ['AV:N/PR:N/UI:N', 'AV:A/PR:N/UI:N', 'AV:P/PR:N/UI:N'],
    eq2: ['AC:L/AT:N', 'AC:H/AT:N'],
    eq4: ['SC:H/SI:S/SA:S', 'SC:H/SI:H/SA:H', 'SC:L/SI:L/SA:L'],
    eq5: ['E:A', 'E:P', 'E:U'],
  };
  const eq3eq6: Record<string, string> = {
    '00': 'VC:H/VI:H/VA:H/CR:H/IR:H/AR:H',
    '01': 'VC:H/VI:H/VA:L/CR:M/IR:M/AR:H',
    '10': 'VC:L/VI:H/VA:H/CR:H/IR:H/AR:H',
    '11': 'VC:L/VI:H/VA:L/CR:H/IR:M/AR:H',
    '21': 'VC:L/VI:L/VA:L/CR:H/IR:H/AR:H',
  };
  const cases = Object.entries(CVSS4_MACROVECTOR_SCORES).map(([macro, score]) => {
    const [eq1, eq2, eq3, eq4, eq5, eq6] = [...macro];
    const text = [
      firstMaxima.eq1?.[Number(eq1)],
      firstMaxima.eq2?.[Number(eq2)],
      eq3eq6[`${eq3}${eq6}`],
      firstMaxima.eq4?.[Number(eq4)],
      firstMaxima.eq5?.[Number(eq5)],
    ].join('/');
    const parts = Object.fromEntries(
      text.split('/').map((part) => part.split(':') as [string, string]),
    );
    return [macro, maximumVector(parts), score] as const;
  });
  it.each(cases)('%s: %s scores %s', (macro, vector, score) => {
    const result = scoreCvss4(vector);
    expect(result.macroVector).toBe(macro);
    expect(result.score).toBe(score);
  });
});

describe('CVSS v4.0 validation', () => {
  const invalid: readonly [name: string, vector: string, reason: RegExp][] = [
    ['v3 vector', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', /prefix/],
    [
      'missing AT',
      'CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      /missing base metric\(s\) AT/,
    ],
    [
      'duplicate',
      'CVSS:4.0/AV:N/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      /duplicate metric AV/,
    ],
    [
      'Safety on a base metric',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N',
      /value S for metric SI/,
    ],
    [
      'Safety on MSC',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S',
      /value S for metric MSC/,
    ],
    [
      'v3 user interaction',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      /value R for metric UI/,
    ],
    [
      'v3 metric',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/RL:O',
      /unknown metric RL/,
    ],
    [
      'empty metric',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/',
      /malformed metric/,
    ],
  ];
  it.each(invalid)('rejects %s', (_name, vector, reason) => {
    expect(() => parseCvss4(vector)).toThrow(CvssVectorError);
    expect(() => parseCvss4(vector)).toThrow(reason);
  });

  it('scores a parsed vector', () => {
    const parsed = parseCvss4('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
    expect(cvss4Score(parsed)).toBe(9.3);
  });
});
