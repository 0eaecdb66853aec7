import type { Kysely, Selectable } from 'kysely';

import type { StoredAccessKey } from '../../domain/access-keys/access-key.js';
import type { AccessKeyRepository } from '../store.js';
import type { AccessKeysTable, Database } from './database-schema.js';

/** Access keys on Kysely; secrets only as ciphertext and nonce. */
export class SqlAccessKeyRepository implements AccessKeyRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(key: StoredAccessKey): Promise<void> {
    await this.#db
      .insertInto('access_keys')
      .values({
        id: key.id,
        account_id: key.accountId,
        secret_ciphertext: key.secretCiphertext,
        secret_nonce: key.secretNonce,
        created_at: key.createdAt,
        last_used_at: key.lastUsedAt,
      })
      .execute();
  }

  async get(id: string): Promise<StoredAccessKey | undefined> {
    const row = await this.#db
      .selectFrom('access_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toAccessKey(row);
  }

  async listForAccount(accountId: string): Promise<StoredAccessKey[]> {
    const rows = await this.#db
      .selectFrom('access_keys')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toAccessKey);
  }

  async countForAccount(accountId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('access_keys')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async delete(accountId: string | null, id: string): Promise<boolean> {
    let query = this.#db.deleteFrom('access_keys').where('id', '=', id);
    if (accountId !== null) query = query.where('account_id', '=', accountId);
    const result = await query.executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async markUsed(id: string, at: string): Promise<void> {
    await this.#db
      .updateTable('access_keys')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .execute();
  }
}

function toAccessKey(row: Selectable<AccessKeysTable>): StoredAccessKey {
  return {
    id: row.id,
    accountId: row.account_id,
    secretCiphertext: row.secret_ciphertext,
    secretNonce: row.secret_nonce,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}
