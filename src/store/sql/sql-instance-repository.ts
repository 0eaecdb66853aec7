import type { Kysely, Selectable } from 'kysely';

import type { Instance, InstanceState, InstanceUpdate } from '../../domain/instances/instance.js';
import { ACTIVE_INSTANCE_STATES } from '../../domain/instances/instance.js';
import type { InstanceRepository } from '../store.js';
import type { Database, InstancesTable } from './database-schema.js';
import { fromJson, toJson } from './json-column.js';

/** Launched instances on Kysely. */
export class SqlInstanceRepository implements InstanceRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(instance: Instance): Promise<void> {
    await this.#db
      .insertInto('instances')
      .values({
        id: instance.id,
        account_id: instance.accountId,
        image_id: instance.imageId,
        command: instance.command === null ? null : toJson(instance.command),
        default_command: instance.defaultCommand ? 1 : 0,
        state: instance.state,
        state_reason: instance.stateReason,
        exit_code: instance.exitCode,
        launched_at: instance.launchedAt,
        stopped_at: instance.stoppedAt,
        terminated_at: instance.terminatedAt,
        host: instance.host,
      })
      .execute();
  }

  async get(accountId: string | null, id: string): Promise<Instance | undefined> {
    const row = await this.#db
      .selectFrom('instances')
      .selectAll()
      .where('id', '=', id)
      .$if(accountId !== null, (qb) => qb.where('account_id', '=', accountId as string))
      .executeTakeFirst();
    return row === undefined ? undefined : toInstance(row);
  }

  async listForAccount(accountId: string): Promise<Instance[]> {
    const rows = await this.#db
      .selectFrom('instances')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('launched_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toInstance);
  }

  async countActive(accountId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('instances')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('account_id', '=', accountId)
      .where('state', 'in', [...ACTIVE_INSTANCE_STATES])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async listHosted(): Promise<Instance[]> {
    const rows = await this.#db
      .selectFrom('instances')
      .selectAll()
      .where('host', 'is not', null)
      .orderBy('launched_at')
      .orderBy('id')
      .execute();
    return rows.map(toInstance);
  }

  async update(id: string, update: InstanceUpdate): Promise<Instance> {
    const values = {
      ...(update.command === undefined ? {} : { command: toJson(update.command) }),
      ...(update.state === undefined ? {} : { state: update.state }),
      ...(update.stateReason === undefined ? {} : { state_reason: update.stateReason }),
      ...(update.exitCode === undefined ? {} : { exit_code: update.exitCode }),
      ...(update.stoppedAt === undefined ? {} : { stopped_at: update.stoppedAt }),
      ...(update.terminatedAt === undefined ? {} : { terminated_at: update.terminatedAt }),
      ...(update.host === undefined ? {} : { host: update.host }),
    };
    if (Object.keys(values).length > 0) {
      await this.#db.updateTable('instances').set(values).where('id', '=', id).execute();
    }
    const updated = await this.get(null, id);
    if (updated === undefined) throw new Error(`instance ${id} does not exist`);
    return updated;
  }
}

function toInstance(row: Selectable<InstancesTable>): Instance {
  return {
    id: row.id,
    accountId: row.account_id,
    imageId: row.image_id,
    command: row.command === null ? null : fromJson<string[]>(row.command, 'instances.command'),
    defaultCommand: Number(row.default_command) === 1,
    state: row.state as InstanceState,
    stateReason: row.state_reason,
    exitCode: row.exit_code === null ? null : Number(row.exit_code),
    launchedAt: row.launched_at,
    stoppedAt: row.stopped_at,
    terminatedAt: row.terminated_at,
    host: row.host,
  };
}
