import { describe, expect, it } from 'vitest';
import { mavenVersionScheme } from '../../../src/scanner/versions/maven-version.js';
import { VersionParseError } from '../../../src/scanner/versions/version-scheme.js';
import { expectAscending, expectOrderLaws, versionsOf } from './order-laws.js';

/** Maven's ComparableVersionTest: VERSIONS_QUALIFIER and VERSIONS_NUMBER, each ascending. */
const VERSIONS_QUALIFIER = [
  '1-alpha2snapshot',
  '1-alpha2',
  '1-alpha-123',
  '1-beta-2',
  '1-beta123',
  '1-m2',
  '1-m11',
  '1-rc',
  '1-cr2',
  '1-rc123',
  '1-SNAPSHOT',
  '1',
  '1-sp',
  '1-sp2',
  '1-sp123',
  '1-abc',
  '1-def',
  '1-pom-1',
  '1-1-snapshot',
  '1-1',
  '1-2',
  '1-123',
];
const VERSIONS_NUMBER = [
  '2.0',
  '2.0.a',
  '2-1',
  '2.0.2',
  '2.0.123',
  '2.1.0',
  '2.1-a',
  '2.1b',
  '2.1-c',
  '2.1-1',
  '2.1.0.1',
  '2.2',
  '2.123',
  '11.a2',
  '11.a11',
  '11.b2',
  '11.b11',
  '11.m2',
  '11.m11',
  '11',
  '11.a',
  '11b',
  '11c',
  '11m',
];

/** ComparableVersionTest's testVersionsEqual and testVersionsHaveSameOrderButAreNotEqual. */
const EQUAL = [
  ['1', '1.0'],
  ['1', '1.0.0'],
  ['1.0', '1.0.0'],
  ['1', '1-0'],
  ['1', '1.0-0'],
  ['1.0', '1.0-0'],
  ['1a', '1-a'],
  ['1a', '1.0-a'],
  ['1a', '1.0.0-a'],
  ['1.0a', '1-a'],
  ['1.0.0a', '1-a'],
  ['1x', '1-x'],
  ['1x', '1.0-x'],
  ['1x', '1.0.0-x'],
  ['1.0x', '1-x'],
  ['1.0.0x', '1-x'],
  ['1cr', '1rc'],
  ['1a1', '1-alpha-1'],
  ['1b2', '1-beta-2'],
  ['1m3', '1-milestone-3'],
  ['1X', '1x'],
  ['1A', '1a'],
  ['1B', '1b'],
  ['1M', '1m'],
  ['1Cr', '1Rc'],
  ['1cR', '1rC'],
  ['1m3', '1Milestone3'],
  ['1m3', '1MileStone3'],
  ['1m3', '1MILESTONE3'],
  ['1ga', '1'],
  ['1release', '1'],
  ['1final', '1'],
  ['1Ga', '1'],
  ['1GA', '1'],
  ['1RELEASE', '1'],
  ['1RELeaSE', '1'],
  ['1Final', '1'],
  ['1FinaL', '1'],
  ['1FINAL', '1'],
  ['1.0.0-alpha1', '1.0.0-ALPHA1'],
  ['1.a', '1.A'],
  ['1-abcdefghijklmnopqrstuvwxyz', '1-ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
  // testVersionEqualWithLeadingZeroes and testVersionZeroEqualWithLeadingZeroes.
  ['0000000000000000001', '1'],
  ['01', '1'],
  ['0000000000000000000', '0'],
  ['00', '0'],
].map(([a, b]): [string, string, number] => [a ?? '', b ?? '', 0]);

/** ComparableVersionTest's testVersionComparing and the MNG regression tests: a < b. */
const LESS = [
  ['1', '2'],
  ['1.5', '2'],
  ['1', '2.5'],
  ['1.0', '1.1'],
  ['1.1', '1.2'],
  ['1.0.0', '1.1'],
  ['1.0.1', '1.1'],
  ['1.1', '1.2.0'],
  ['1.0-alpha-1', '1.0'],
  ['1.0-alpha-1', '1.0-alpha-2'],
  ['1.0-alpha-1', '1.0-beta-1'],
  ['1.0-beta-1', '1.0-SNAPSHOT'],
  ['1.0-SNAPSHOT', '1.0'],
  ['1.0-alpha-1-SNAPSHOT', '1.0-alpha-1'],
  ['1.0', '1.0-1'],
  ['1.0-1', '1.0-2'],
  ['1.0.0', '1.0-1'],
  ['2.0-1', '2.0.1'],
  ['2.0.1-klm', '2.0.1-lmn'],
  ['2.0.1', '2.0.1-xyz'],
  ['2.0.1', '2.0.1-123'],
  ['2.0.1-xyz', '2.0.1-123'],
  ['0.7', '2'],
  ['0.2', '1.0.7'],
  ['J', '7'],
  ['c', '7'],
  ['aardvark', 'zebra'],
  // MNG-5568: transitivity.
  ['6.1.0rc3', '6.1.0'],
  ['6.1.0rc3', '6.1H.5-beta'],
  ['6.1.0', '6.1H.5-beta'],
  // MNG-6572: long numbers.
  ['20190126.230843', '1234567890.12345'],
  ['1234567890.12345', '123456789012345.1H.5-beta'],
  ['123456789012345.1H.5-beta', '12345678901234567890.1H.5-beta'],
  // MNG-6964: a `-0.` qualifier is below the release.
  ['1-0.alpha', '1'],
  ['1-0.beta', '1'],
  ['1-0.alpha', '1-0.beta'],
  // MNG-7714: final < sp, however sp is written.
  ['1.0.final-redhat', '1.0-sp1-redhat'],
  ['1.0.final-redhat', '1.0-sp-1-redhat'],
  ['1.0.final-redhat', '1.0-sp.1-redhat'],
].map(([a, b]): [string, string, number] => [a ?? '', b ?? '', -1]);

/** MNG-7644: 1.0.0.X1 < 1.0.0-X2, and 2-X == 2.0.X == 2.0.0.X, for any qualifier X. */
const MNG_7644 = ['abc', 'alpha', 'a', 'beta', 'b', 'def', 'milestone', 'm', 'RC'].flatMap(
  (x): [string, string, number][] => [
    [`1.0.0.${x}1`, `1.0.0-${x}2`, -1],
    [`2-${x}`, `2.0.${x}`, 0],
    [`2-${x}`, `2.0.0.${x}`, 0],
    [`2.0.${x}`, `2.0.0.${x}`, 0],
  ],
);

describe('maven version scheme', () => {
  it.each([
    ['VERSIONS_QUALIFIER', VERSIONS_QUALIFIER],
    ['VERSIONS_NUMBER', VERSIONS_NUMBER],
  ])('orders ComparableVersionTest.%s', (_name, versions) => {
    expectAscending(mavenVersionScheme, versions);
  });

  it.each([...EQUAL, ...LESS, ...MNG_7644])('compare(%j, %j) has sign %i', (a, b, expected) => {
    expect(mavenVersionScheme.compare(a, b)).toBe(expected);
    expect(mavenVersionScheme.compare(b, a)).toBe(-expected || 0);
  });

  it('orders the qualifiers alpha < beta < milestone < rc = cr < snapshot < release < sp < unknown', () => {
    expectAscending(mavenVersionScheme, [
      '1-alpha',
      '1-beta',
      '1-milestone',
      '1-rc',
      '1-snapshot',
      '1',
      '1-sp',
      '1-abc',
      '1-xyz',
    ]);
  });

  it.each(['', 'x'.repeat(257)])('rejects %j', (version) => {
    expect(mavenVersionScheme.isValid(version)).toBe(false);
    expect(() => mavenVersionScheme.compare(version, '1')).toThrow(VersionParseError);
  });

  it('is a total order on every version in the tables', () => {
    expectOrderLaws(mavenVersionScheme, [
      ...VERSIONS_QUALIFIER,
      ...VERSIONS_NUMBER,
      ...versionsOf(EQUAL),
      ...versionsOf(LESS),
      ...versionsOf(MNG_7644),
    ]);
  });
});
