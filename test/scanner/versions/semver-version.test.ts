import { describe, expect, it } from 'vitest';
import {
  goSemverVersionScheme,
  parseSemverVersion,
  semverVersionScheme,
} from '../../../src/scanner/versions/semver-version.js';
import { VersionParseError } from '../../../src/scanner/versions/version-scheme.js';
import { expectAscending, expectOrderLaws, versionsOf } from './order-laws.js';

/** semver.org §11's own examples, each list ascending. */
const SEMVER_ORG_ORDERS = [
  ['1.0.0', '2.0.0', '2.1.0', '2.1.1'],
  ['1.0.0-alpha', '1.0.0'],
  [
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
  ],
];

/** [a, b, expected sign] under npm's loose reading. */
const NPM_PAIRS: readonly (readonly [string, string, number])[] = [
  // §10: build metadata does not take part in precedence.
  ['1.0.0+20130313144700', '1.0.0', 0],
  ['1.0.0-beta+exp.sha.5114f85', '1.0.0-beta', 0],
  // §2: numbers compare numerically, not lexically.
  ['1.9.0', '1.10.0', -1],
  ['1.0.0-alpha.9', '1.0.0-alpha.10', -1],
  ['1.0.0-9', '1.0.0-a', -1],
  ['1.0.0-Z', '1.0.0-a', -1],
  ['1.0.0-alpha-1', '1.0.0-alpha.1', 1],
  // npm's loose forms: leading `v`/`=`/spaces, leading zeros, a prerelease without `-`.
  ['v1.2.3', '1.2.3', 0],
  ['=1.2.3', '1.2.3', 0],
  [' =v1.2.3 ', '1.2.3', 0],
  ['01.02.03', '1.2.3', 0],
  ['1.2.3beta', '1.2.3-beta', 0],
  ['1.2.3-01', '1.2.3-1', 0],
  ['9007199254740991.0.0', '9007199254740990.0.0', 1],
  ['1.0.0-99999999999999999999', '1.0.0-99999999999999999998', 1],
];

/** Go module versions: [a, b, expected sign]; OSV writes them without the `v`. */
const GO_PAIRS: readonly (readonly [string, string, number])[] = [
  ['v1.2.3', '1.2.3', 0],
  ['v0.0.0-20191109021931-daa7c04131f5', 'v0.0.0-20200101000000-0123456789ab', -1],
  ['v0.0.0-20191109021931-daa7c04131f5', 'v0.0.1', -1],
  ['v1.5.0-pre.0.20200101000000-0123456789ab', 'v1.5.0', -1],
  ['v2.0.0+incompatible', 'v2.0.0', 0],
  ['v1.10.0', 'v1.9.9', 1],
];

const NPM_INVALID = [
  '',
  '1',
  '1.2',
  '1.2.3.4',
  'x1.2.3',
  '1.2.3-a.',
  '1.2.3+',
  '1.2.3-a..b',
  '9007199254740992.0.0',
  `1.2.3-${'a'.repeat(260)}`,
];
const GO_INVALID = ['v1.2', '=1.2.3', '01.2.3', 'v1.2.3-01', 'v1.2.3beta', ' v1.2.3', 'V1.2.3'];

describe('semver version scheme (npm)', () => {
  it.each(SEMVER_ORG_ORDERS)('orders semver.org §11 example %#', (...versions) => {
    expectAscending(semverVersionScheme, versions);
  });

  it.each(NPM_PAIRS)('compare(%j, %j) has sign %i', (a, b, expected) => {
    expect(semverVersionScheme.compare(a, b)).toBe(expected);
    expect(semverVersionScheme.compare(b, a)).toBe(-expected || 0);
  });

  it.each(NPM_INVALID)('rejects %j', (version) => {
    expect(semverVersionScheme.isValid(version)).toBe(false);
    expect(() => semverVersionScheme.compare(version, '1.0.0')).toThrow(VersionParseError);
  });

  it('drops build metadata and splits prerelease identifiers', () => {
    expect(parseSemverVersion('v1.2.3-rc.1+build.5')).toEqual({
      major: 1n,
      minor: 2n,
      patch: 3n,
      prerelease: ['rc', '1'],
    });
  });

  it('is a total order on every version in the tables', () => {
    expectOrderLaws(semverVersionScheme, [...SEMVER_ORG_ORDERS.flat(), ...versionsOf(NPM_PAIRS)]);
  });
});

describe('semver version scheme (Go)', () => {
  it.each(SEMVER_ORG_ORDERS)('orders semver.org §11 example %#', (...versions) => {
    expectAscending(goSemverVersionScheme, versions);
    expectAscending(
      goSemverVersionScheme,
      versions.map((v) => `v${v}`),
    );
  });

  it.each(GO_PAIRS)('compare(%j, %j) has sign %i', (a, b, expected) => {
    expect(goSemverVersionScheme.compare(a, b)).toBe(expected);
    expect(goSemverVersionScheme.compare(b, a)).toBe(-expected || 0);
  });

  it.each(GO_INVALID)('rejects %j, which only npm accepts', (version) => {
    expect(goSemverVersionScheme.isValid(version)).toBe(false);
  });

  it('is a total order on every version in the tables', () => {
    expectOrderLaws(goSemverVersionScheme, versionsOf(GO_PAIRS));
  });
});
