import type { Kysely, Selectable } from 'kysely';

import type { BaseImage } from '../../domain/types.js';
import type { BaseImageRepository } from '../store.js';
import type { BaseImagesTable, Database } from './database-schema.js';
import { fromJson, toJson } from './json-column.js';

/** The base image catalog on Kysely; each entry points at a row of `images`. */
export class SqlBaseImageRepository implements BaseImageRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(base: BaseImage): Promise<void> {
    await this.#db
      .insertInto('base_images')
      .values({
        image_id: base.imageId,
        os_version: base.osVersion,
        root_digest: base.rootDigest,
        recipe: toJson(base.recipe),
        created_at: base.createdAt,
      })
      .execute();
  }

  async latest(osVersion: string): Promise<BaseImage | undefined> {
    const row = await this.#db
      .selectFrom('base_images')
      .selectAll()
      .where('os_version', '=', osVersion)
      .orderBy('created_at', 'desc')
      .orderBy('image_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toBaseImage(row);
  }

  /** Newest first. */
  async list(): Promise<BaseImage[]> {
    const rows = await this.#db
      .selectFrom('base_images')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('image_id', 'desc')
      .execute();
    return rows.map(toBaseImage);
  }
}

function toBaseImage(row: Selectable<BaseImagesTable>): BaseImage {
  return {
    imageId: row.image_id,
    osVersion: row.os_version,
    rootDigest: row.root_digest,
    recipe: fromJson<Record<string, unknown>>(row.recipe, 'base_images.recipe'),
    createdAt: row.created_at,
  };
}
