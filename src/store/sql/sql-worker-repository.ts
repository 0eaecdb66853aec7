import type { Kysely, Selectable } from 'kysely';

import type { WorkerCapabilities } from '../../domain/jobs/job-requirements.js';
import type {
  ProcessRole,
  WorkerRecord,
  WorkerStatus,
} from '../../domain/workers/worker-record.js';
import type { WorkerRepository } from '../store.js';
import type { Database, WorkersTable } from './database-schema.js';
import { fromJson, toJson } from './json-column.js';

/** The workers registry on Kysely. */
export class SqlWorkerRepository implements WorkerRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async register(worker: WorkerRecord): Promise<void> {
    const row = {
      id: worker.id,
      host: worker.host,
      pid: worker.pid,
      role: worker.role,
      capabilities: toJson(worker.capabilities),
      concurrency: worker.concurrency,
      busy: worker.busy,
      draining: worker.draining ? 1 : 0,
      started_at: worker.startedAt,
      last_seen_at: worker.lastSeenAt,
    };
    await this.#db
      .insertInto('workers')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }

  async refresh(id: string, status: WorkerStatus): Promise<boolean> {
    const result = await this.#db
      .updateTable('workers')
      .set({
        busy: status.busy,
        draining: status.draining ? 1 : 0,
        last_seen_at: status.lastSeenAt,
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async remove(id: string): Promise<void> {
    await this.#db.deleteFrom('workers').where('id', '=', id).execute();
  }

  async listSeenSince(seenSince: string): Promise<WorkerRecord[]> {
    const rows = await this.#db
      .selectFrom('workers')
      .selectAll()
      .where('last_seen_at', '>=', seenSince)
      .orderBy('id')
      .execute();
    return rows.map(toWorker);
  }

  async deleteSeenBefore(seenBefore: string): Promise<number> {
    const result = await this.#db
      .deleteFrom('workers')
      .where('last_seen_at', '<', seenBefore)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toWorker(row: Selectable<WorkersTable>): WorkerRecord {
  return {
    id: row.id,
    host: row.host,
    pid: Number(row.pid),
    role: row.role as ProcessRole,
    capabilities: fromJson<WorkerCapabilities>(row.capabilities, 'workers.capabilities'),
    concurrency: Number(row.concurrency),
    busy: Number(row.busy),
    draining: Number(row.draining) === 1,
    startedAt: row.started_at,
    lastSeenAt: row.last_seen_at,
  };
}
