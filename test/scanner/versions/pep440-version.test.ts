import { describe, expect, it } from 'vitest';
import {
  parsePep440Version,
  pep440VersionScheme,
} from '../../../src/scanner/versions/pep440-version.js';
import { VersionParseError } from '../../../src/scanner/versions/version-scheme.js';
import { expectAscending, expectOrderLaws, versionsOf } from './order-laws.js';

/** PEP 440, "Summary of permitted suffixes and relative ordering": the PEP's own list, ascending. */
const PEP440_SUMMARY_ORDER = [
  '1.dev0',
  '1.0.dev456',
  '1.0a1',
  '1.0a2.dev456',
  '1.0a12.dev456',
  '1.0a12',
  '1.0b1.dev456',
  '1.0b2',
  '1.0b2.post345.dev456',
  '1.0b2.post345',
  '1.0rc1.dev456',
  '1.0rc1',
  '1.0',
  '1.0+abc.5',
  '1.0+abc.7',
  '1.0+5',
  '1.0.post456.dev34',
  '1.0.post456',
  '1.0.15',
  '1.1.dev1',
];

/** Epochs and final releases, from PEP 440's "Version epochs" and "Final releases" sections. */
const EPOCH_ORDER = ['1.0', '1.1', '2.0', '2013.10', '2014.04', '1!1.0', '1!1.1', '1!2.0'];

/** PEP 440 "Normalization" examples: each pair is the same version. */
const NORMALISED: readonly (readonly [string, string, number])[] = [
  ['1.0', '1.0.0', 0],
  ['1.0', '1.0.0.0', 0],
  ['0!1.0', '1.0', 0],
  ['01.02', '1.2', 0],
  ['1.1RC1', '1.1rc1', 0],
  ['1.1.a1', '1.1a1', 0],
  ['1.1-a1', '1.1a1', 0],
  ['1.1_a1', '1.1a1', 0],
  ['1.0a.1', '1.0a1', 0],
  ['1.0a', '1.0a0', 0],
  ['1.1alpha1', '1.1a1', 0],
  ['1.1beta2', '1.1b2', 0],
  ['1.1c3', '1.1rc3', 0],
  ['1.1pre3', '1.1rc3', 0],
  ['1.1preview3', '1.1rc3', 0],
  ['1.2-post2', '1.2.post2', 0],
  ['1.2post2', '1.2.post2', 0],
  ['1.2_post2', '1.2.post2', 0],
  ['1.2.post', '1.2.post0', 0],
  ['1.0-r4', '1.0.post4', 0],
  ['1.0-rev4', '1.0.post4', 0],
  ['1.0-1', '1.0.post1', 0],
  ['1.2-dev2', '1.2.dev2', 0],
  ['1.2dev2', '1.2.dev2', 0],
  ['1.2.dev', '1.2.dev0', 0],
  ['1.0+ubuntu-1', '1.0+ubuntu.1', 0],
  ['1.0+ubuntu_1', '1.0+ubuntu.1', 0],
  ['1.0+UBUNTU.1', '1.0+ubuntu.1', 0],
  ['1.0+ubuntu.01', '1.0+ubuntu.1', 0],
  ['v1.0', '1.0', 0],
  ['V1.0', '1.0', 0],
  [' 1.0\n', '1.0', 0],
  ['1.0RC1.POST2.DEV3', '1.0rc1.post2.dev3', 0],
];

/** Further orderings the PEP states: [a, b, expected sign]. */
const PAIRS: readonly (readonly [string, string, number])[] = [
  // Local versions sort after their public version; numbers above strings; longer wins.
  ['1.0+abc', '1.0+abc.1', -1],
  ['1.0+abc.1', '1.0+1', -1],
  ['1.0+2', '1.0+10', -1],
  ['1.0+abc', '1.0+abd', -1],
  // A post-release of a pre-release sorts before the next pre-release.
  ['1.0a1.post1', '1.0a2', -1],
  ['1.0a1', '1.0a1.post1', -1],
  // Release segments compare numerically.
  ['1.9', '1.10', -1],
  ['1.0.dev1', '1.0a1', -1],
  ['1.0.post1', '1.0.1', -1],
  ['1!0.1', '2.0', 1],
];

const INVALID = [
  '',
  'abc',
  '1.0-',
  '1.0+',
  '1.0+a..b',
  '1..0',
  '1.0.',
  '1.0a1b2',
  '1.0 1',
  '!1.0',
  '1.0+abc+1',
  'vv1.0',
  '1.0-dev-1-1',
];

describe('pep440 version scheme', () => {
  it("orders PEP 440's summary example", () => {
    expectAscending(pep440VersionScheme, PEP440_SUMMARY_ORDER);
  });

  it('orders epochs and final releases', () => {
    expectAscending(pep440VersionScheme, EPOCH_ORDER);
  });

  it.each([...NORMALISED, ...PAIRS])('compare(%j, %j) has sign %i', (a, b, expected) => {
    expect(pep440VersionScheme.compare(a, b)).toBe(expected);
    expect(pep440VersionScheme.compare(b, a)).toBe(-expected || 0);
  });

  it.each(INVALID)('rejects %j', (version) => {
    expect(pep440VersionScheme.isValid(version)).toBe(false);
    expect(() => pep440VersionScheme.compare(version, '1.0')).toThrow(VersionParseError);
  });

  it('normalises every part', () => {
    expect(parsePep440Version('V2!1.02.0-Preview_3.Rev.DEV+Ubuntu-01')).toEqual({
      epoch: 2n,
      release: [1n, 2n],
      pre: { phase: 'rc', number: 3n },
      post: 0n,
      dev: 0n,
      local: ['ubuntu', 1n],
    });
  });

  it('is a total order on every version in the tables', () => {
    expectOrderLaws(pep440VersionScheme, [
      ...PEP440_SUMMARY_ORDER,
      ...EPOCH_ORDER,
      ...versionsOf(NORMALISED),
      ...versionsOf(PAIRS),
    ]);
  });
});
