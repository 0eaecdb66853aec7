import { describe, expect, it } from 'vitest';
import {
  CvssVectorError,
  cvssRating,
  parseCvss3,
  roundUp,
  scoreCvss3,
} from '../../../src/scanner/severity/cvss3.js';

/**
 * Base scores published in FIRST's "CVSS v3.1 Examples" document and by NVD for well-known CVEs.
 * Every base vector's score was also cross-checked against an independent implementation
 * (Debian's ruby-cvss-suite 3.1.0) over the whole v3.0 and v3.1 base metric space.
 */
const PUBLISHED: readonly [name: string, vector: string, score: number][] = [
  ['Log4Shell CVE-2021-44228 (NVD)', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
  ['Heartbleed CVE-2014-0160 (NVD)', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
  ['Shellshock CVE-2014-6271 (examples)', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
  ['POODLE CVE-2014-3566 (examples)', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1],
  ['phpMyAdmin XSS CVE-2013-1937 (examples)', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
  ['MySQL CVE-2013-0375 (examples)', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
  [
    'VMware guest escape CVE-2012-1516 (examples)',
    'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H',
    9.9,
  ],
  ['Cisco IOS CVE-2012-0384 (examples)', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8],
  ['Apple iWork CVE-2015-1098 (examples)', 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8],
  [
    'DNS cache poisoning CVE-2008-1447 (examples)',
    'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N',
    6.8,
  ],
  ['Sophos physical CVE-2014-2005 (examples)', 'CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8],
  ['Joomla CVE-2010-0467 (examples)', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N', 5.8],
  ['OpenSSL CCS CVE-2014-0224 (examples)', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N', 7.4],
  [
    'Chrome sandbox escape CVE-2012-5376 (examples)',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H',
    9.6,
  ],
  [
    'Spectre v1 CVE-2017-5753 (NVD, scope changed)',
    'CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:N/A:N',
    5.6,
  ],
  ['Dirty COW CVE-2016-5195 (NVD)', 'CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H', 7],
  ['sudo Baron Samedit CVE-2021-3156 (NVD)', 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8],
  // Scope changed at the bottom of the scale: PR:H weighs 0.5 (not 0.27) and 1.08 multiplies.
  ['scope changed, lowest impact', 'CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N', 1.8],
  ['scope changed, low', 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:C/C:N/I:L/A:N', 2.3],
  ['no impact scores zero', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N', 0],
  // v3.0 vectors: identical base equations.
  ['v3.0 Heartbleed', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
  ['v3.0 scope changed', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
  ['v3.0 local', 'CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5],
  // Temporal and environmental metrics are tolerated; the base score ignores them.
  [
    'temporal and environmental metrics present',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:W/RC:C/CR:H/MAV:L',
    6.1,
  ],
  ['metrics in another order', 'CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:N/A:N', 7.5],
];

describe('CVSS v3 base score', () => {
  it.each(PUBLISHED)('%s', (_name, vector, score) => {
    expect(scoreCvss3(vector).baseScore).toBe(score);
  });

  it('reports the version', () => {
    expect(scoreCvss3('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N').version).toBe('3.0');
    expect(scoreCvss3('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N').version).toBe('3.1');
  });
});

describe('Roundup (v3.1 §7.4, Appendix A)', () => {
  const cases: readonly [input: number, expected: number][] = [
    // The two examples in the specification's definition.
    [4.02, 4.1],
    [4.0, 4.0],
    // Binary artefacts just above a one-decimal value: a plain ceiling gives 4.1 and 0.4.
    [4.000000000000001, 4.0],
    [0.1 * 3, 0.3],
    [0, 0],
    [9.99, 10],
    [10, 10],
  ];
  it.each(cases)('Roundup(%s) = %s', (input, expected) => {
    expect(roundUp(input)).toBe(expected);
  });

  it('differs from a plain ceiling exactly on floating-point artefacts', () => {
    const artefact = 0.1 * 3; // 0.30000000000000004
    expect(Math.ceil(artefact * 10) / 10).toBe(0.4);
    expect(roundUp(artefact)).toBe(0.3);
  });
});

describe('qualitative rating (v3.1 §5)', () => {
  const cases: readonly [score: number, rating: string][] = [
    [0, 'None'],
    [0.1, 'Low'],
    [3.9, 'Low'],
    [4, 'Medium'],
    [6.9, 'Medium'],
    [7, 'High'],
    [8.9, 'High'],
    [9, 'Critical'],
    [10, 'Critical'],
  ];
  it.each(cases)('%s is %s', (score, rating) => {
    expect(cvssRating(score)).toBe(rating);
  });
});

describe('CVSS v3 validation', () => {
  const invalid: readonly [name: string, vector: string, reason: RegExp][] = [
    ['no prefix', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', /prefix/],
    ['v2 vector', 'AV:N/AC:L/Au:N/C:P/I:P/A:P', /prefix/],
    ['v4 vector', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /prefix/],
    ['missing scope', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:N/A:N', /missing base metric\(s\) S/],
    [
      'duplicate metric',
      'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      /duplicate metric AV/,
    ],
    [
      'unknown value',
      'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      /unknown value X for metric AV/,
    ],
    ['unknown metric', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/ZZ:Y', /unknown metric ZZ/],
    ['trailing slash', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/', /malformed metric/],
    ['missing value', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A', /malformed metric/],
    ['lower case', 'CVSS:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:n/a:n', /unknown metric av/],
    ['empty', '', /prefix/],
  ];
  it.each(invalid)('rejects %s', (_name, vector, reason) => {
    expect(() => parseCvss3(vector)).toThrow(CvssVectorError);
    expect(() => parseCvss3(vector)).toThrow(reason);
  });
});
