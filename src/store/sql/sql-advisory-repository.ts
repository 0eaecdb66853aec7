import type { Kysely } from 'kysely';

import type {
  AdvisoryDatabaseState,
  AdvisoryPackage,
  AdvisoryRepository,
  AdvisoryStatus,
  StoredAdvisory,
} from '../store.js';
import type { Database } from './database-schema.js';
import { inTransaction } from './sql-transaction.js';

/**
 * Rows per multi-row statement. Keeps the bound parameters (at most 5 per
 * row) well under SQLite's 32,766 and PostgreSQL's 65,535.
 */
const ROWS_PER_STATEMENT = 1000;

/** The advisory database on Kysely. */
export class SqlAdvisoryRepository implements AdvisoryRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async upsert(advisories: readonly StoredAdvisory[]): Promise<void> {
    if (advisories.length === 0) return;
    // The last of several with one id wins, as if they were upserted in turn.
    const byId = new Map(advisories.map((advisory) => [advisory.id, advisory]));
    const unique = [...byId.values()];
    await inTransaction(this.#db, async (trx) => {
      for (const ids of chunks([...byId.keys()], ROWS_PER_STATEMENT)) {
        await trx.deleteFrom('advisory_packages').where('advisory_id', 'in', ids).execute();
      }
      for (const batch of chunks(unique, ROWS_PER_STATEMENT)) {
        await trx
          .insertInto('advisories')
          .values(
            batch.map((a) => ({
              id: a.id,
              modified: a.modified,
              withdrawn: a.withdrawn,
              source: a.source,
              raw: a.raw,
            })),
          )
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              modified: eb.ref('excluded.modified'),
              withdrawn: eb.ref('excluded.withdrawn'),
              source: eb.ref('excluded.source'),
              raw: eb.ref('excluded.raw'),
            })),
          )
          .execute();
      }
      const packageRows = unique.flatMap((a) =>
        uniquePackages(a.packages).map((p) => ({
          ecosystem: p.ecosystem,
          name: p.name,
          advisory_id: a.id,
        })),
      );
      for (const batch of chunks(packageRows, ROWS_PER_STATEMENT)) {
        await trx.insertInto('advisory_packages').values(batch).execute();
      }
      await bumpGeneration(trx);
    });
  }

  async delete(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return inTransaction(this.#db, async (trx) => {
      let deleted = 0;
      for (const batch of chunks([...new Set(ids)], ROWS_PER_STATEMENT)) {
        await trx.deleteFrom('advisory_packages').where('advisory_id', 'in', batch).execute();
        const result = await trx
          .deleteFrom('advisories')
          .where('id', 'in', batch)
          .executeTakeFirst();
        deleted += Number(result.numDeletedRows);
      }
      if (deleted > 0) await bumpGeneration(trx);
      return deleted;
    });
  }

  async modifiedOf(ids: readonly string[]): Promise<Map<string, string>> {
    const modified = new Map<string, string>();
    for (const batch of chunks([...new Set(ids)], ROWS_PER_STATEMENT)) {
      const rows = await this.#db
        .selectFrom('advisories')
        .select(['id', 'modified'])
        .where('id', 'in', batch)
        .execute();
      for (const row of rows) modified.set(row.id, row.modified);
    }
    return modified;
  }

  async findByPackages(ecosystem: string, names: readonly string[]): Promise<StoredAdvisory[]> {
    const found = new Map<string, Omit<StoredAdvisory, 'packages'>>();
    for (const batch of chunks([...new Set(names)], ROWS_PER_STATEMENT)) {
      const rows = await this.#db
        .selectFrom('advisories')
        .selectAll()
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('advisory_packages')
            .select('advisory_id')
            .where('ecosystem', '=', ecosystem)
            .where('name', 'in', batch),
        )
        .execute();
      for (const row of rows) found.set(row.id, row);
    }
    const packages = await this.#packagesOf([...found.keys()]);
    return [...found.values()]
      .sort((a, b) => compareText(a.id, b.id))
      .map((row) => ({ ...row, packages: packages.get(row.id) ?? [] }));
  }

  async state(): Promise<AdvisoryDatabaseState> {
    const row = await this.#db
      .selectFrom('advisory_state')
      .select('generation')
      .where('id', '=', 1)
      .executeTakeFirst();
    const total = await this.#db
      .selectFrom('advisories')
      .select((eb) => [eb.fn.countAll().as('records'), eb.fn.max('modified').as('newest')])
      .executeTakeFirstOrThrow();
    return {
      generation: Number(row?.generation ?? 0),
      records: Number(total.records),
      newestModified: total.newest ?? null,
    };
  }

  async recordImport(source: string, at: string): Promise<void> {
    await this.#db
      .insertInto('advisory_imports')
      .values({ source, imported_at: at })
      .onConflict((oc) => oc.column('source').doUpdateSet({ imported_at: at }))
      .execute();
  }

  async status(): Promise<AdvisoryStatus> {
    const total = await this.#db
      .selectFrom('advisories')
      .select((eb) => eb.fn.countAll().as('records'))
      .executeTakeFirstOrThrow();
    const ecosystems = await this.#db
      .selectFrom('advisory_packages as p')
      .innerJoin('advisories as a', 'a.id', 'p.advisory_id')
      .select((eb) => [
        'p.ecosystem',
        eb.fn.count('a.id').distinct().as('records'),
        eb.fn.max('a.modified').as('newest'),
      ])
      .groupBy('p.ecosystem')
      .execute();
    const counts = await this.#db
      .selectFrom('advisories')
      .select((eb) => ['source', eb.fn.countAll().as('records')])
      .groupBy('source')
      .execute();
    const imports = await this.#db.selectFrom('advisory_imports').selectAll().execute();

    const sources = new Map<string, { records: number; lastImportAt: string | null }>();
    for (const row of counts) {
      sources.set(row.source, { records: Number(row.records), lastImportAt: null });
    }
    for (const row of imports) {
      const records = sources.get(row.source)?.records ?? 0;
      sources.set(row.source, { records, lastImportAt: row.imported_at });
    }
    return {
      records: Number(total.records),
      ecosystems: ecosystems
        .map((row) => ({
          ecosystem: row.ecosystem,
          records: Number(row.records),
          newestModified: row.newest,
        }))
        .sort((a, b) => compareText(a.ecosystem, b.ecosystem)),
      sources: [...sources]
        .map(([source, value]) => ({ source, ...value }))
        .sort((a, b) => compareText(a.source, b.source)),
    };
  }

  async #packagesOf(ids: readonly string[]): Promise<Map<string, AdvisoryPackage[]>> {
    const packages = new Map<string, AdvisoryPackage[]>();
    for (const batch of chunks(ids, ROWS_PER_STATEMENT)) {
      const rows = await this.#db
        .selectFrom('advisory_packages')
        .selectAll()
        .where('advisory_id', 'in', batch)
        .execute();
      for (const row of rows) {
        const list = packages.get(row.advisory_id) ?? [];
        list.push({ ecosystem: row.ecosystem, name: row.name });
        packages.set(row.advisory_id, list);
      }
    }
    for (const list of packages.values()) {
      list.sort((a, b) => compareText(a.ecosystem, b.ecosystem) || compareText(a.name, b.name));
    }
    return packages;
  }
}

/** Binary text order, the same on both engines whatever their collation. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function uniquePackages(packages: readonly AdvisoryPackage[]): AdvisoryPackage[] {
  const seen = new Map<string, AdvisoryPackage>();
  for (const p of packages) seen.set(JSON.stringify([p.ecosystem, p.name]), p);
  return [...seen.values()];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** Marks the advisory database changed, inside the transaction that changes it. */
async function bumpGeneration(trx: Kysely<Database>): Promise<void> {
  await trx
    .updateTable('advisory_state')
    .set((eb) => ({ generation: eb('generation', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}
