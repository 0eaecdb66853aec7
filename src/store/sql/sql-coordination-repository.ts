import type { Kysely } from 'kysely';

import type { CoordinationRepository } from '../store.js';
import type { Database } from './database-schema.js';

/**
 * Cross-process agreement on Kysely. Each claim is one INSERT … ON CONFLICT, which the engine
 * makes atomic (PostgreSQL makes a concurrent insert of the same key wait for the first to
 * commit); the affected row count says who won, on SQLite and PostgreSQL alike.
 */
export class SqlCoordinationRepository implements CoordinationRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async claimSignature(signature: string, expiresAt: string, now: string): Promise<boolean> {
    // A row whose window has passed, not yet deleted, no longer counts: take it over.
    const result = await this.#db
      .insertInto('seen_signatures')
      .values({ signature, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('signature')
          .doUpdateSet({ expires_at: expiresAt })
          .where('seen_signatures.expires_at', '<=', now),
      )
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async deleteExpiredSignatures(now: string): Promise<number> {
    const result = await this.#db
      .deleteFrom('seen_signatures')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async claimOnce(name: string, at: string): Promise<boolean> {
    const result = await this.#db
      .insertInto('once_markers')
      .values({ name, claimed_at: at })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }
}
