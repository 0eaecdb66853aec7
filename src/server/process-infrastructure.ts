import { mkdir } from 'node:fs/promises';

import { parseBlobLocation } from '../blobs/blob-location.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { openBlobStore } from '../blobs/open-blob-store.js';
import type { GoldsmithConfig } from '../config/config.js';
import type { ClosableEventBus, EventBusLogger } from '../events/event-bus.js';
import { openEventBus } from '../events/open-event-bus.js';
import { loadGatePolicy } from '../scanner/gate/gate-config.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** The database, blob store and event bus every Goldsmith process runs on. */
export interface ProcessInfrastructure {
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly events: ClosableEventBus;
}

/**
 * Creates the local directories and opens the blob store, the database (migrated) and the
 * event bus a configuration names; fails at start when one of them cannot be reached.
 */
export async function openInfrastructure(
  config: GoldsmithConfig,
  logger?: EventBusLogger,
): Promise<ProcessInfrastructure> {
  for (const dir of [
    config.dataDir,
    config.blobDir,
    config.baseCacheDir,
    config.sandboxDir,
    config.stagingDir,
  ]) {
    await mkdir(dir, { recursive: true });
  }
  // A broken gate file stops the start, rather than every build later.
  await loadGatePolicy(config.scanGateFile);
  const blobs = openBlobStore({ location: parseBlobLocation(config.blobs), s3: config.s3 });
  await blobs.checkAccess?.();
  const store = await openStore(config.database);
  // On PostgreSQL, events reach every process on the database (LISTEN/NOTIFY).
  const events = await openEventBus(config.database, logger === undefined ? {} : { logger });
  return { store, blobs, events };
}

/** Closes what openInfrastructure opened. */
export async function closeInfrastructure(infrastructure: ProcessInfrastructure): Promise<void> {
  await infrastructure.events.close();
  await infrastructure.store.close();
  infrastructure.blobs.close?.();
}

/** Why this process cannot serve now: the database or the blob store does not answer. */
export async function readinessProblems(store: Store, blobs: BlobStore): Promise<string[]> {
  const problems: string[] = [];
  await store.accounts.count().catch((error: unknown) => {
    problems.push(`database: ${error instanceof Error ? error.message : String(error)}`);
  });
  await blobs.checkAccess?.().catch((error: unknown) => {
    problems.push(`blob store: ${error instanceof Error ? error.message : String(error)}`);
  });
  return problems;
}
