import {
  compareIntegers,
  compareStrings,
  schemeFromParser,
  VersionParseError,
  type VersionScheme,
} from './version-scheme.js';

/** An RPM `[epoch:]version[-release]` (EVR). */
export interface RpmVersion {
  readonly epoch: bigint;
  readonly version: string;
  /** Empty when absent, which sorts before every release (a total order needs one answer). */
  readonly release: string;
}

const NAME = 'rpm';
/** rpmbuild's allowed characters for Version and Release (build/parsePreamble.c). */
const FIELD = /^[A-Za-z0-9._+%{}~^]+$/;

/** Parses an RPM EVR string; throws VersionParseError. */
export function parseRpmVersion(input: string): RpmVersion {
  const fail = (reason: string): never => {
    throw new VersionParseError(NAME, input, reason);
  };
  // As rpm's EVR parser: an epoch is the digits before a first `:`, the release follows the last `-`.
  const epochMatch = /^([0-9]*):/.exec(input);
  const epochText = epochMatch?.[1];
  const rest = epochMatch === null ? input : input.slice(epochMatch[0].length);
  const hyphen = rest.lastIndexOf('-');
  const version = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const release = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
  if (!FIELD.test(version)) fail('version must be non-empty [A-Za-z0-9._+%{}~^]');
  if (hyphen >= 0 && !FIELD.test(release)) fail('release must be non-empty [A-Za-z0-9._+%{}~^]');
  // rpm reads an empty epoch (`:1.0`) as 0.
  return { epoch: BigInt(epochText || '0'), version, release };
}

/** Orders two EVRs: epoch numerically, then version and release by {@link rpmvercmp}. */
export function compareRpmVersions(a: RpmVersion, b: RpmVersion): number {
  return (
    compareIntegers(a.epoch, b.epoch) ||
    rpmvercmp(a.version, b.version) ||
    rpmvercmp(a.release, b.release)
  );
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
/** rpm's `risalpha` is ASCII-only; anything else is a separator. */
const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isSegmentChar = (c: string): boolean => isDigit(c) || isLetter(c) || c === '~' || c === '^';

/**
 * rpm's `rpmvercmp` (rpmio/rpmvercmp.c): skip separators, then compare alternating numeric
 * and alphabetic segments; numeric beats alphabetic, `~` sorts before anything (even the
 * end), `^` sorts after the end but before anything else.
 */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isSegmentChar(a.charAt(i))) i++;
    while (j < b.length && !isSegmentChar(b.charAt(j))) j++;
    const ca = a.charAt(i);
    const cb = b.charAt(j);
    if (ca === '~' || cb === '~') {
      if (ca !== '~') return 1;
      if (cb !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === '^' || cb === '^') {
      if (ca === '') return -1;
      if (cb === '') return 1;
      if (ca !== '^') return 1;
      if (cb !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === '' || cb === '') break;
    // The kind of segment is decided by `a`; `b` contributes a segment of the same kind.
    const numeric = isDigit(ca);
    const inSegment = numeric ? isDigit : isLetter;
    const startA = i;
    const startB = j;
    while (i < a.length && inSegment(a.charAt(i))) i++;
    while (j < b.length && inSegment(b.charAt(j))) j++;
    // `b` has the other kind here: a numeric segment is newer than an alphabetic one.
    if (j === startB) return numeric ? 1 : -1;
    const segmentA = a.slice(startA, i);
    const segmentB = b.slice(startB, j);
    const order = numeric
      ? compareIntegers(BigInt(segmentA), BigInt(segmentB))
      : compareStrings(segmentA, segmentB);
    if (order !== 0) return order;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** Red Hat, AlmaLinux, Rocky Linux and SUSE package versions, ordered as rpm orders them. */
export const rpmVersionScheme: VersionScheme = schemeFromParser(
  NAME,
  parseRpmVersion,
  compareRpmVersions,
);
