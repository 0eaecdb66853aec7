import type { LogLine } from '../../domain/types.js';

export interface MissingDependency {
  /** The package that has the dependency. */
  readonly package: string;
  /** The dependency as apt printed it, e.g. `libfoo1 (>= 1.2)`. */
  readonly dependency: string;
}

/**
 * apt-get's "unmet dependencies" report, e.g.
 * ` acme-agent : Depends: libfoo1 (>= 1.2) but it is not installable`.
 * Continuation lines leave the package out: `              Depends: libbar`.
 */
const UNMET =
  /^\s*(?:(\S+)\s+:\s+)?(?:Pre-?)?Depends:\s+(.+?)(?:\s+but\s+(?:it is not installable|it is not going to be installed|.+ is to be installed))?\s*$/;

/** The dependencies apt reported as unmet in an installer's output. */
export function findMissingDependencies(lines: readonly LogLine[]): MissingDependency[] {
  const start = lines.findIndex((l) =>
    l.text.includes('The following packages have unmet dependencies'),
  );
  if (start === -1) return [];
  const missing: MissingDependency[] = [];
  let current = '';
  for (const line of lines.slice(start + 1)) {
    const match = UNMET.exec(line.text);
    if (match === null) {
      if (missing.length > 0) break;
      continue;
    }
    current = match[1] ?? current;
    missing.push({ package: current, dependency: match[2]! });
  }
  return missing;
}
