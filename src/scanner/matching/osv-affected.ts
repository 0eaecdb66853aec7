import type { OsvAffected, OsvEvent, OsvRange } from '../advisories/osv-record.js';
import type { VersionScheme } from '../versions/version-scheme.js';

/** Whether an installed version is affected, and the first fix after it when there is one. */
export interface AffectedVerdict {
  readonly affected: boolean;
  /** The lowest `fixed` version above the installed one, in the range that matched. */
  readonly fixedVersion: string | null;
}

const NOT_AFFECTED: AffectedVerdict = { affected: false, fixedVersion: null };

function eventVersion(event: OsvEvent): string {
  if ('introduced' in event) return event.introduced;
  if ('fixed' in event) return event.fixed;
  if ('last_affected' in event) return event.last_affected;
  return event.limit;
}

/**
 * OSV's evaluation of one ECOSYSTEM or SEMVER range (osv-schema, "Evaluation"):
 * events sorted by version, `introduced: "0"` first; the version is affected
 * after an `introduced` at or below it until a `fixed` at or below it, or a
 * `last_affected` below it. `limit` only bounds GIT ranges.
 */
export function evaluateRange(
  range: OsvRange,
  installed: string,
  scheme: VersionScheme,
): AffectedVerdict {
  if (range.type === 'GIT') return NOT_AFFECTED;
  const order = (a: OsvEvent, b: OsvEvent): number => {
    const va = eventVersion(a);
    const vb = eventVersion(b);
    if (va === '0' && 'introduced' in a) return -1;
    if (vb === '0' && 'introduced' in b) return 1;
    return scheme.compare(va, vb);
  };
  const events = [...range.events].filter((e) => !('limit' in e)).sort(order);
  let affected = false;
  for (const event of events) {
    if ('introduced' in event) {
      if (event.introduced === '0' || scheme.compare(installed, event.introduced) >= 0)
        affected = true;
    } else if ('fixed' in event) {
      if (scheme.compare(installed, event.fixed) >= 0) affected = false;
    } else if ('last_affected' in event) {
      if (scheme.compare(installed, event.last_affected) > 0) affected = false;
    }
  }
  if (!affected) return NOT_AFFECTED;
  const fixes = events
    .filter((e): e is { fixed: string } => 'fixed' in e)
    .map((e) => e.fixed)
    .filter((fixed) => scheme.compare(fixed, installed) > 0)
    .sort((a, b) => scheme.compare(a, b));
  return { affected: true, fixedVersion: fixes[0] ?? null };
}

/** Evaluates every range and the explicit `versions` list of one affected entry. */
export function evaluateAffected(
  affected: OsvAffected,
  installed: string,
  scheme: VersionScheme,
): AffectedVerdict {
  if (affected.versions.includes(installed)) {
    const inRange = affected.ranges
      .map((r) => evaluateRange(r, installed, scheme))
      .find((v) => v.affected);
    return inRange ?? { affected: true, fixedVersion: null };
  }
  const verdicts = affected.ranges
    .map((r) => evaluateRange(r, installed, scheme))
    .filter((v) => v.affected);
  if (verdicts.length === 0) return NOT_AFFECTED;
  // With several matching ranges, report the earliest fix any of them names.
  const fixes = verdicts.map((v) => v.fixedVersion).filter((f): f is string => f !== null);
  fixes.sort((a, b) => scheme.compare(a, b));
  return { affected: true, fixedVersion: fixes.length === verdicts.length ? fixes[0]! : null };
}
