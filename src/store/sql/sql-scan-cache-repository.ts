import type { Kysely } from 'kysely';

import type { ScanCacheRepository } from '../store.js';
import type { Database } from './database-schema.js';

/** The scan cache on Kysely: one row per key, the result kept as JSON text. */
export class SqlScanCacheRepository implements ScanCacheRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async get(key: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('scan_cache')
      .select('result')
      .where('cache_key', '=', key)
      .executeTakeFirst();
    return row?.result;
  }

  async put(key: string, result: string, at: string): Promise<void> {
    await this.#db
      .insertInto('scan_cache')
      .values({ cache_key: key, result, created_at: at })
      .onConflict((oc) =>
        oc.column('cache_key').doUpdateSet((eb) => ({
          result: eb.ref('excluded.result'),
          created_at: eb.ref('excluded.created_at'),
        })),
      )
      .execute();
  }

  async prune(before: string): Promise<number> {
    const result = await this.#db
      .deleteFrom('scan_cache')
      .where('created_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
