import type { Kysely, Selectable } from 'kysely';

import type { StoredPackage } from '../../domain/types.js';
import type { PackageRepository } from '../store.js';
import type { Database, PackagesTable } from './database-schema.js';

/** Uploaded packages on Kysely, always scoped to their account. */
export class SqlPackageRepository implements PackageRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(pkg: StoredPackage): Promise<void> {
    await this.#db
      .insertInto('packages')
      .values({
        id: pkg.id,
        account_id: pkg.accountId,
        file_name: pkg.fileName,
        digest: pkg.digest,
        size: pkg.size,
        created_at: pkg.createdAt,
      })
      .execute();
  }

  async get(accountId: string, id: string): Promise<StoredPackage | undefined> {
    const row = await this.#db
      .selectFrom('packages')
      .selectAll()
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row === undefined ? undefined : toPackage(row);
  }

  /** Newest first. */
  async list(accountId: string): Promise<StoredPackage[]> {
    const rows = await this.#db
      .selectFrom('packages')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toPackage);
  }
}

function toPackage(row: Selectable<PackagesTable>): StoredPackage {
  return {
    id: row.id,
    accountId: row.account_id,
    fileName: row.file_name,
    digest: row.digest,
    size: Number(row.size),
    createdAt: row.created_at,
  };
}
