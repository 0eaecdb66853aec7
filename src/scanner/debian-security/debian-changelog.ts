/** One entry of a debian/changelog (deb-changelog(5)). */
export interface ChangelogEntry {
  readonly package: string;
  readonly version: string;
  readonly distributions: string;
  readonly urgency: string;
  readonly date: string;
  readonly text: string;
}

/** `package (version) distributions; urgency=value` — deb-changelog(5). */
const HEADER = /^(\S+) \(([^)]+)\) ([^;]*);(.*)$/;
/** ` -- maintainer <email>  date` */
const TRAILER = /^ -- .*?<[^>]*>\s+(.*)$/;
const CVE = /CVE-\d{4}-\d{4,}/g;

/** Parses a changelog, newest entry first; lines outside any entry are ignored. */
export function parseChangelog(text: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  let open:
    | { package: string; version: string; distributions: string; urgency: string; lines: string[] }
    | undefined;
  for (const line of text.split('\n')) {
    const header = HEADER.exec(line);
    if (header !== null) {
      open = {
        package: header[1]!,
        version: header[2]!,
        distributions: header[3]!.trim(),
        urgency: /urgency=([^,\s]+)/i.exec(header[4]!)?.[1]?.toLowerCase() ?? 'unknown',
        lines: [],
      };
      continue;
    }
    if (open === undefined) continue;
    const trailer = TRAILER.exec(line);
    if (trailer !== null) {
      entries.push({ ...open, date: trailer[1]!.trim(), text: open.lines.join('\n') });
      open = undefined;
      continue;
    }
    open.lines.push(line);
  }
  return entries;
}

/** Where a CVE is first named: the oldest changelog entry that mentions it, i.e. the version that fixed it. */
export interface CveFix {
  readonly cve: string;
  readonly entry: ChangelogEntry;
}

/** For each CVE the changelog names, the oldest entry naming it. */
export function firstCveMentions(entries: readonly ChangelogEntry[]): CveFix[] {
  const fixes = new Map<string, ChangelogEntry>();
  // Newest first in the file: walking it in order, a later (older) mention replaces an earlier one.
  for (const entry of entries) {
    for (const cve of entry.text.match(CVE) ?? []) fixes.set(cve, entry);
  }
  return [...fixes]
    .map(([cve, entry]) => ({ cve, entry }))
    .sort((a, b) => a.cve.localeCompare(b.cve));
}
