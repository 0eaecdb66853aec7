import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';

import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { NewJob, Store } from '../../src/store/store.js';
import { tempDir } from '../support/paths.js';

/*
 * The engines every store contract suite runs against: a fresh SQLite file,
 * and a fresh schema of the PostgreSQL test database.
 */

export const POSTGRES_URL =
  process.env['GOLDSMITH_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One empty database, and a way to open any number of stores on it. */
export interface StoreHarness {
  /** Opens another store on the same database, running migrations again. */
  open(): Promise<Store>;
  /**
   * Whether two opened stores run statements truly in parallel. better-sqlite3
   * blocks its thread on a lock, so SQLite concurrency tests share one store.
   */
  readonly parallel: boolean;
  dispose(): Promise<void>;
}

export type HarnessFactory = () => Promise<StoreHarness>;

/** A fresh SQLite file in a temporary directory. */
export async function sqliteHarness(): Promise<StoreHarness> {
  const dir = tempDir('store');
  const stores: Store[] = [];
  return {
    parallel: false,
    async open() {
      const store = await openSqliteStore(join(dir, 'goldsmith.db'));
      stores.push(store);
      return store;
    },
    async dispose() {
      for (const store of stores) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A random schema of the test database, dropped afterwards, so runs never collide. */
export function randomSchema(): string {
  return `goldsmith_test_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** A fresh schema of the PostgreSQL test database. */
export async function postgresHarness(): Promise<StoreHarness> {
  const schema = randomSchema();
  const stores: Store[] = [];
  return {
    parallel: true,
    async open() {
      const store = await openPostgresStore(POSTGRES_URL, { schema });
      stores.push(store);
      return store;
    },
    async dispose() {
      for (const store of stores) await store.close();
      await dropSchema(schema);
    },
  };
}

/** What freshStoreEachTest hands a suite: the store of the running test, and its database. */
export interface FreshStore {
  readonly store: Store;
  /** The running test's database, to open more stores on it. */
  readonly harness: StoreHarness;
  /** A second store on the same database where the engine runs them in parallel, else the same one. */
  peerStore(): Promise<Store>;
}

/**
 * Registers hooks that open a fresh store before each test, with buyer accounts of these ids
 * (for foreign keys), and dispose of it after.
 */
export function freshStoreEachTest(
  createHarness: HarnessFactory,
  accountIds: readonly string[] = [],
): FreshStore {
  let harness: StoreHarness | undefined;
  let store: Store | undefined;
  beforeEach(async () => {
    harness = await createHarness();
    store = await harness.open();
    for (const id of accountIds) {
      await store.accounts.insert({
        id,
        name: id,
        roles: ['buyer'],
        createdAt: '2025-01-01T00:00:00.000Z',
      });
    }
  });
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
    store = undefined;
  });
  return {
    get store(): Store {
      if (store === undefined) throw new Error('no store outside a test');
      return store;
    },
    get harness(): StoreHarness {
      if (harness === undefined) throw new Error('no harness outside a test');
      return harness;
    },
    async peerStore(): Promise<Store> {
      if (harness === undefined || store === undefined) throw new Error('no store outside a test');
      return harness.parallel ? harness.open() : store;
    },
  };
}

/** Two accounts' ids for repository contracts: the caller's and someone else's. */
export const MINE = '100000000001';
export const OTHER = '100000000002';

/** A fixed instant `s` seconds into 2025, as the store keeps timestamps. */
export const at = (s: number): string => new Date(Date.UTC(2025, 0, 1) + s * 1000).toISOString();

/** A job of MINE's for the job queue contracts: an OS build, runnable from `at(0)`. */
export function osBuildJob(id: string, overrides: Partial<NewJob> = {}): NewJob {
  return {
    id,
    kind: 'os-build',
    payload: { buildId: `b-${id}` },
    accountId: MINE,
    maxAttempts: 3,
    runAfter: at(0),
    createdAt: at(0),
    requirements: {},
    ...overrides,
  };
}
