import type { Kysely, Selectable } from 'kysely';

import type {
  PrivateBuildErrorDetail,
  PrivateBuildProduct,
  PrivateBuildStatus,
  PrivateBuildUpdate,
  PrivateImageBuild,
} from '../../domain/private-builds/private-build.js';
import type { Finding } from '../../domain/types.js';
import type { PrivateBuildRepository } from '../store.js';
import type { Database, PrivateBuildsTable } from './database-schema.js';
import { fromJson, toJson } from './json-column.js';

/** Buyers' private image builds on Kysely. */
export class SqlPrivateBuildRepository implements PrivateBuildRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(build: PrivateImageBuild): Promise<void> {
    await this.#db
      .insertInto('private_builds')
      .values({
        id: build.id,
        account_id: build.accountId,
        fulfillment_option_ids: toJson(build.fulfillmentOptionIds),
        source_image_id: build.sourceImageId,
        destination_name: build.destinationName,
        destination_description: build.destinationDescription,
        tags: toJson(build.tags),
        webhook_url: build.webhookUrl,
        client_token: build.clientToken,
        request_hash: build.requestHash,
        status: build.status,
        error_detail: build.errorDetail === null ? null : toJson(build.errorDetail),
        findings: toJson(build.findings),
        image_id: build.imageId,
        scan_report_digest: build.scanReportDigest,
        products: toJson(build.products),
        internal_error: build.internalError,
        attempts: build.attempts,
        start_time: build.startTime,
        last_update_time: build.lastUpdateTime,
      })
      .execute();
  }

  async get(accountId: string | null, id: string): Promise<PrivateImageBuild | undefined> {
    const row = await this.#db
      .selectFrom('private_builds')
      .selectAll()
      .where('id', '=', id)
      .$if(accountId !== null, (qb) => qb.where('account_id', '=', accountId as string))
      .executeTakeFirst();
    return row === undefined ? undefined : toBuild(row);
  }

  async findByClientToken(
    accountId: string,
    clientToken: string,
  ): Promise<PrivateImageBuild | undefined> {
    const row = await this.#db
      .selectFrom('private_builds')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('client_token', '=', clientToken)
      .executeTakeFirst();
    return row === undefined ? undefined : toBuild(row);
  }

  async listForAccount(accountId: string): Promise<PrivateImageBuild[]> {
    const rows = await this.#db
      .selectFrom('private_builds')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('start_time', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toBuild);
  }

  async countByStatus(accountId: string, status: PrivateBuildStatus): Promise<number> {
    const row = await this.#db
      .selectFrom('private_builds')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
      .where('account_id', '=', accountId)
      .where('status', '=', status)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async update(id: string, update: PrivateBuildUpdate): Promise<PrivateImageBuild> {
    const values: Partial<PrivateBuildsTable> = { last_update_time: update.lastUpdateTime };
    if (update.status !== undefined) values.status = update.status;
    if (update.errorDetail !== undefined)
      values.error_detail = update.errorDetail === null ? null : toJson(update.errorDetail);
    if (update.findings !== undefined) values.findings = toJson(update.findings);
    if (update.imageId !== undefined) values.image_id = update.imageId;
    if (update.scanReportDigest !== undefined) values.scan_report_digest = update.scanReportDigest;
    if (update.internalError !== undefined) values.internal_error = update.internalError;
    if (update.attempts !== undefined) values.attempts = update.attempts;
    const row = await this.#db
      .updateTable('private_builds')
      .set(values)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) throw new Error(`private build ${id} does not exist`);
    return toBuild(row);
  }
}

function toBuild(row: Selectable<PrivateBuildsTable>): PrivateImageBuild {
  return {
    id: row.id,
    accountId: row.account_id,
    fulfillmentOptionIds: fromJson<string[]>(row.fulfillment_option_ids, 'fulfillment_option_ids'),
    sourceImageId: row.source_image_id,
    destinationName: row.destination_name,
    destinationDescription: row.destination_description,
    tags: fromJson<Record<string, string>>(row.tags, 'tags'),
    webhookUrl: row.webhook_url,
    clientToken: row.client_token,
    requestHash: row.request_hash,
    status: row.status as PrivateBuildStatus,
    errorDetail:
      row.error_detail === null
        ? null
        : fromJson<PrivateBuildErrorDetail>(row.error_detail, 'error_detail'),
    findings: fromJson<Finding[]>(row.findings, 'findings'),
    imageId: row.image_id,
    scanReportDigest: row.scan_report_digest,
    products: fromJson<PrivateBuildProduct[]>(row.products, 'products'),
    internalError: row.internal_error,
    attempts: row.attempts,
    startTime: row.start_time,
    lastUpdateTime: row.last_update_time,
  };
}
