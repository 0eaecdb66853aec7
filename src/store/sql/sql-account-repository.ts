import type { Kysely, Selectable } from 'kysely';

import type { Account, Role } from '../../domain/types.js';
import type { AccountRepository } from '../store.js';
import type { AccountsTable, Database } from './database-schema.js';
import { fromJson, toJson } from './json-column.js';

/** Accounts on Kysely. */
export class SqlAccountRepository implements AccountRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(account: Account): Promise<void> {
    await this.#db
      .insertInto('accounts')
      .values({
        id: account.id,
        name: account.name,
        roles: toJson(account.roles),
        created_at: account.createdAt,
      })
      .execute();
  }

  async get(id: string): Promise<Account | undefined> {
    const row = await this.#db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toAccount(row);
  }

  /** Oldest first, so the bootstrap operator comes first. */
  async list(): Promise<Account[]> {
    const rows = await this.#db
      .selectFrom('accounts')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toAccount);
  }

  async count(): Promise<number> {
    const row = await this.#db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}

function toAccount(row: Selectable<AccountsTable>): Account {
  return {
    id: row.id,
    name: row.name,
    roles: fromJson<Role[]>(row.roles, 'accounts.roles'),
    createdAt: row.created_at,
  };
}
