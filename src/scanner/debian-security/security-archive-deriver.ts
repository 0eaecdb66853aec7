import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { readTextIfExists } from '../../util/read-text-if-exists.js';
import { dpkgVersionScheme } from '../versions/dpkg-version.js';
import { fetchChangelog } from './changelog-fetcher.js';
import { firstCveMentions, parseChangelog, type ChangelogEntry } from './debian-changelog.js';
import { fetchSourcesIndex, type SourceEntry } from './sources-index.js';

/** An OSV record derived from a changelog; the shape of osv.dev's records (schema 1.6). */
export interface DerivedOsvRecord {
  readonly schema_version: '1.6.0';
  readonly id: string;
  readonly modified: string;
  readonly published: string;
  readonly aliases: string[];
  readonly summary: string;
  readonly affected: {
    readonly package: { readonly ecosystem: string; readonly name: string; readonly purl: string };
    readonly ranges: {
      readonly type: 'ECOSYSTEM';
      readonly events: ({ introduced: string } | { fixed: string })[];
    }[];
    readonly ecosystem_specific: { readonly urgency: string };
    readonly database_specific: Record<string, unknown>;
  }[];
}

export interface DeriveProgress {
  readonly total: number;
  readonly done: number;
  readonly skipped: number;
  readonly failed: number;
  readonly package: string;
  readonly records: number;
}

export interface DeriveOptions {
  /** The Debian security archive, e.g. from the host's apt sources. */
  readonly securityUri: string;
  /** The main archive, where sources the security index lists but does not carry are found. */
  readonly archiveUri?: string;
  /** Release codename (`bookworm`) and its OSV ecosystem (`Debian:12`). */
  readonly codename: string;
  readonly ecosystem: string;
  /** Where progress is kept, so an interrupted run resumes. */
  readonly stateDir: string;
  /** Only these source packages (for tests and partial runs); all when absent. */
  readonly packages?: readonly string[];
  readonly concurrency?: number;
  /** Receives each package's records as soon as they are derived; must store them durably. */
  readonly onRecords: (records: DerivedOsvRecord[]) => Promise<void>;
  readonly onProgress?: (progress: DeriveProgress) => void;
  readonly signal?: AbortSignal;
}

export interface DeriveSummary {
  readonly packages: number;
  readonly derived: number;
  readonly skipped: number;
  readonly failed: readonly { readonly package: string; readonly error: string }[];
  readonly records: number;
}

/**
 * Derives advisories from `<codename>-security`: for each source package, the
 * CVEs its debian/changelog names, each fixed in the oldest version naming it.
 * A package already derived at the same version is skipped, so a rerun after
 * an interruption resumes where it stopped.
 */
export async function deriveSecurityAdvisories(options: DeriveOptions): Promise<DeriveSummary> {
  const suite = `${options.codename}-security`;
  const index = await fetchSourcesIndex(options.securityUri, suite, options.signal);
  const wanted = options.packages === undefined ? undefined : new Set(options.packages);
  const entries = newestPerPackage(index).filter(
    (e) => wanted === undefined || wanted.has(e.package),
  );
  const stateFile = path.join(options.stateDir, `${suite}.json`);
  const state = await loadState(stateFile);

  let done = 0;
  let skipped = 0;
  let records = 0;
  const failed: { package: string; error: string }[] = [];
  const queue = [...entries];
  // Workers finish in any order; their saves of the shared state must not interleave.
  let saving: Promise<void> = Promise.resolve();
  const save = () => (saving = saving.then(() => saveState(stateFile, state)));
  const report = (pkg: string) =>
    options.onProgress?.({
      total: entries.length,
      done,
      skipped,
      failed: failed.length,
      package: pkg,
      records,
    });

  const worker = async (): Promise<void> => {
    for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) {
      options.signal?.throwIfAborted();
      if (state[entry.package] === entry.version) {
        skipped += 1;
        report(entry.package);
        continue;
      }
      try {
        const uris = [
          options.securityUri,
          ...(options.archiveUri === undefined ? [] : [options.archiveUri]),
        ];
        const changelog = await fetchChangelog(uris, entry, options.signal);
        const derived = recordsFor(entry, parseChangelog(changelog), options);
        await options.onRecords(derived);
        records += derived.length;
        state[entry.package] = entry.version;
        await save();
        done += 1;
      } catch (error) {
        if (options.signal?.aborted) throw error;
        // One package that cannot be read is skipped and named; the rest go on.
        failed.push({
          package: entry.package,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      report(entry.package);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return { packages: entries.length, derived: done, skipped, failed, records };
}

/** The records of one source package: one per CVE its changelog names. */
export function recordsFor(
  entry: SourceEntry,
  changelog: readonly ChangelogEntry[],
  options: Pick<DeriveOptions, 'codename' | 'ecosystem'>,
): DerivedOsvRecord[] {
  return firstCveMentions(changelog).map(({ cve, entry: fix }) => {
    const at = toIso(fix.date);
    return {
      schema_version: '1.6.0',
      id: `DEBIAN-CHANGELOG-${options.codename}-${entry.package}-${cve}`,
      modified: at,
      published: at,
      aliases: [cve],
      summary: `${cve} fixed in ${entry.package} ${fix.version} (${options.codename})`,
      affected: [
        {
          package: {
            ecosystem: options.ecosystem,
            name: entry.package,
            purl: `pkg:deb/debian/${entry.package}?arch=source&distro=${options.codename}`,
          },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: fix.version }] }],
          ecosystem_specific: { urgency: fix.urgency },
          database_specific: {
            derived_from: 'debian/changelog',
            changelog_of: entry.version,
            mentioned_in: fix.version,
            distribution: fix.distributions,
            date: fix.date,
          },
        },
      ],
    };
  });
}

/** One entry per source package: an index may list several versions; the newest, by dpkg's order, wins. */
function newestPerPackage(entries: readonly SourceEntry[]): SourceEntry[] {
  const byPackage = new Map<string, SourceEntry>();
  for (const entry of entries) {
    const known = byPackage.get(entry.package);
    if (known === undefined || dpkgVersionScheme.compare(entry.version, known.version) > 0) {
      byPackage.set(entry.package, entry);
    }
  }
  return [...byPackage.values()].sort((a, b) => a.package.localeCompare(b.package));
}

function toIso(rfc2822: string): string {
  const time = Date.parse(rfc2822);
  return Number.isNaN(time)
    ? new Date(0).toISOString()
    : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

type DeriveState = Record<string, string>;

async function loadState(file: string): Promise<DeriveState> {
  const text = await readTextIfExists(file);
  return text === undefined ? {} : (JSON.parse(text) as DeriveState);
}

async function saveState(file: string, state: DeriveState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state));
  await rename(temp, file);
}
