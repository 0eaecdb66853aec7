import type { Kysely, Selectable } from 'kysely';

import type { ConsoleSessionRepository, StoredConsoleSession } from '../store.js';
import type { ConsoleSessionsTable, Database } from './database-schema.js';

/** Web console sessions on Kysely, shared by every API server on the database. */
export class SqlConsoleSessionRepository implements ConsoleSessionRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(session: StoredConsoleSession): Promise<void> {
    await this.#db
      .insertInto('console_sessions')
      .values({
        id_hash: session.idHash,
        sealed_api_token: session.sealedApiToken,
        csrf_token: session.csrfToken,
        created_at: session.createdAt,
        last_seen_at: session.lastSeenAt,
      })
      .execute();
  }

  async get(idHash: string): Promise<StoredConsoleSession | undefined> {
    const row = await this.#db
      .selectFrom('console_sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    return row === undefined ? undefined : toSession(row);
  }

  async touch(idHash: string, lastSeenAt: string): Promise<void> {
    await this.#db
      .updateTable('console_sessions')
      .set({ last_seen_at: lastSeenAt })
      .where('id_hash', '=', idHash)
      // Two servers may touch one session at once: the later time wins.
      .where('last_seen_at', '<', lastSeenAt)
      .execute();
  }

  async delete(idHash: string): Promise<void> {
    await this.#db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteExpired(lastSeenBefore: string, createdBefore: string): Promise<number> {
    const result = await this.#db
      .deleteFrom('console_sessions')
      .where((eb) =>
        eb.or([eb('last_seen_at', '<', lastSeenBefore), eb('created_at', '<', createdBefore)]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toSession(row: Selectable<ConsoleSessionsTable>): StoredConsoleSession {
  return {
    idHash: row.id_hash,
    sealedApiToken: row.sealed_api_token,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  };
}
