import {
  compareIntegers,
  compareStrings,
  schemeFromParser,
  VersionParseError,
  type VersionScheme,
} from './version-scheme.js';

/** A Semantic Versioning 2.0.0 version; build metadata is dropped (semver.org §10). */
export interface SemverVersion {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly prerelease: readonly string[];
}

/** How strictly to read a version string. */
export interface SemverDialect {
  readonly name: string;
  readonly pattern: RegExp;
  /** node-semver trims surrounding whitespace before matching; Go's grammar has none to trim. */
  readonly trim: boolean;
}

/** node-semver's limits (internal/constants.js): longer strings and larger numbers are invalid. */
const MAX_LENGTH = 256;
const MAX_SAFE_INTEGER = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * node-semver's `loose` grammar: any run of `v`, `=` and spaces before the version, leading
 * zeros allowed, and the `-` before a prerelease optional (`1.2.3beta`).
 */
const NPM_LOOSE =
  /^[v=\s]*(\d+)\.(\d+)\.(\d+)(?:-?((?:\d+|\d*[a-zA-Z-][a-zA-Z0-9-]*)(?:\.(?:\d+|\d*[a-zA-Z-][a-zA-Z0-9-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** semver.org §2, §9 and §10 exactly, with Go's `v` prefix optional because OSV drops it. */
const STRICT_WITH_V =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** npm's reading of versions (node-semver with `loose: true`). */
export const NPM_SEMVER: SemverDialect = { name: 'semver', pattern: NPM_LOOSE, trim: true };
/** Go module versions (golang.org/ref/mod#versions), with or without their `v`. */
export const GO_SEMVER: SemverDialect = { name: 'go-semver', pattern: STRICT_WITH_V, trim: false };

/** Parses a version in the given dialect; throws VersionParseError. */
export function parseSemverVersion(
  input: string,
  dialect: SemverDialect = NPM_SEMVER,
): SemverVersion {
  const fail = (reason: string): never => {
    throw new VersionParseError(dialect.name, input, reason);
  };
  if (input.length > MAX_LENGTH) fail(`longer than ${MAX_LENGTH} characters`);
  const match = dialect.pattern.exec(dialect.trim ? input.trim() : input);
  if (match === null) return fail('not MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]');
  const major = BigInt(match[1] ?? '');
  const minor = BigInt(match[2] ?? '');
  const patch = BigInt(match[3] ?? '');
  if (major > MAX_SAFE_INTEGER || minor > MAX_SAFE_INTEGER || patch > MAX_SAFE_INTEGER) {
    fail('a version number is larger than Number.MAX_SAFE_INTEGER');
  }
  const prerelease = match[4] === undefined ? [] : match[4].split('.');
  return { major, minor, patch, prerelease };
}

const NUMERIC = /^[0-9]+$/;

/** semver.org §11.4.1–3: numeric identifiers numerically and below alphanumeric ones, which compare in ASCII order. */
function compareIdentifiers(a: string, b: string): number {
  const aNumeric = NUMERIC.test(a);
  const bNumeric = NUMERIC.test(b);
  if (aNumeric && bNumeric) return compareIntegers(BigInt(a), BigInt(b));
  if (aNumeric) return -1;
  if (bNumeric) return 1;
  return compareStrings(a, b);
}

/** Orders two versions by semver.org §11 precedence. */
export function compareSemverVersions(a: SemverVersion, b: SemverVersion): number {
  const core =
    compareIntegers(a.major, b.major) ||
    compareIntegers(a.minor, b.minor) ||
    compareIntegers(a.patch, b.patch);
  if (core !== 0) return core;
  // §11.3: a prerelease sorts before its release.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return b.prerelease.length - a.prerelease.length;
  }
  const shared = Math.min(a.prerelease.length, b.prerelease.length);
  for (let k = 0; k < shared; k++) {
    const order = compareIdentifiers(a.prerelease[k] ?? '', b.prerelease[k] ?? '');
    if (order !== 0) return order;
  }
  // §11.4.4: more identifiers win when all the preceding ones are equal.
  return a.prerelease.length - b.prerelease.length;
}

/** Creates a semver scheme reading versions in the given dialect. */
function semverScheme(dialect: SemverDialect): VersionScheme {
  return schemeFromParser(
    dialect.name,
    (v) => parseSemverVersion(v, dialect),
    compareSemverVersions,
  );
}

/** npm package versions, ordered as node-semver orders them. */
export const semverVersionScheme: VersionScheme = semverScheme(NPM_SEMVER);
/** Go module versions, ordered by semver precedence. */
export const goSemverVersionScheme: VersionScheme = semverScheme(GO_SEMVER);
