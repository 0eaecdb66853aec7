import type { Kysely, Selectable } from 'kysely';

import type { ImageExport, ImageExportFormat } from '../../domain/images/image-export.js';
import type { ImageExportRepository } from '../store.js';
import type { Database, ImageExportsTable } from './database-schema.js';

/** Image exports on Kysely; an image's access rules are checked before this is asked. */
export class SqlImageExportRepository implements ImageExportRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async get(imageId: string, format: ImageExportFormat): Promise<ImageExport | undefined> {
    const row = await this.#db
      .selectFrom('image_exports')
      .selectAll()
      .where('image_id', '=', imageId)
      .where('format', '=', format)
      .executeTakeFirst();
    return row === undefined ? undefined : toImageExport(row);
  }

  async save(record: ImageExport): Promise<void> {
    const columns = { digest: record.digest, size: record.size, created_at: record.createdAt };
    await this.#db
      .insertInto('image_exports')
      .values({ image_id: record.imageId, format: record.format, ...columns })
      .onConflict((oc) => oc.columns(['image_id', 'format']).doUpdateSet(columns))
      .execute();
  }
}

function toImageExport(row: Selectable<ImageExportsTable>): ImageExport {
  return {
    imageId: row.image_id,
    format: row.format as ImageExportFormat,
    digest: row.digest,
    size: Number(row.size),
    createdAt: row.created_at,
  };
}
