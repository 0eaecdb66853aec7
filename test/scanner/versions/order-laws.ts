import { expect } from 'vitest';
import type { VersionScheme } from '../../../src/scanner/versions/version-scheme.js';

/** Expects `scheme` to order `versions` strictly ascending, every pair both ways. */
export function expectAscending(scheme: VersionScheme, versions: readonly string[]): void {
  for (let i = 0; i < versions.length; i++) {
    for (let j = i + 1; j < versions.length; j++) {
      const low = versions[i] ?? '';
      const high = versions[j] ?? '';
      expect(scheme.compare(low, high), `${low} < ${high}`).toBe(-1);
      expect(scheme.compare(high, low), `${high} > ${low}`).toBe(1);
    }
  }
}

/**
 * Expects `scheme.compare` to be a total preorder on `versions`: reflexive, antisymmetric
 * (`compare(a, b) = -compare(b, a)`) and transitive for `<` and `=` on every triple.
 */
export function expectOrderLaws(scheme: VersionScheme, versions: readonly string[]): void {
  const sign = versions.map((a) => versions.map((b) => scheme.compare(a, b)));
  const at = (i: number, j: number): number => sign[i]?.[j] ?? Number.NaN;
  const name = (i: number): string => versions[i] ?? '';
  // Collected rather than asserted one by one: n³ expect calls would dominate the run time.
  const violations: string[] = [];
  for (let i = 0; i < versions.length; i++) {
    if (at(i, i) !== 0) violations.push(`${name(i)} != itself`);
    for (let j = 0; j < versions.length; j++) {
      if (![-1, 0, 1].includes(at(i, j))) violations.push(`${name(i)} ? ${name(j)}: ${at(i, j)}`);
      if (at(j, i) !== (-at(i, j) || 0)) violations.push(`antisymmetry: ${name(i)}, ${name(j)}`);
      for (let k = 0; k < versions.length; k++) {
        // a ≤ b and b ≤ c imply a ≤ c, with equality only when both steps are equal.
        if (at(i, j) <= 0 && at(j, k) <= 0 && at(i, k) !== Math.min(at(i, j), at(j, k))) {
          violations.push(`transitivity: ${name(i)}, ${name(j)}, ${name(k)}`);
        }
      }
    }
  }
  expect(violations).toEqual([]);
}

/** Every distinct version mentioned in a table of pairs, for {@link expectOrderLaws}. */
export function versionsOf(pairs: readonly (readonly [string, string, ...unknown[]])[]): string[] {
  return [...new Set(pairs.flatMap(([a, b]) => [a, b]))];
}
