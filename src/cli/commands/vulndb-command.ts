import path from 'node:path';

import type { Command } from 'commander';

import { resolveDebianMirrors } from '../../base-images/apt-sources.js';
import { findOsVersion, OS_VERSIONS } from '../../domain/catalog/os-catalog.js';
import {
  deriveSecurityAdvisories,
  type DeriveProgress,
  type DerivedOsvRecord,
  type DeriveSummary,
} from '../../scanner/debian-security/security-archive-deriver.js';

import { buildConfig } from '../../config/config.js';
import {
  DEFAULT_OSV_SOURCE,
  importOsvEntries,
  importOsvFiles,
  type OsvImportProgress,
} from '../../scanner/advisories/osv-importer.js';
import type { OsvEntry } from '../../scanner/advisories/osv-sources.js';
import type { AdvisoryStatus } from '../../store/store.js';
import { withStore, withStoreOptions, type StoreOptions } from '../store-options.js';
import { note, printJson, printTable } from '../output.js';

/** How often progress is written to stderr at most. */
const PROGRESS_INTERVAL_MS = 1000;

/**
 * `goldsmith vulndb import|status`: the advisory database, worked on directly
 * in the store the server uses, with no server running.
 */
export function vulndbCommand(program: Command): void {
  const vulndb = program
    .command('vulndb')
    .description('the vulnerability advisory database (works without a running server)');

  withStoreOptions(
    vulndb
      .command('import')
      .description(
        'import OSV records from .json files, directories, osv.dev .zip exports or .jsonl[.xz] files',
      )
      .argument('<files...>')
      .option('--source <name>', 'name to store the records under', DEFAULT_OSV_SOURCE)
      .option('--json', 'JSON output'),
  ).action(async (files: string[], opts: StoreOptions & { source: string; json?: boolean }) => {
    await withStore(opts, async (store) => {
      const summary = await importOsvFiles(store, files, {
        source: opts.source,
        onProgress: throttledProgress(),
      });
      for (const record of summary.invalidRecords) {
        note(
          `skipped invalid record ${record.id ?? '(no id)'} at ${record.origin}: ${record.reason}`,
        );
      }
      if (summary.invalid > summary.invalidRecords.length) {
        note(`... and ${summary.invalid - summary.invalidRecords.length} more invalid records`);
      }
      if (opts.json) return printJson(summary);
      note(
        `imported ${summary.imported}, skipped ${summary.skipped}, removed ${summary.removed}, ` +
          `invalid ${summary.invalid} of ${summary.read} records in ${(summary.durationMs / 1000).toFixed(1)} s`,
      );
    });
  });

  withStoreOptions(
    vulndb
      .command('update')
      .description(
        'derive advisories from the Debian security archive of the configured mirror (resumes after an interruption)',
      )
      .option(
        '--os <versions>',
        'comma-separated OS versions',
        OS_VERSIONS.map((o) => o.id).join(','),
      )
      .option('--packages <names>', 'only these source packages (comma-separated)')
      .option(
        '--debian-mirror <url>',
        'Debian archive (default: the host’s apt sources)',
        process.env['GOLDSMITH_DEBIAN_MIRROR'],
      )
      .option(
        '--debian-security-mirror <url>',
        'Debian security archive (default: the host’s apt sources)',
        process.env['GOLDSMITH_DEBIAN_SECURITY_MIRROR'],
      )
      .option('--json', 'JSON output'),
  ).action(
    async (
      opts: StoreOptions & {
        os: string;
        packages?: string;
        debianMirror?: string;
        debianSecurityMirror?: string;
        json?: boolean;
      },
    ) => {
      const mirrors = await resolveDebianMirrors({
        archive: opts.debianMirror,
        security: opts.debianSecurityMirror,
      });
      if (mirrors.security === undefined) {
        throw new Error(
          'no Debian security archive: give --debian-security-mirror or add it to the apt sources',
        );
      }
      const securityUri = mirrors.security;
      const summaries: (DeriveSummary & { osVersion: string })[] = [];
      await withStore(opts, async (store) => {
        for (const id of opts.os.split(',').map((s) => s.trim())) {
          const os = findOsVersion(id);
          if (os === undefined || os.family !== 'debian')
            throw new Error(`${id} is not a Debian OS version of the catalog`);
          const ecosystem = `Debian:${id.replace('debian-', '')}`;
          note(`${id}: reading ${os.baseSource.suite}-security`);
          const summary = await deriveSecurityAdvisories({
            securityUri,
            archiveUri: mirrors.archive,
            codename: os.baseSource.suite,
            ecosystem,
            stateDir: path.join(
              buildConfig({ dataDir: opts.dataDir }).dataDir,
              'vulndb',
              'debian-security',
            ),
            ...(opts.packages === undefined
              ? {}
              : { packages: opts.packages.split(',').map((s) => s.trim()) }),
            onRecords: async (records) => {
              await importOsvEntries(store, entriesOf(records), { source: DEBIAN_SECURITY_SOURCE });
            },
            onProgress: throttledDeriveProgress(id),
          });
          for (const failure of summary.failed)
            note(`${id}: ${failure.package} skipped: ${failure.error}`);
          summaries.push({ osVersion: id, ...summary });
          if (!opts.json) {
            note(
              `${id}: ${summary.derived} packages read, ${summary.skipped} already done, ` +
                `${summary.failed.length} failed, ${summary.records} records`,
            );
          }
        }
      });
      if (opts.json) printJson(summaries);
    },
  );

  withStoreOptions(
    vulndb
      .command('status')
      .description('records per ecosystem, newest record and its age, last import per source')
      .option('--json', 'JSON output'),
  ).action(async (opts: StoreOptions & { json?: boolean }) => {
    await withStore(opts, async (store) => {
      const status = await store.advisories.status();
      if (opts.json) return printJson(status);
      printStatus(status, new Date());
    });
  });
}

function throttledProgress(): (progress: OsvImportProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    note(
      `read ${p.read}: imported ${p.imported}, skipped ${p.skipped}, removed ${p.removed}, invalid ${p.invalid}`,
    );
  };
}

/** The source name advisories derived from the Debian security archive are stored under. */
export const DEBIAN_SECURITY_SOURCE = 'debian-security-changelog';

async function* entriesOf(records: readonly DerivedOsvRecord[]): AsyncIterable<OsvEntry> {
  for (const record of records) yield { origin: record.id, text: JSON.stringify(record) };
}

function throttledDeriveProgress(osVersion: string): (progress: DeriveProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS && p.done + p.skipped + p.failed < p.total) return;
    last = now;
    note(
      `${osVersion}: ${p.done + p.skipped + p.failed}/${p.total} source packages (${p.package}), ${p.records} records`,
    );
  };
}

function printStatus(status: AdvisoryStatus, now: Date): void {
  printTable(
    ['ECOSYSTEM', 'RECORDS', 'NEWEST RECORD', 'AGE'],
    status.ecosystems.map((e) => [
      e.ecosystem,
      String(e.records),
      e.newestModified,
      age(e.newestModified, now),
    ]),
  );
  process.stdout.write('\n');
  printTable(
    ['SOURCE', 'RECORDS', 'LAST IMPORT'],
    status.sources.map((s) => [s.source, String(s.records), s.lastImportAt ?? '-']),
  );
  process.stdout.write(`\n${status.records} records\n`);
}

/** `3d 4h`, `5h`, `12m`: how long ago `iso` was. */
function age(iso: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  return hours > 0 ? `${hours}h` : `${minutes}m`;
}
