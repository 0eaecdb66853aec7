import type { Kysely, Transaction } from 'kysely';

import type { Database } from './database-schema.js';

/**
 * Runs `work` in a transaction, joining the caller's if `db` is already one:
 * a repository's multi-statement write must be atomic on its own and still
 * commit or roll back with the caller's `Store.transaction`.
 */
export function inTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction
    ? work(db)
    : db.transaction().execute((trx: Transaction<Database>) => work(trx));
}
