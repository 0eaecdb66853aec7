import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';

import type {
  IsolationKind,
  JobRequirements,
  WorkerCapabilities,
} from '../../domain/jobs/job-requirements.js';
import type { Job, JobState, Platform } from '../../domain/types.js';
import type { HeartbeatResult, JobQueue, NewJob, QueueStat } from '../store.js';
import type { Database, JobsTable } from './database-schema.js';
import { fromJson, toJson } from './json-column.js';
import type { SqlCapabilities } from './sql-capabilities.js';

/** The durable job queue on Kysely, sharing the store's database. */
export class SqlJobQueue implements JobQueue {
  readonly #db: Kysely<Database>;
  readonly #capabilities: SqlCapabilities;

  constructor(db: Kysely<Database>, capabilities: SqlCapabilities) {
    this.#db = db;
    this.#capabilities = capabilities;
  }

  async enqueue(job: NewJob): Promise<void> {
    await this.#db
      .insertInto('jobs')
      .values({
        id: job.id,
        kind: job.kind,
        payload: toJson(job.payload),
        account_id: job.accountId,
        state: 'queued',
        attempts: 0,
        max_attempts: job.maxAttempts,
        lease_owner: null,
        lease_expires_at: null,
        run_after: job.runAfter,
        last_error: null,
        created_at: job.createdAt,
        updated_at: job.createdAt,
        req_platform: job.requirements.platform ?? null,
        req_os_family: job.requirements.osFamily ?? null,
        req_isolation: job.requirements.isolation ?? null,
      })
      .execute();
  }

  /**
   * Does not look at `maxAttempts`: the worker sees `attempts` on the claimed
   * job and fails it when it has run out, so a job never sits claimable but
   * unclaimed forever.
   */
  async claim(
    kinds: readonly string[],
    owner: string,
    now: string,
    leaseUntil: string,
    capabilities: WorkerCapabilities,
  ): Promise<Job | undefined> {
    if (kinds.length === 0) return undefined;
    const runnable = (eb: ExpressionBuilder<Database, 'jobs'>) =>
      eb.and([
        eb('jobs.kind', 'in', kinds),
        eb.or([
          eb.and([eb('jobs.state', '=', 'queued'), eb('jobs.run_after', '<=', now)]),
          eb.and([eb('jobs.state', '=', 'running'), eb('jobs.lease_expires_at', '<', now)]),
        ]),
        fits(eb, 'jobs.req_platform', capabilities.platforms),
        fits(eb, 'jobs.req_os_family', capabilities.osFamilies),
        fits(eb, 'jobs.req_isolation', capabilities.isolation),
      ]);
    // Fair share: how many jobs of these kinds the candidate's account runs now.
    // Jobs without an account (base refreshes) are one group of their own.
    const runningForAccount = (eb: ExpressionBuilder<Database, 'jobs'>) =>
      eb
        .selectFrom('jobs as peer')
        .select((peer) => peer.fn.countAll().as('running'))
        .where('peer.kind', 'in', kinds)
        .where('peer.state', '=', 'running')
        .where('peer.lease_expires_at', '>=', now)
        .where((peer) =>
          peer.or([
            peer('peer.account_id', '=', peer.ref('jobs.account_id')),
            peer.and([peer('peer.account_id', 'is', null), peer('jobs.account_id', 'is', null)]),
          ]),
        );
    const next = this.#db
      .selectFrom('jobs')
      .select('jobs.id')
      .where(runnable)
      .orderBy(runningForAccount)
      .orderBy('jobs.created_at')
      .orderBy('jobs.id')
      .limit(1)
      .$if(this.#capabilities.supportsSkipLocked, (qb) => qb.forUpdate().skipLocked());
    // One statement picks and takes the job. Repeating `runnable` on the
    // updated row means a claimer that lost a race updates nothing rather than
    // taking the job a second time.
    const row = await this.#db
      .updateTable('jobs')
      .set((eb) => ({
        state: 'running',
        lease_owner: owner,
        lease_expires_at: leaseUntil,
        attempts: eb('jobs.attempts', '+', 1),
        updated_at: now,
      }))
      .where('jobs.id', '=', next)
      .where(runnable)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toJob(row);
  }

  async heartbeat(id: string, owner: string, leaseUntil: string): Promise<HeartbeatResult> {
    const result = await this.#db
      .updateTable('jobs')
      .set({ lease_expires_at: leaseUntil })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) return 'held';
    // A cancelled job keeps the owner that was running it, so only that owner hears it.
    const job = await this.#db
      .selectFrom('jobs')
      .select(['state', 'lease_owner'])
      .where('id', '=', id)
      .executeTakeFirst();
    return job?.state === 'cancelled' && job.lease_owner === owner ? 'cancelled' : 'lost';
  }

  async cancel(id: string, now: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('jobs')
      .set({ state: 'cancelled', lease_expires_at: null, updated_at: now })
      .where('id', '=', id)
      .where('state', 'in', ['queued', 'running'])
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async countActive(accountId: string, kinds: readonly string[]): Promise<number> {
    if (kinds.length === 0) return 0;
    const row = await this.#db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('account_id', '=', accountId)
      .where('kind', 'in', kinds)
      .where('state', 'in', ['queued', 'running'])
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async listActive(accountId: string, kinds: readonly string[]): Promise<Job[]> {
    if (kinds.length === 0) return [];
    const rows = await this.#db
      .selectFrom('jobs')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('kind', 'in', kinds)
      .where('state', 'in', ['queued', 'running'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toJob);
  }

  /** Keeps an earlier `lastError` when `error` is not given. */
  async complete(
    id: string,
    owner: string,
    state: 'done' | 'failed',
    now: string,
    error?: string,
  ): Promise<boolean> {
    const result = await this.#db
      .updateTable('jobs')
      .set({
        state,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: now,
        ...(error === undefined ? {} : { last_error: error }),
      })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async release(id: string, owner: string, runAfter: string, error: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('jobs')
      .set({
        state: 'queued',
        lease_owner: null,
        lease_expires_at: null,
        run_after: runAfter,
        last_error: error,
        // The interface gives release no `now`; the wall clock only stamps the row.
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async get(id: string): Promise<Job | undefined> {
    const row = await this.#db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toJob(row);
  }

  /** Every state is present, zero when no job is in it. */
  async countByState(): Promise<Record<string, number>> {
    const rows = await this.#db
      .selectFrom('jobs')
      .select((eb) => ['state', eb.fn.countAll().as('count')])
      .groupBy('state')
      .execute();
    const counts: Record<JobState, number> = {
      queued: 0,
      running: 0,
      done: 0,
      failed: 0,
      cancelled: 0,
    };
    for (const row of rows) counts[row.state as JobState] = Number(row.count);
    return counts;
  }

  async activeStats(): Promise<QueueStat[]> {
    const rows = await this.#db
      .selectFrom('jobs')
      .select((eb) => [
        'kind',
        'state',
        eb.fn.countAll().as('count'),
        eb.fn.min('created_at').as('oldest'),
      ])
      .where('state', 'in', ['queued', 'running'])
      .groupBy(['kind', 'state'])
      .orderBy('kind')
      .orderBy('state')
      .execute();
    return rows.map((row) => ({
      kind: row.kind,
      state: row.state as QueueStat['state'],
      count: Number(row.count),
      oldestCreatedAt: String(row.oldest),
    }));
  }
}

function toJob(row: Selectable<JobsTable>): Job {
  return {
    id: row.id,
    kind: row.kind,
    payload: fromJson<Record<string, unknown>>(row.payload, 'jobs.payload'),
    accountId: row.account_id,
    state: row.state as JobState,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    runAfter: row.run_after,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    requirements: {
      ...(row.req_platform === null ? {} : { platform: row.req_platform as Platform }),
      ...(row.req_os_family === null
        ? {}
        : { osFamily: row.req_os_family as NonNullable<JobRequirements['osFamily']> }),
      ...(row.req_isolation === null ? {} : { isolation: row.req_isolation as IsolationKind }),
    },
  };
}

/** A requirement column is met when it asks for nothing or for one of the worker's values. */
function fits(
  eb: ExpressionBuilder<Database, 'jobs'>,
  column: 'jobs.req_platform' | 'jobs.req_os_family' | 'jobs.req_isolation',
  offered: readonly string[],
) {
  // `in ()` is not valid SQL: a worker offering nothing runs only jobs asking for nothing.
  return offered.length === 0
    ? eb(column, 'is', null)
    : eb.or([eb(column, 'is', null), eb(column, 'in', offered)]);
}
