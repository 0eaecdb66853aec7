import { systemClock, type Clock } from '../../domain/clock.js';
import { advisoryPackageName } from '../matching/package-ecosystems.js';
import type { AdvisoryPackage, Store, StoredAdvisory } from '../../store/store.js';
import { parseOsvRecord, type OsvRecord } from './osv-record.js';
import { readOsvEntries, type OsvEntry } from './osv-sources.js';

/** Counts so far; `read` = imported + skipped + invalid + withdrawn records seen. */
export interface OsvImportProgress {
  readonly read: number;
  readonly imported: number;
  /** Not newer than the stored copy, or withdrawn and not stored. */
  readonly skipped: number;
  /** Withdrawn records whose stored copy was deleted. */
  readonly removed: number;
  readonly invalid: number;
}

/** A record the import passed over, and why. */
export interface OsvInvalidRecord {
  readonly origin: string;
  readonly id: string | undefined;
  readonly reason: string;
}

export interface OsvImportSummary extends OsvImportProgress {
  readonly source: string;
  /** The first invalid records (at most `MAX_REPORTED_INVALID`); `invalid` counts them all. */
  readonly invalidRecords: readonly OsvInvalidRecord[];
  readonly durationMs: number;
}

export interface OsvImportOptions {
  /** Name the records are stored under, for `vulndb status`; default `osv`. */
  readonly source?: string;
  /** Records per store transaction; default 2000. */
  readonly batchSize?: number;
  /** Called after every batch and once at the end. */
  readonly onProgress?: (progress: OsvImportProgress) => void;
  readonly clock?: Clock;
}

export const DEFAULT_OSV_SOURCE = 'osv';
const DEFAULT_BATCH_SIZE = 2000;
const MAX_REPORTED_INVALID = 100;

/** Imports the OSV records of files, directories and archives (see `readOsvEntries`), in order. */
export function importOsvFiles(
  store: Store,
  files: readonly string[],
  options: OsvImportOptions = {},
): Promise<OsvImportSummary> {
  return importOsvEntries(store, entriesOf(files), options);
}

async function* entriesOf(files: readonly string[]): AsyncGenerator<OsvEntry> {
  for (const file of files) yield* readOsvEntries(file);
}

/**
 * Imports OSV records incrementally: a record not newer (by `modified`) than
 * the stored copy is skipped, a withdrawn one deletes the stored copy, and an
 * invalid one is counted and passed over. A store error aborts the import;
 * batches already written stay written, and a rerun skips them.
 */
export async function importOsvEntries(
  store: Store,
  entries: AsyncIterable<OsvEntry>,
  options: OsvImportOptions = {},
): Promise<OsvImportSummary> {
  const source = options.source ?? DEFAULT_OSV_SOURCE;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const counts = { read: 0, imported: 0, skipped: 0, removed: 0, invalid: 0 };
  const invalidRecords: OsvInvalidRecord[] = [];
  const report = () => options.onProgress?.({ ...counts });

  const invalid = (record: OsvInvalidRecord) => {
    counts.invalid += 1;
    if (invalidRecords.length < MAX_REPORTED_INVALID) invalidRecords.push(record);
  };

  let batch: Candidate[] = [];
  const flush = async () => {
    const outcome = await applyBatch(store, source, batch);
    counts.imported += outcome.imported;
    counts.skipped += outcome.skipped;
    counts.removed += outcome.removed;
    batch = [];
    report();
  };

  for await (const entry of entries) {
    counts.read += 1;
    let value: unknown;
    try {
      value = JSON.parse(entry.text);
    } catch (error) {
      invalid({ origin: entry.origin, id: undefined, reason: `not JSON: ${messageOf(error)}` });
      continue;
    }
    const parsed = parseOsvRecord(value);
    if (!parsed.ok) {
      invalid({ origin: entry.origin, id: parsed.id, reason: parsed.reason });
      continue;
    }
    batch.push({ record: parsed.record, raw: entry.text.trim() });
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  const finished = clock.now();
  await store.advisories.recordImport(source, finished.toISOString());
  report();
  return {
    source,
    ...counts,
    invalidRecords,
    durationMs: finished.getTime() - started.getTime(),
  };
}

interface Candidate {
  readonly record: OsvRecord;
  readonly raw: string;
}

/** Decides each record of a batch against the stored `modified` and writes the batch in one transaction. */
async function applyBatch(
  store: Store,
  source: string,
  batch: readonly Candidate[],
): Promise<{ imported: number; skipped: number; removed: number }> {
  // Several copies of one id in a batch: the newest goes on, the rest are skipped.
  const newest = new Map<string, Candidate>();
  let skipped = 0;
  for (const candidate of batch) {
    const seen = newest.get(candidate.record.id);
    if (seen !== undefined) {
      skipped += 1;
      if (seen.record.modifiedKey > candidate.record.modifiedKey) continue;
    }
    newest.set(candidate.record.id, candidate);
  }

  const stored = await store.advisories.modifiedOf([...newest.keys()]);
  const upserts: StoredAdvisory[] = [];
  const removals: string[] = [];
  for (const { record, raw } of newest.values()) {
    const storedModified = stored.get(record.id);
    if (record.withdrawn !== undefined) {
      // A withdrawal deletes even a copy of the same `modified`: it is an
      // explicit retraction, and keeping the record would report it forever.
      if (storedModified !== undefined && record.modifiedKey >= storedModified) {
        removals.push(record.id);
      } else skipped += 1;
    } else if (storedModified !== undefined && record.modifiedKey <= storedModified) {
      skipped += 1;
    } else {
      upserts.push(toStored(record, raw, source));
    }
  }
  if (upserts.length === 0 && removals.length === 0) return { imported: 0, skipped, removed: 0 };
  const removed = await store.transaction(async (tx) => {
    await tx.advisories.upsert(upserts);
    return tx.advisories.delete(removals);
  });
  return { imported: upserts.length, skipped: skipped + removals.length - removed, removed };
}

function toStored(record: OsvRecord, raw: string, source: string): StoredAdvisory {
  const packages: AdvisoryPackage[] = record.affected.map((affected) => ({
    ecosystem: affected.package.ecosystem,
    name: advisoryPackageName(affected.package.ecosystem, affected.package.name),
  }));
  return {
    id: record.id,
    modified: record.modifiedKey,
    withdrawn: record.withdrawn ?? null,
    source,
    packages,
    raw,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
