import type { Kysely } from 'kysely';

import type { LeaseRepository } from '../store.js';
import type { Database } from './database-schema.js';

/** Named, expiring locks on Kysely. */
export class SqlLeaseRepository implements LeaseRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async acquire(name: string, owner: string, now: string, until: string): Promise<boolean> {
    // One upsert decides atomically on both engines: the row is inserted if
    // missing, or taken over only when expired or already ours. When the
    // WHERE refuses the update, no row comes back.
    const row = await this.#db
      .insertInto('leases')
      .values({ name, owner, expires_at: until })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet((eb) => ({
            owner: eb.ref('excluded.owner'),
            expires_at: eb.ref('excluded.expires_at'),
          }))
          .where((eb) =>
            eb.or([
              eb('leases.expires_at', '<', now),
              eb('leases.owner', '=', eb.ref('excluded.owner')),
            ]),
          ),
      )
      .returning('owner')
      .executeTakeFirst();
    return row?.owner === owner;
  }

  /** Only the holder can release; anyone else's call does nothing. */
  async release(name: string, owner: string): Promise<void> {
    await this.#db
      .deleteFrom('leases')
      .where('name', '=', name)
      .where('owner', '=', owner)
      .execute();
  }
}
