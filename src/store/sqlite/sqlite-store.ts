import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

import type { Database } from '../sql/database-schema.js';
import { migrateToLatest } from '../sql/migrations.js';
import type { SqlCapabilities } from '../sql/sql-capabilities.js';
import { SqlStore } from '../sql/sql-store.js';
import type { Store } from '../store.js';

/** How long a writer waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 5_000;

const SQLITE_CAPABILITIES: SqlCapabilities = Object.freeze({ supportsSkipLocked: false });

/**
 * Opens (creating if needed) the SQLite database at `filePath`, brings its
 * schema up to date and returns a Store on it. Open one store per file per
 * process: better-sqlite3 blocks the thread while it waits for a lock.
 */
export async function openSqliteStore(filePath: string): Promise<Store> {
  if (filePath !== ':memory:') mkdirSync(dirname(resolve(filePath)), { recursive: true });
  const database = new BetterSqlite3(filePath);
  try {
    // WAL lets readers run beside the one writer; NORMAL sync is durable
    // enough under WAL (a power cut loses at most the last commits, never
    // corrupts).
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw error;
  }
  const db = new Kysely<Database>({
    dialect: new ImmediateTransactionSqliteDialect({ database }),
  });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw new Error(`cannot migrate the SQLite database ${filePath}`, { cause: error });
  }
  return new SqlStore(db, SQLITE_CAPABILITIES);
}

/**
 * Begins transactions with BEGIN IMMEDIATE: a deferred transaction that reads
 * and then writes fails with SQLITE_BUSY, not waiting, when another process
 * wrote in between; taking the write lock up front makes it wait instead.
 */
class ImmediateTransactionSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionSqliteDriver(this.#config);
  }
}

class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
