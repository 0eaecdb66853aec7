import type { Kysely, Selectable } from 'kysely';

import type { GroupPackage, PackageGroup, Platform } from '../../domain/types.js';
import type { PackageGroupRepository } from '../store.js';
import type { Database, PackageGroupsTable } from './database-schema.js';
import { fromJson, toJson } from './json-column.js';
import { inTransaction } from './sql-transaction.js';

/** Package groups on Kysely, with names reserved per account forever. */
export class SqlPackageGroupRepository implements PackageGroupRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insertReservingName(group: PackageGroup): Promise<boolean> {
    return inTransaction(this.#db, async (trx) => {
      // ON CONFLICT DO NOTHING rather than catching a unique violation: it is
      // portable, race-safe (a concurrent reserver waits for the first to
      // commit), and leaves a surrounding PostgreSQL transaction usable.
      const reserved = await trx
        .insertInto('package_group_names')
        .values({ account_id: group.accountId, name: group.name, package_group_id: group.id })
        .onConflict((oc) => oc.columns(['account_id', 'name']).doNothing())
        .returning('name')
        .executeTakeFirst();
      if (reserved === undefined) return false;
      await trx
        .insertInto('package_groups')
        .values({
          id: group.id,
          account_id: group.accountId,
          name: group.name,
          platform: group.platform,
          os_versions: toJson(group.osVersions),
          packages: toJson(group.packages),
          created_at: group.createdAt,
          deleted_at: group.deletedAt,
        })
        .execute();
      return true;
    });
  }

  async isNameUsed(accountId: string, name: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('package_group_names')
      .select('name')
      .where('account_id', '=', accountId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Also returns a deleted group, with `deletedAt` set. */
  async get(accountId: string, id: string): Promise<PackageGroup | undefined> {
    const row = await this.#db
      .selectFrom('package_groups')
      .selectAll()
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row === undefined ? undefined : toPackageGroup(row);
  }

  /** Also returns a deleted group, with `deletedAt` set. */
  async getByName(accountId: string, name: string): Promise<PackageGroup | undefined> {
    const row = await this.#db
      .selectFrom('package_groups')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : toPackageGroup(row);
  }

  async list(accountId: string): Promise<PackageGroup[]> {
    const rows = await this.#db
      .selectFrom('package_groups')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('deleted_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toPackageGroup);
  }

  /** False when the group is not the account's or was already deleted. */
  async markDeleted(accountId: string, id: string, at: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('package_groups')
      .set({ deleted_at: at })
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

function toPackageGroup(row: Selectable<PackageGroupsTable>): PackageGroup {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    platform: row.platform as Platform,
    osVersions: fromJson<string[]>(row.os_versions, 'package_groups.os_versions'),
    packages: fromJson<GroupPackage[]>(row.packages, 'package_groups.packages'),
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
  };
}
