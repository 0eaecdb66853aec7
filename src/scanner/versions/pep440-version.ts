import {
  compareIntegers,
  compareStrings,
  schemeFromParser,
  VersionParseError,
  type VersionScheme,
} from './version-scheme.js';

/** Pre-release phases in PEP 440 order. */
const PHASES = ['a', 'b', 'rc'] as const;
type Phase = (typeof PHASES)[number];

/** A PEP 440 version, already normalised. */
export interface Pep440Version {
  readonly epoch: bigint;
  /** Release segments with trailing zeros removed: PEP 440 pads shorter releases with zeros. */
  readonly release: readonly bigint[];
  readonly pre: { readonly phase: Phase; readonly number: bigint } | undefined;
  readonly post: bigint | undefined;
  readonly dev: bigint | undefined;
  /** Local segments; numbers are bigint, letters lower-cased. */
  readonly local: readonly (bigint | string)[] | undefined;
}

const NAME = 'pep440';

/**
 * PEP 440 "Appendix B: Parsing version strings with regular expressions", written out for
 * the normalisations the PEP permits: case, a leading `v`, `-`/`_`/`.` separators, the
 * alternate pre-release spellings, implicit numbers, `rev`/`r` and the implicit `-N` post.
 */
const PEP440 = new RegExp(
  [
    '^\\s*v?',
    '(?:(\\d+)!)?', // epoch
    '(\\d+(?:\\.\\d+)*)', // release
    '(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\\d+)?)?', // pre
    '(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?', // post
    '(?:[-_.]?(dev)[-_.]?(\\d+)?)?', // dev
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?', // local
    '\\s*$',
  ].join(''),
  'i',
);

/** PEP 440 "Pre-release spelling": alpha, beta, c, pre and preview are other names for a, b and rc. */
const PHASE_SPELLINGS: ReadonlyMap<string, Phase> = new Map([
  ['a', 'a'],
  ['alpha', 'a'],
  ['b', 'b'],
  ['beta', 'b'],
  ['rc', 'rc'],
  ['c', 'rc'],
  ['pre', 'rc'],
  ['preview', 'rc'],
]);

/** Parses and normalises a PEP 440 version; throws VersionParseError. */
export function parsePep440Version(input: string): Pep440Version {
  const match = PEP440.exec(input);
  if (match === null) throw new VersionParseError(NAME, input, 'not a PEP 440 version');
  const [
    ,
    epoch,
    release,
    prePhase,
    preNumber,
    implicitPost,
    postWord,
    postNumber,
    dev,
    devNumber,
  ] = match;
  const segments = (release ?? '').split('.').map((n) => BigInt(n));
  while (segments.length > 1 && segments.at(-1) === 0n) segments.pop();
  const phase = prePhase === undefined ? undefined : PHASE_SPELLINGS.get(prePhase.toLowerCase());
  const localText = match[10];
  return {
    epoch: BigInt(epoch ?? '0'),
    release: segments,
    // Implicit numbers are 0 ("Implicit pre-release number", "Implicit post release number").
    pre: phase === undefined ? undefined : { phase, number: BigInt(preNumber ?? '0') },
    post:
      implicitPost !== undefined
        ? BigInt(implicitPost)
        : postWord !== undefined
          ? BigInt(postNumber ?? '0')
          : undefined,
    dev: dev === undefined ? undefined : BigInt(devNumber ?? '0'),
    local:
      localText === undefined
        ? undefined
        : localText
            .toLowerCase()
            .split(/[-_.]/)
            .map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part)),
  };
}

/** Orders release segments as if the shorter one were padded with zeros. */
function compareReleases(a: readonly bigint[], b: readonly bigint[]): number {
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const order = compareIntegers(a[k] ?? 0n, b[k] ?? 0n);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Rank of the pre-release part: a developmental release of a final release (`1.0.dev1`)
 * sorts before its pre-releases, and a final or post release after them.
 */
function preRank(v: Pep440Version): number {
  if (v.pre !== undefined) return 1 + PHASES.indexOf(v.pre.phase);
  if (v.post === undefined && v.dev !== undefined) return 0;
  return 1 + PHASES.length;
}

/** PEP 440 "Local version identifiers": numbers above strings, numbers numerically, more segments win. */
function compareLocals(
  a: readonly (bigint | string)[] | undefined,
  b: readonly (bigint | string)[] | undefined,
): number {
  if (a === undefined || b === undefined)
    return (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1);
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const x = a[k] ?? '';
    const y = b[k] ?? '';
    const order =
      typeof x === 'bigint' && typeof y === 'bigint'
        ? compareIntegers(x, y)
        : typeof x === 'string' && typeof y === 'string'
          ? compareStrings(x, y)
          : typeof x === 'bigint'
            ? 1
            : -1;
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/** Orders two absent-or-numbered parts; `absentFirst` says whether absence sorts first. */
function compareOptional(
  a: bigint | undefined,
  b: bigint | undefined,
  absentFirst: boolean,
): number {
  if (a === undefined || b === undefined) {
    const order = (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1);
    return absentFirst ? order : -order;
  }
  return compareIntegers(a, b);
}

/** Orders two versions per PEP 440 "Summary of permitted suffixes and relative ordering". */
export function comparePep440Versions(a: Pep440Version, b: Pep440Version): number {
  return (
    compareIntegers(a.epoch, b.epoch) ||
    compareReleases(a.release, b.release) ||
    preRank(a) - preRank(b) ||
    compareOptional(a.pre?.number, b.pre?.number, true) ||
    compareOptional(a.post, b.post, true) ||
    // A developmental release sorts before the release it leads to.
    compareOptional(a.dev, b.dev, false) ||
    compareLocals(a.local, b.local)
  );
}

/** Python package versions (PyPI), ordered per PEP 440. */
export const pep440VersionScheme: VersionScheme = schemeFromParser(
  NAME,
  parsePep440Version,
  comparePep440Versions,
);
