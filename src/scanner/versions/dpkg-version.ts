import {
  compareIntegers,
  schemeFromParser,
  VersionParseError,
  type VersionScheme,
} from './version-scheme.js';

/** A Debian version split as Debian Policy §5.6.12 describes: `[epoch:]upstream[-revision]`. */
export interface DpkgVersion {
  readonly epoch: bigint;
  readonly upstream: string;
  /** Empty when absent; dpkg then compares it as if it were "0", which `""` already equals. */
  readonly revision: string;
}

const NAME = 'dpkg';
/** dpkg stores the epoch in an int and rejects larger ones (lib/dpkg/parsehelp.c). */
const MAX_EPOCH = 2_147_483_647n;
/** Policy §5.6.12: upstream starts with a digit; `:` only follows an epoch, `-` only precedes a revision. */
const UPSTREAM = /^[0-9][A-Za-z0-9.+~:-]*$/;
const REVISION = /^[A-Za-z0-9.+~]+$/;

/** Parses a Debian version, trimming surrounding whitespace as dpkg does; throws VersionParseError. */
export function parseDpkgVersion(input: string): DpkgVersion {
  const text = input.trim();
  const fail = (reason: string): never => {
    throw new VersionParseError(NAME, input, reason);
  };
  if (text === '') fail('empty');
  const colon = text.indexOf(':');
  let epoch = 0n;
  if (colon >= 0) {
    const epochText = text.slice(0, colon);
    if (!/^[0-9]+$/.test(epochText)) fail('epoch is not a number');
    epoch = BigInt(epochText);
    if (epoch > MAX_EPOCH) fail('epoch is too large');
  }
  const rest = text.slice(colon + 1);
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
  if (!UPSTREAM.test(upstream))
    fail('upstream version must start with a digit and use [A-Za-z0-9.+~:-]');
  if (hyphen >= 0 && !REVISION.test(revision)) fail('revision must be non-empty [A-Za-z0-9.+~]');
  return { epoch, upstream, revision };
}

/** Orders two parsed Debian versions: epoch numerically, then upstream, then revision. */
export function compareDpkgVersions(a: DpkgVersion, b: DpkgVersion): number {
  return (
    compareIntegers(a.epoch, b.epoch) ||
    compareDpkgFragments(a.upstream, b.upstream) ||
    compareDpkgFragments(a.revision, b.revision)
  );
}

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
const isLetter = (code: number): boolean =>
  (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);

/**
 * Weight of the character at `index` in a non-digit run (Policy §5.6.12, dpkg's `order`):
 * `~` below the end of the string, the end (or a digit, which ends the run) below letters,
 * letters below everything else.
 */
function weight(text: string, index: number): number {
  if (index >= text.length) return 0;
  const code = text.charCodeAt(index);
  if (isDigit(code)) return 0;
  if (code === 0x7e) return -1;
  if (isLetter(code)) return code;
  return code + 256;
}

/**
 * Compares an upstream version or a revision as dpkg's `verrevcmp` does: alternately a
 * non-digit run, character by character by {@link weight}, and a digit run, numerically
 * (an empty digit run counts as 0, which is why a missing revision equals "0").
 */
function compareDpkgFragments(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (
      (i < a.length && !isDigit(a.charCodeAt(i))) ||
      (j < b.length && !isDigit(b.charCodeAt(j)))
    ) {
      const difference = weight(a, i) - weight(b, j);
      if (difference !== 0) return Math.sign(difference);
      i++;
      j++;
    }
    const startA = i;
    const startB = j;
    while (i < a.length && isDigit(a.charCodeAt(i))) i++;
    while (j < b.length && isDigit(b.charCodeAt(j))) j++;
    const numeric = compareIntegers(
      BigInt(a.slice(startA, i) || '0'),
      BigInt(b.slice(startB, j) || '0'),
    );
    if (numeric !== 0) return numeric;
  }
  return 0;
}

/** Debian and Ubuntu package versions, ordered as `dpkg --compare-versions` orders them. */
export const dpkgVersionScheme: VersionScheme = schemeFromParser(
  NAME,
  parseDpkgVersion,
  compareDpkgVersions,
);
