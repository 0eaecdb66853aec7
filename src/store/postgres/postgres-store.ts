import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';

import type { Database } from '../sql/database-schema.js';
import { migrateToLatest } from '../sql/migrations.js';
import type { SqlCapabilities } from '../sql/sql-capabilities.js';
import { SqlStore } from '../sql/sql-store.js';
import type { Store } from '../store.js';

/** Options for a PostgreSQL store. */
export interface PostgresStoreOptions {
  /**
   * Keep every table in this schema (created if missing) instead of the
   * URL's default search path; lets several Goldsmiths or test runs share
   * one database.
   */
  readonly schema?: string;
  /** Most connections the pool opens; pg's default is 10. */
  readonly maxConnections?: number;
}

const POSTGRES_CAPABILITIES: SqlCapabilities = Object.freeze({ supportsSkipLocked: true });

/** Unquoted PostgreSQL identifier, so it is safe inside the `options` startup parameter. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens a pool on a `postgres://` URL, brings the schema up to date and returns a Store on it. */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<Store> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name ${JSON.stringify(schema)}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections,
    // An unresponsive server (or an exhausted pool) should fail loudly, not hang.
    connectionTimeoutMillis: 30_000,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client that loses its server emits 'error' on the pool; unheard,
  // Node would crash the process. The pool drops that client and the next
  // query connects afresh, reporting any lasting failure there.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    await migrateToLatest(db, schema);
  } catch (error) {
    await db.destroy();
    throw new Error(`cannot open the PostgreSQL store at ${redactPassword(url)}`, {
      cause: error,
    });
  }
  return new SqlStore(db, POSTGRES_CAPABILITIES);
}

/** The URL with any password masked, for error messages. */
function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
