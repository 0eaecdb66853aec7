import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { dpkgVersionScheme, parseDpkgVersion } from '../../../src/scanner/versions/dpkg-version.js';
import { VersionParseError } from '../../../src/scanner/versions/version-scheme.js';
import { expectAscending, expectOrderLaws, versionsOf } from './order-laws.js';
import { pickWith, seededRandom } from './seeded-random.js';

/** Debian Policy §5.6.12: "~~, ~~a, ~, the empty part, a" — plus dpkg's letters-before-non-letters. */
const POLICY_TILDE_ORDER = ['1.0~~', '1.0~~a', '1.0~', '1.0', '1.0a', '1.0+', '1.0.', '1.0.1'];

/** [a, b, expected sign of compare(a, b)]: Policy and dpkg's own examples, and real archive versions. */
const PAIRS: readonly (readonly [string, string, number])[] = [
  ['1.0~rc1', '1.0', -1],
  ['1:0.9', '2.0', 1],
  ['10:1.0', '9:2.0', 1],
  // A missing epoch is 0 (Policy §5.6.12).
  ['0:1.0', '1.0', 0],
  // A missing revision compares as "0", as dpkg does.
  ['1.0', '1.0-0', 0],
  ['1.0-0', '0:1.0-0', 0],
  ['1.0', '1.0-1', -1],
  // Digit runs compare numerically, so leading zeros do not count.
  ['1.00', '1.0', 0],
  ['1.9', '1.10', -1],
  ['1.0-01', '1.0-1', 0],
  // Letters sort before non-letters; upper case before lower case (ASCII).
  ['1.0a', '1.0+', -1],
  ['1.0A', '1.0a', -1],
  ['1.0+dfsg1', '1.0.1', -1],
  ['1.0-1', '1.0-1ubuntu1', -1],
  ['1.0-1~ubuntu1', '1.0-1', -1],
  // Stable updates and backports as they appear in the archive.
  ['2.31-13', '2.31-13+deb11u1', -1],
  ['2.31-13+deb11u5', '2.31-13+deb11u10', -1],
  ['7.74.0-1.3+deb11u7', '7.74.0-1.3+deb11u10', -1],
  ['1.2.3-1~bpo11+1', '1.2.3-1', -1],
  ['1:2.0~rc1-1', '1:1.99-5', 1],
  // The last hyphen splits the revision; an upstream may hold hyphens and, after an epoch, colons.
  ['1:1.2-3-4', '1:1.2-3-5', -1],
  ['1:1.2:3-1', '1:1.2-1', 1],
  [' 1.0-1 ', '1.0-1', 0],
];

const INVALID = [
  '',
  ' ',
  'a1.0',
  '1.0-',
  ':1.0',
  'x:1.0',
  '-1',
  '1:',
  '1:-1',
  '1.0 1',
  '1.0_1',
  '1.0-1_1',
  '1.0-1:2',
  '2147483648:1.0',
  '1.0-ä',
];

describe('dpkg version scheme', () => {
  it('orders the tilde example of Debian Policy §5.6.12', () => {
    expectAscending(dpkgVersionScheme, POLICY_TILDE_ORDER);
  });

  it.each(PAIRS)('compare(%j, %j) has sign %i', (a, b, expected) => {
    expect(dpkgVersionScheme.compare(a, b)).toBe(expected);
    expect(dpkgVersionScheme.compare(b, a)).toBe(-expected || 0);
  });

  it.each(INVALID)('rejects %j', (version) => {
    expect(dpkgVersionScheme.isValid(version)).toBe(false);
    expect(() => dpkgVersionScheme.compare(version, '1.0')).toThrow(VersionParseError);
  });

  it('splits epoch, upstream and revision as Policy §5.6.12 describes', () => {
    expect(parseDpkgVersion('2:1.2-3-4')).toEqual({ epoch: 2n, upstream: '1.2-3', revision: '4' });
    expect(parseDpkgVersion('1.2')).toEqual({ epoch: 0n, upstream: '1.2', revision: '' });
  });

  it('is a total order on every version in the tables', () => {
    expectOrderLaws(dpkgVersionScheme, [...POLICY_TILDE_ORDER, ...versionsOf(PAIRS)]);
  });

  it('agrees with dpkg --compare-versions on generated pairs', () => {
    const tablePairs = PAIRS.filter(([a]) => a.trim() === a).map(([a, b]): [string, string] => [
      a,
      b,
    ]);
    const pairs = [...tablePairs, ...generatePairs(400)];
    const actual = pairs.map(([a, b]) => dpkgVersionScheme.compare(a, b));
    const expected = dpkgCompare(pairs);
    const disagreements = pairs
      .map(([a, b], k) => ({ a, b, ours: actual[k], dpkg: expected[k] }))
      .filter(({ ours, dpkg }) => ours !== dpkg);
    expect(disagreements).toEqual([]);
    // Guard against a generator that only produces one answer.
    for (const sign of [-1, 0, 1])
      expect(expected.filter((s) => s === sign).length).toBeGreaterThan(10);
    expectOrderLaws(dpkgVersionScheme, [...new Set(pairs.flat())].slice(0, 120));
  });
});

/** Asks the real dpkg for each pair's order, in one shell so that 400 pairs take a second. */
function dpkgCompare(pairs: readonly (readonly [string, string])[]): number[] {
  const script = `while read -r a b; do
  if dpkg --compare-versions "$a" lt "$b"; then echo -1;
  elif dpkg --compare-versions "$a" eq "$b"; then echo 0;
  else echo 1; fi
done`;
  const input = pairs.map(([a, b]) => `${a} ${b}\n`).join('');
  const output = execFileSync('sh', ['-c', script], { input, encoding: 'utf8' });
  return output.trim().split('\n').map(Number);
}

/** Policy-valid versions built from small alphabets, so that near-ties are common. */
function generatePairs(count: number): [string, string][] {
  const next = seededRandom(20261127);
  const pick = pickWith(next);
  const tokens = ['.', '0', '1', '2', '9', '10', '01', 'a', 'b', 'A', 'z', '~', '+', '~rc1', '.1'];
  const revisionTokens = ['0', '1', '2', 'a', '+', '.', '~', 'deb11u1', 'ubuntu1', '~bpo'];
  const version = (): string => {
    const epoch = next() < 0.25 ? `${pick(['0', '1', '2', '10'])}:` : '';
    const hasRevision = next() < 0.6;
    let upstream = pick(['0', '1', '2', '9', '10', '01']);
    const extra = epoch === '' ? [] : [':'];
    const hyphen = hasRevision ? ['-'] : [];
    for (let n = Math.floor(next() * 5); n > 0; n--)
      upstream += pick([...tokens, ...extra, ...hyphen]);
    let revision = '';
    if (hasRevision)
      for (let n = 1 + Math.floor(next() * 3); n > 0; n--) revision += pick(revisionTokens);
    return `${epoch}${upstream}${hasRevision ? `-${revision}` : ''}`;
  };
  const pairs: [string, string][] = [];
  for (let k = 0; k < count; k++) {
    const a = version();
    const choice = next();
    // Half the pairs share a prefix, where ordering bugs hide.
    const b =
      choice < 0.5 ? version() : choice < 0.8 ? a + pick(['~', '+', '.', 'a', '0', '1', '~a']) : a;
    pairs.push([a, b]);
  }
  return pairs;
}
