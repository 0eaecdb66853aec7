import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach } from 'vitest';

import { systemClock } from '../../src/domain/clock.js';
import { InProcessEventBus } from '../../src/events/in-process-event-bus.js';
import {
  WorkerPool,
  type JobHandler,
  type WorkerPoolOptions,
} from '../../src/pipeline/worker-pool.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { NewJob, Store } from '../../src/store/store.js';
import { tempDir } from '../support/paths.js';

/** A pool logger that says nothing. */
export const silent = { info: () => undefined, error: () => undefined };

/** A promise and the function that settles it, for waiting on what a pool does. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A job of kind `work`, runnable now. */
export function newJob(id: string, overrides: Partial<NewJob> = {}): NewJob {
  const now = new Date().toISOString();
  return {
    id,
    kind: 'work',
    payload: {},
    accountId: null,
    maxAttempts: 3,
    runAfter: now,
    createdAt: now,
    requirements: {},
    ...overrides,
  };
}

/** How a test's pool differs from the defaults: its size and lease, and what it reports. */
export type PoolSettings = Pick<WorkerPoolOptions, 'concurrency' | 'leaseMs'> &
  Pick<Partial<WorkerPoolOptions>, 'onAttemptEnd' | 'capabilities'>;

/** What workerPoolFixture hands a suite: the running test's store and events, and its pools. */
export interface WorkerPoolFixture {
  readonly store: Store;
  readonly events: InProcessEventBus;
  /** Starts a pool that runs jobs of kind `work` with `handler`; it is stopped after the test. */
  startPool(handler: JobHandler, settings: PoolSettings): WorkerPool;
}

/**
 * Registers hooks that open a fresh SQLite store and event bus before each test, and stop the
 * test's pools and remove the store after it.
 */
export function workerPoolFixture(name: string): WorkerPoolFixture {
  let dir = '';
  let store: Store | undefined;
  let events = new InProcessEventBus();
  const pools: WorkerPool[] = [];

  beforeEach(async () => {
    dir = tempDir(name);
    store = await openSqliteStore(join(dir, 'goldsmith.db'));
    events = new InProcessEventBus();
  });

  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.stop();
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function currentStore(): Store {
    if (store === undefined) throw new Error('no store outside a test');
    return store;
  }

  return {
    get store(): Store {
      return currentStore();
    },
    get events(): InProcessEventBus {
      return events;
    },
    startPool(handler, settings) {
      const pool = new WorkerPool({
        store: currentStore(),
        events,
        clock: systemClock,
        handlers: { work: handler },
        retryDelayMs: 0,
        logger: silent,
        pollMs: 50,
        ...settings,
      });
      pools.push(pool);
      pool.start();
      return pool;
    },
  };
}
