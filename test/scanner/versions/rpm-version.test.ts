import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  parseRpmVersion,
  rpmvercmp,
  rpmVersionScheme,
} from '../../../src/scanner/versions/rpm-version.js';
import { VersionParseError } from '../../../src/scanner/versions/version-scheme.js';
import { expectAscending, expectOrderLaws, versionsOf } from './order-laws.js';
import { pickWith, seededRandom } from './seeded-random.js';

/** rpm's own table, tests/rpmvercmp.at: [a, b, rpmvercmp(a, b)]. */
const RPMVERCMP_AT: readonly (readonly [string, string, number])[] = [
  ['1.0', '1.0', 0],
  ['1.0', '2.0', -1],
  ['2.0', '1.0', 1],
  ['2.0.1', '2.0.1', 0],
  ['2.0', '2.0.1', -1],
  ['2.0.1', '2.0', 1],
  ['2.0.1a', '2.0.1a', 0],
  ['2.0.1a', '2.0.1', 1],
  ['2.0.1', '2.0.1a', -1],
  ['5.5p1', '5.5p1', 0],
  ['5.5p1', '5.5p2', -1],
  ['5.5p2', '5.5p1', 1],
  ['5.5p10', '5.5p10', 0],
  ['5.5p1', '5.5p10', -1],
  ['5.5p10', '5.5p1', 1],
  ['10xyz', '10.1xyz', -1],
  ['10.1xyz', '10xyz', 1],
  ['xyz10', 'xyz10', 0],
  ['xyz10', 'xyz10.1', -1],
  ['xyz10.1', 'xyz10', 1],
  ['xyz.4', 'xyz.4', 0],
  ['xyz.4', '8', -1],
  ['8', 'xyz.4', 1],
  ['xyz.4', '2', -1],
  ['2', 'xyz.4', 1],
  ['5.5p2', '5.6p1', -1],
  ['5.6p1', '5.5p2', 1],
  ['5.6p1', '6.5p1', -1],
  ['6.5p1', '5.6p1', 1],
  ['6.0.rc1', '6.0', 1],
  ['6.0', '6.0.rc1', -1],
  ['10b2', '10a1', 1],
  ['10a2', '10b2', -1],
  ['1.0aa', '1.0aa', 0],
  ['1.0a', '1.0aa', -1],
  ['1.0aa', '1.0a', 1],
  ['10.0001', '10.0001', 0],
  ['10.0001', '10.1', 0],
  ['10.1', '10.0001', 0],
  ['10.0001', '10.0039', -1],
  ['10.0039', '10.0001', 1],
  ['4.999.9', '5.0', -1],
  ['5.0', '4.999.9', 1],
  ['20101121', '20101121', 0],
  ['20101121', '20101122', -1],
  ['20101122', '20101121', 1],
  ['2_0', '2_0', 0],
  ['2.0', '2_0', 0],
  ['2_0', '2.0', 0],
  // RhBug:178798: separators alone compare equal.
  ['a', 'a', 0],
  ['a+', 'a+', 0],
  ['a+', 'a_', 0],
  ['a_', 'a+', 0],
  ['+a', '+a', 0],
  ['+a', '_a', 0],
  ['_a', '+a', 0],
  ['+_', '+_', 0],
  ['_+', '+_', 0],
  ['_+', '_+', 0],
  ['+', '_', 0],
  ['_', '+', 0],
  // Tilde sorts before everything, even the end.
  ['1.0~rc1', '1.0~rc1', 0],
  ['1.0~rc1', '1.0', -1],
  ['1.0', '1.0~rc1', 1],
  ['1.0~rc1', '1.0~rc2', -1],
  ['1.0~rc2', '1.0~rc1', 1],
  ['1.0~rc1~git123', '1.0~rc1~git123', 0],
  ['1.0~rc1~git123', '1.0~rc1', -1],
  ['1.0~rc1', '1.0~rc1~git123', 1],
  // rpm documents these "arguably buggy" results (RhBug:811992) as the behaviour to keep.
  ['1b.fc17', '1b.fc17', 0],
  ['1b.fc17', '1.fc17', -1],
  ['1.fc17', '1b.fc17', 1],
  ['1g.fc17', '1g.fc17', 0],
  ['1g.fc17', '1.fc17', 1],
  ['1.fc17', '1g.fc17', -1],
  // Non-ASCII characters are separators, so these are all equal.
  ['1.1.α', '1.1.α', 0],
  ['1.1.α', '1.1.β', 0],
  ['1.1.β', '1.1.α', 0],
  ['1.1.αα', '1.1.α', 0],
  ['1.1.α', '1.1.ββ', 0],
  ['1.1.ββ', '1.1.αα', 0],
];

/** Caret cases added to rpmvercmp.at with the caret operator (rpm 4.15). */
const CARET_CASES: readonly (readonly [string, string, number])[] = [
  ['1.0^', '1.0^', 0],
  ['1.0^', '1.0', 1],
  ['1.0', '1.0^', -1],
  ['1.0^git1', '1.0^git1', 0],
  ['1.0^git1', '1.0', 1],
  ['1.0', '1.0^git1', -1],
  ['1.0^git1', '1.0^git2', -1],
  ['1.0^git2', '1.0^git1', 1],
  ['1.0^git1', '1.01', -1],
  ['1.01', '1.0^git1', 1],
  ['1.0^20160101', '1.0^20160101', 0],
  ['1.0^20160101', '1.0.1', -1],
  ['1.0.1', '1.0^20160101', 1],
  ['1.0^20160101^git1', '1.0^20160101^git1', 0],
  ['1.0^20160102', '1.0^20160101^git1', 1],
  ['1.0^20160101^git1', '1.0^20160102', -1],
  ['1.0~rc1^git1', '1.0~rc1^git1', 0],
  ['1.0~rc1^git1', '1.0~rc1', 1],
  ['1.0~rc1', '1.0~rc1^git1', -1],
  ['1.0^git1~pre', '1.0^git1~pre', 0],
  ['1.0^git1', '1.0^git1~pre', 1],
  ['1.0^git1~pre', '1.0^git1', -1],
];

/**
 * Fedora Packaging Guidelines, "Versioning": `~` for pre-releases, `^` for snapshots after a
 * release, and both for a snapshot of a pre-release; all before the next release.
 */
const FEDORA_ORDER = [
  '0.4.1~rc1',
  '0.4.1~rc1^20200601git01234ab',
  '0.4.1~rc2',
  '0.4.1',
  '0.4.1^20200601git01234ab',
  '0.4.1^20200602git01234ab',
  '0.4.2~rc1',
  '0.4.2',
];

/** Whole EVRs: [a, b, expected sign]. */
const EVR_PAIRS: readonly (readonly [string, string, number])[] = [
  ['1:1.0-1', '2.0-1', 1],
  ['0:1.0-1', '1.0-1', 0],
  [':1.0-1', '1.0-1', 0],
  ['1.0-1', '1.0-2', -1],
  ['1.0-1.el8', '1.0-1.el8_1', -1],
  ['1:1.1.1k-7.el8_6', '1:1.1.1k-9.el8_7', -1],
  ['3.10.0-1160.el7', '3.10.0-1160.2.1.el7', -1],
  ['2.28-225.el8', '2.28-225.el8_8.6', -1],
  // The version decides before the release does.
  ['1.10-1', '1.9-9', 1],
  // A letter segment loses to a number segment: 1.0a < 1.0.1.
  ['1.0a', '1.0.1', -1],
  // Without a release, a version sorts before the same version with any release.
  ['1.0', '1.0-1', -1],
  ['1.0', '1.0', 0],
];

const INVALID_EVRS = ['', 'x:1.0', '1.0-', '-1', '1.0-1-', '1.0 1', '1.0/1', '1:', 'é1.0'];

describe('rpm version scheme', () => {
  it.each([...RPMVERCMP_AT, ...CARET_CASES])('rpmvercmp(%j, %j) = %i', (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
  });

  it('orders the tilde and caret examples of the Fedora packaging guidelines', () => {
    expectAscending(rpmVersionScheme, FEDORA_ORDER);
  });

  it.each(EVR_PAIRS)('compare(%j, %j) has sign %i', (a, b, expected) => {
    expect(rpmVersionScheme.compare(a, b)).toBe(expected);
    expect(rpmVersionScheme.compare(b, a)).toBe(-expected || 0);
  });

  it('splits epoch, version and release at the first colon and the last hyphen', () => {
    expect(parseRpmVersion('2:1.2.3-4.el9')).toEqual({
      epoch: 2n,
      version: '1.2.3',
      release: '4.el9',
    });
  });

  it.each(INVALID_EVRS)('rejects %j', (version) => {
    expect(rpmVersionScheme.isValid(version)).toBe(false);
    expect(() => rpmVersionScheme.compare('1.0', version)).toThrow(VersionParseError);
  });

  it('is a total order on every version in the tables', () => {
    const asEvr = (v: string): boolean => rpmVersionScheme.isValid(v);
    expectOrderLaws(
      rpmVersionScheme,
      [...versionsOf(RPMVERCMP_AT), ...versionsOf(CARET_CASES)].filter(asEvr),
    );
    expectOrderLaws(rpmVersionScheme, [...FEDORA_ORDER, ...versionsOf(EVR_PAIRS)]);
  });

  // rpm is not part of every Debian install; the summary shows the skip when it is missing.
  it.skipIf(!hasRpm())('agrees with the real rpm (rpm.vercmp) on generated EVR pairs', () => {
    const pairs = [
      ...[...RPMVERCMP_AT, ...CARET_CASES, ...EVR_PAIRS]
        .filter(([a, b]) => rpmVersionScheme.isValid(a) && rpmVersionScheme.isValid(b))
        .map(([a, b]): [string, string] => [a, b]),
      ...generatePairs(400),
    ];
    const expected = rpmCompare(pairs);
    const disagreements = pairs
      .map(([a, b], k) => ({ a, b, ours: rpmVersionScheme.compare(a, b), rpm: expected[k] }))
      .filter(({ ours, rpm }) => ours !== rpm);
    expect(disagreements).toEqual([]);
    for (const sign of [-1, 0, 1]) {
      expect(expected.filter((s) => s === sign).length).toBeGreaterThan(10);
    }
    expectOrderLaws(rpmVersionScheme, [...new Set(pairs.flat())].slice(0, 120));
  });
});

function hasRpm(): boolean {
  try {
    execFileSync('rpm', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Asks rpm's own comparator (the Lua `rpm.vercmp`, which parses EVRs) for every pair in one run. */
function rpmCompare(pairs: readonly (readonly [string, string])[]): number[] {
  // Generated versions hold no `"`, `\\` or `%`, so they are safe in a Lua string inside a macro.
  const table = pairs.map(([a, b]) => `{"${a}","${b}"}`).join(',');
  const script = `%{lua: for _, p in ipairs({${table}}) do print(rpm.vercmp(p[1], p[2]) .. ",") end}`;
  const output = execFileSync('rpm', ['--eval', script], { encoding: 'utf8' });
  return output.trim().replace(/,$/, '').split(',').map(Number);
}

/** EVRs from small alphabets, with tilde, caret and separators, so that near-ties are common. */
function generatePairs(count: number): [string, string][] {
  const next = seededRandom(4180);
  const pick = pickWith(next);
  const tokens = ['0', '1', '2', '10', '01', 'a', 'b', 'rc', 'git', 'Z'];
  const separators = ['.', '.', '_', '+', '~', '^', ''];
  const field = (): string => {
    let text = pick(tokens);
    for (let n = Math.floor(next() * 4); n > 0; n--) text += pick(separators) + pick(tokens);
    return text;
  };
  const evr = (): string =>
    `${next() < 0.25 ? `${pick(['0', '1', '2'])}:` : ''}${field()}${next() < 0.6 ? `-${field()}` : ''}`;
  const pairs: [string, string][] = [];
  for (let k = 0; k < count; k++) {
    const a = evr();
    const choice = next();
    const b = choice < 0.5 ? evr() : choice < 0.8 ? a + pick(separators) + pick(tokens) : a;
    pairs.push([a, b]);
  }
  return pairs;
}
