import {
  compareIntegers,
  compareStrings,
  schemeFromParser,
  VersionParseError,
  type VersionScheme,
} from './version-scheme.js';

/**
 * One item of a parsed Maven version, after Maven's `ComparableVersion` (maven-artifact,
 * Maven 3.9 and later): numbers, qualifiers, qualifier-number combinations (`rc1`, `sp-2`)
 * and nested lists, which `-` and digit/letter switches open.
 */
export type MavenItem =
  | { readonly kind: 'number'; readonly value: bigint }
  | { readonly kind: 'qualifier'; readonly value: string }
  | { readonly kind: 'combination'; readonly qualifier: string; readonly value: bigint }
  | { readonly kind: 'list'; readonly items: readonly MavenItem[] };

const NAME = 'maven';
/** Maven rejects longer version strings, to bound nesting depth and number sizes. */
const MAX_LENGTH = 256;

/** Known qualifiers in order; `""` is the release itself. Unknown ones sort after all of them. */
const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'] as const;
/** Spellings that sort as the release but, unlike `""`, are kept as items. */
const RELEASE_QUALIFIERS = new Set(['ga', 'final', 'release']);
const RELEASE_KEY = String(QUALIFIERS.indexOf(''));

/** `cr` is `rc`; a lone `a`, `b` or `m` before a number is alpha, beta or milestone (`1a1`, not `1a`). */
function qualifierName(text: string, followedByDigit: boolean): string {
  const expanded =
    followedByDigit && text.length === 1
      ? ({ a: 'alpha', b: 'beta', m: 'milestone' } as Record<string, string | undefined>)[text]
      : undefined;
  const name = expanded ?? text;
  return name === 'cr' ? 'rc' : name;
}

/**
 * Sort key of a qualifier, compared as a string: a known one's position, an unknown one
 * after all of them and lexically among themselves.
 */
function qualifierKey(name: string): string {
  if (RELEASE_QUALIFIERS.has(name)) return RELEASE_KEY;
  const rank = (QUALIFIERS as readonly string[]).indexOf(name);
  return rank >= 0 ? String(rank) : `${QUALIFIERS.length}-${name}`;
}

const isAsciiDigit = (c: string): boolean => c >= '0' && c <= '9';
const number = (digits: string): MavenItem => ({ kind: 'number', value: BigInt(digits || '0') });

/** An item of text that ends a token: a combination (`rc1`), a number, or a qualifier. */
function tokenItem(text: string, isCombination: boolean, isDigit: boolean): MavenItem {
  if (isCombination) {
    const joined = text.replaceAll('-', '');
    let split = 0;
    while (split < joined.length && !isAsciiDigit(joined.charAt(split))) split++;
    return {
      kind: 'combination',
      qualifier: qualifierName(joined.slice(0, split), true),
      value: BigInt(joined.slice(split) || '0'),
    };
  }
  return isDigit ? number(text) : { kind: 'qualifier', value: qualifierName(text, false) };
}

const isNullItem = (item: MavenItem): boolean =>
  item.kind === 'number'
    ? item.value === 0n
    : item.kind === 'qualifier'
      ? item.value === ''
      : item.kind === 'list'
        ? item.items.length === 0
        : false;

/**
 * Removes null items (0, `""`, empty lists) that end the list or precede a qualifier, so
 * `1.0.0` is `1` and `2.0.x` is `2-x` (MNG-7644), then unwraps a list left holding one list.
 */
function normalize(items: MavenItem[]): void {
  for (let k = items.length - 1; k >= 0; k--) {
    const item = items[k];
    if (item === undefined || !isNullItem(item)) continue;
    const next = items[k + 1];
    const nextFirst = next?.kind === 'list' ? next.items[0] : undefined;
    if (
      next === undefined ||
      next.kind === 'qualifier' ||
      nextFirst?.kind === 'combination' ||
      nextFirst?.kind === 'qualifier'
    ) {
      items.splice(k, 1);
    }
  }
  const only = items[0];
  if (items.length === 1 && only?.kind === 'list') items.splice(0, 1, ...only.items);
}

/**
 * Parses a Maven version as `ComparableVersion.parseVersion` does (case-insensitive; `.`
 * separates items; `-` and every switch between letters and digits open a nested list).
 * Any non-empty string of at most 256 characters is a Maven version. Digits are ASCII only.
 */
export function parseMavenVersion(input: string): MavenItem {
  if (input === '') throw new VersionParseError(NAME, input, 'empty');
  if (input.length > MAX_LENGTH) {
    throw new VersionParseError(NAME, input, `longer than ${MAX_LENGTH} characters`);
  }
  // Maven lower-cases with Locale.ENGLISH, not the host's locale.
  const text = input.toLowerCase();
  const root: MavenItem[] = [];
  const lists: MavenItem[][] = [root];
  let list = root;
  const openList = (): void => {
    const nested: MavenItem[] = [];
    list.push({ kind: 'list', items: nested });
    lists.push(nested);
    list = nested;
  };
  let isDigit = false;
  let isCombination = false;
  let start = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charAt(k);
    if (c === '.' || c === '-') {
      if (k === start) {
        list.push(number('0'));
      } else if (c === '-' && !isDigit && isAsciiDigit(text.charAt(k + 1))) {
        // `sp-1` reads as the combination `sp1`.
        isCombination = true;
        continue;
      } else {
        list.push(tokenItem(text.slice(start, k), isCombination, isDigit));
      }
      start = k + 1;
      isCombination = false;
      if (c === '-' && list.length > 0) openList();
    } else if (isAsciiDigit(c)) {
      if (!isDigit && k > start) {
        isCombination = true;
        if (list.length > 0) openList();
      }
      isDigit = true;
    } else {
      if (isDigit && k > start) {
        list.push(tokenItem(text.slice(start, k), isCombination, true));
        start = k;
        openList();
        isCombination = false;
      }
      isDigit = false;
    }
  }
  if (text.length > start) {
    // A trailing `.x` qualifier reads as `-x`, so `1.0.0.rc1` < `1.0.0-rc2` (MNG-7644).
    if (!isDigit && list.length > 0) openList();
    list.push(tokenItem(text.slice(start), isCombination, isDigit));
  }
  // Innermost lists first, as Maven pops its stack.
  for (const nested of lists.reverse()) normalize(nested);
  return { kind: 'list', items: root };
}

/** Compares an item with a missing one, the padding of the shorter version. */
function compareWithNothing(item: MavenItem): number {
  switch (item.kind) {
    case 'number':
      return item.value === 0n ? 0 : 1;
    case 'qualifier':
      return compareStrings(qualifierKey(item.value), RELEASE_KEY);
    case 'combination': {
      // `1-ga1` > `1`: a release-like qualifier lets the number decide.
      const order = compareStrings(qualifierKey(item.qualifier), RELEASE_KEY);
      return order !== 0 ? order : item.value === 0n ? 0 : 1;
    }
    case 'list':
      // The whole list counts, not just its first item (MNG-6964: `1-0.alpha` < `1`).
      for (const nested of item.items) {
        const order = compareWithNothing(nested);
        if (order !== 0) return order;
      }
      return 0;
  }
}

/** Orders a qualifier against a combination, as `StringItem.compareTo` does. */
function compareQualifierToCombination(
  qualifier: string,
  combination: Extract<MavenItem, { kind: 'combination' }>,
): number {
  const order = compareStrings(qualifierKey(qualifier), qualifierKey(combination.qualifier));
  if (order !== 0) return order;
  // `x` < `x1`, except that a release-like qualifier lets the number decide.
  if (qualifierKey(qualifier) === RELEASE_KEY) return combination.value === 0n ? 0 : -1;
  return -1;
}

/** Orders a list against a qualifier or combination: its first item decides, then the rest against nothing. */
function compareListToScalar(items: readonly MavenItem[], scalar: MavenItem): number {
  const first = items[0];
  let order = first === undefined ? -compareWithNothing(scalar) : compareMavenItems(first, scalar);
  for (let k = 1; order === 0 && k < items.length; k++) {
    const item = items[k];
    if (item !== undefined) order = compareWithNothing(item);
  }
  return order;
}

/**
 * Orders two items as `ComparableVersion`'s items order themselves: a number is newer than
 * anything else, a list newer than a qualifier, and each kind has its own rule.
 */
export function compareMavenItems(a: MavenItem, b: MavenItem): number {
  switch (a.kind) {
    case 'number':
      return b.kind === 'number' ? compareIntegers(a.value, b.value) : 1;
    case 'qualifier':
      if (b.kind === 'number') return -1;
      if (b.kind === 'qualifier')
        return compareStrings(qualifierKey(a.value), qualifierKey(b.value));
      if (b.kind === 'combination') return compareQualifierToCombination(a.value, b);
      return -compareListToScalar(b.items, a);
    case 'combination':
      if (b.kind === 'number') return -1;
      if (b.kind === 'qualifier') return -compareQualifierToCombination(b.value, a);
      if (b.kind === 'combination') {
        return (
          compareStrings(qualifierKey(a.qualifier), qualifierKey(b.qualifier)) ||
          compareIntegers(a.value, b.value)
        );
      }
      return -compareListToScalar(b.items, a);
    case 'list':
      if (b.kind === 'number') return -1;
      if (b.kind !== 'list') return compareListToScalar(a.items, b);
      for (let k = 0; k < Math.max(a.items.length, b.items.length); k++) {
        const x = a.items[k];
        const y = b.items[k];
        const order =
          x === undefined
            ? y === undefined
              ? 0
              : -compareWithNothing(y)
            : y === undefined
              ? compareWithNothing(x)
              : compareMavenItems(x, y);
        if (order !== 0) return order;
      }
      return 0;
  }
}

/** Maven artifact versions, ordered as Maven's `ComparableVersion` orders them. */
export const mavenVersionScheme: VersionScheme = schemeFromParser(
  NAME,
  parseMavenVersion,
  compareMavenItems,
);
