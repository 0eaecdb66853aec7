import type { Kysely, Selectable } from 'kysely';

import type { Image, ImageKind, ImageLayer } from '../../domain/types.js';
import type { ImageRepository } from '../store.js';
import type { Database, ImagesTable } from './database-schema.js';
import { fromJson, toJson } from './json-column.js';

/** Image records on Kysely; the blobs themselves live in the blob store. */
export class SqlImageRepository implements ImageRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(image: Image): Promise<void> {
    await this.#db
      .insertInto('images')
      .values({
        id: image.id,
        account_id: image.accountId,
        kind: image.kind,
        os_version: image.osVersion,
        manifest_digest: image.manifestDigest,
        config_digest: image.configDigest,
        layers: toJson(image.layers),
        parent_image_id: image.parentImageId,
        sbom_digest: image.sbomDigest,
        scan_report_digest: image.scanReportDigest,
        created_at: image.createdAt,
      })
      .execute();
  }

  async get(accountId: string | null, id: string): Promise<Image | undefined> {
    const row = await this.#db
      .selectFrom('images')
      .selectAll()
      .where('id', '=', id)
      .$if(accountId !== null, (qb) => qb.where('account_id', '=', accountId))
      .executeTakeFirst();
    return row === undefined ? undefined : toImage(row);
  }

  async listByKind(accountId: string | null, kind: ImageKind): Promise<Image[]> {
    const rows = await this.#db
      .selectFrom('images')
      .selectAll()
      .where('kind', '=', kind)
      .$if(accountId !== null, (qb) => qb.where('account_id', '=', accountId))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toImage);
  }
}

function toImage(row: Selectable<ImagesTable>): Image {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind as ImageKind,
    osVersion: row.os_version,
    manifestDigest: row.manifest_digest,
    configDigest: row.config_digest,
    layers: fromJson<ImageLayer[]>(row.layers, 'images.layers'),
    parentImageId: row.parent_image_id,
    sbomDigest: row.sbom_digest,
    scanReportDigest: row.scan_report_digest,
    createdAt: row.created_at,
  };
}
