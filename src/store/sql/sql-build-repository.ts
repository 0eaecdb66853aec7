import type { Kysely, Selectable, Updateable } from 'kysely';

import type { BuildState, Finding, OsBuild } from '../../domain/types.js';
import type { BuildRepository, BuildUpdate } from '../store.js';
import type { BuildsTable, Database } from './database-schema.js';
import { fromJson, toJson } from './json-column.js';

/** OS builds on Kysely. */
export class SqlBuildRepository implements BuildRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(build: OsBuild): Promise<void> {
    await this.#db
      .insertInto('builds')
      .values({
        id: build.id,
        account_id: build.accountId,
        package_group_id: build.packageGroupId,
        os_version: build.osVersion,
        state: build.state,
        image_id: build.imageId,
        base_image_id: build.baseImageId,
        base_digest: build.baseDigest,
        scan_report_digest: build.scanReportDigest,
        submitted_at: build.submittedAt,
        started_at: build.startedAt,
        finished_at: build.finishedAt,
        phases: toJson(build.phases),
        findings: toJson(build.findings),
        internal_error: build.internalError,
        attempts: build.attempts,
      })
      .execute();
  }

  async get(accountId: string | null, id: string): Promise<OsBuild | undefined> {
    const row = await this.#db
      .selectFrom('builds')
      .selectAll()
      .where('id', '=', id)
      .$if(accountId !== null, (qb) => qb.where('account_id', '=', accountId))
      .executeTakeFirst();
    return row === undefined ? undefined : toBuild(row);
  }

  /** In submission order, then by OS version. */
  async listForGroup(accountId: string, packageGroupId: string): Promise<OsBuild[]> {
    return this.listForGroups(accountId, [packageGroupId]);
  }

  /** In submission order, then by OS version. */
  async listForGroups(accountId: string, packageGroupIds: readonly string[]): Promise<OsBuild[]> {
    // `IN ()` is not valid SQL, and no groups have no builds.
    if (packageGroupIds.length === 0) return [];
    const rows = await this.#db
      .selectFrom('builds')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('package_group_id', 'in', packageGroupIds)
      .orderBy('submitted_at')
      .orderBy('os_version')
      .orderBy('id')
      .execute();
    return rows.map(toBuild);
  }

  async listByState(state: BuildState): Promise<OsBuild[]> {
    const rows = await this.#db
      .selectFrom('builds')
      .selectAll()
      .where('state', '=', state)
      .orderBy('submitted_at')
      .orderBy('id')
      .execute();
    return rows.map(toBuild);
  }

  /** Applies only the fields present; throws when no build has that id. */
  async update(id: string, update: BuildUpdate): Promise<OsBuild> {
    const values = toColumns(update);
    const row =
      Object.keys(values).length === 0
        ? await this.#db.selectFrom('builds').selectAll().where('id', '=', id).executeTakeFirst()
        : await this.#db
            .updateTable('builds')
            .set(values)
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirst();
    if (row === undefined) throw new Error(`build ${id} does not exist`);
    return toBuild(row);
  }
}

function toColumns(update: BuildUpdate): Updateable<BuildsTable> {
  const values: Updateable<BuildsTable> = {};
  if (update.state !== undefined) values.state = update.state;
  if (update.imageId !== undefined) values.image_id = update.imageId;
  if (update.baseImageId !== undefined) values.base_image_id = update.baseImageId;
  if (update.baseDigest !== undefined) values.base_digest = update.baseDigest;
  if (update.scanReportDigest !== undefined) values.scan_report_digest = update.scanReportDigest;
  if (update.startedAt !== undefined) values.started_at = update.startedAt;
  if (update.finishedAt !== undefined) values.finished_at = update.finishedAt;
  if (update.phases !== undefined) values.phases = toJson(update.phases);
  if (update.findings !== undefined) values.findings = toJson(update.findings);
  if (update.internalError !== undefined) values.internal_error = update.internalError;
  if (update.attempts !== undefined) values.attempts = update.attempts;
  return values;
}

function toBuild(row: Selectable<BuildsTable>): OsBuild {
  return {
    id: row.id,
    accountId: row.account_id,
    packageGroupId: row.package_group_id,
    osVersion: row.os_version,
    state: row.state as BuildState,
    imageId: row.image_id,
    baseImageId: row.base_image_id,
    baseDigest: row.base_digest,
    scanReportDigest: row.scan_report_digest,
    submittedAt: row.submitted_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    phases: fromJson<OsBuild['phases']>(row.phases, 'builds.phases'),
    findings: fromJson<Finding[]>(row.findings, 'builds.findings'),
    internalError: row.internal_error,
    attempts: row.attempts,
  };
}
