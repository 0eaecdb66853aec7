import type { Kysely, Selectable } from 'kysely';

import type { ApiToken } from '../../domain/types.js';
import type { TokenRepository } from '../store.js';
import type { ApiTokensTable, Database } from './database-schema.js';

/** API tokens on Kysely; only the secret's hash is stored. */
export class SqlTokenRepository implements TokenRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(token: ApiToken): Promise<void> {
    await this.#db
      .insertInto('api_tokens')
      .values({
        id: token.id,
        account_id: token.accountId,
        name: token.name,
        secret_hash: token.secretHash,
        created_at: token.createdAt,
      })
      .execute();
  }

  async findBySecretHash(secretHash: string): Promise<ApiToken | undefined> {
    const row = await this.#db
      .selectFrom('api_tokens')
      .selectAll()
      .where('secret_hash', '=', secretHash)
      .executeTakeFirst();
    return row === undefined ? undefined : toToken(row);
  }

  /** Oldest first. */
  async listForAccount(accountId: string): Promise<ApiToken[]> {
    const rows = await this.#db
      .selectFrom('api_tokens')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toToken);
  }

  async delete(accountId: string, tokenId: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('api_tokens')
      .where('id', '=', tokenId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    secretHash: row.secret_hash,
    createdAt: row.created_at,
  };
}
