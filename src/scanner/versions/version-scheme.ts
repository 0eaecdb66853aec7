/**
 * One ecosystem's version ordering. `compare` is a total order on valid
 * versions (negative, zero or positive, like `Array.prototype.sort` expects)
 * and throws {@link VersionParseError} on an invalid one.
 */
export interface VersionScheme {
  /** Stable name of the scheme, used in logs and cache keys. */
  readonly name: string;
  /** Orders two versions: negative when `a` sorts first, zero when they are equal. */
  compare(a: string, b: string): number;
  /** True when `v` parses under this scheme, so `compare` will not throw for it. */
  isValid(v: string): boolean;
}

/** A version string that its scheme cannot parse; the caller skips the item and logs this. */
export class VersionParseError extends Error {
  readonly scheme: string;
  readonly version: string;

  constructor(scheme: string, version: string, reason: string) {
    super(`invalid ${scheme} version ${JSON.stringify(version)}: ${reason}`);
    this.name = 'VersionParseError';
    this.scheme = scheme;
    this.version = version;
  }
}

/** Orders two integers as -1, 0 or 1; versions carry numbers beyond 2^53, hence bigint. */
export function compareIntegers(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders two strings by UTF-16 code units, the byte order of the ASCII that versions use. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds a scheme from a parser and a comparator of parsed values. */
export function schemeFromParser<T>(
  name: string,
  parse: (v: string) => T,
  compareParsed: (a: T, b: T) => number,
): VersionScheme {
  return {
    name,
    compare: (a, b) => Math.sign(compareParsed(parse(a), parse(b))),
    isValid: (v) => {
      try {
        parse(v);
        return true;
      } catch (error) {
        if (error instanceof VersionParseError) return false;
        throw error;
      }
    },
  };
}
