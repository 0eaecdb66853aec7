import { DomainError } from '../../errors/domain-error.js';
import type { JobQueue } from '../../store/store.js';
import { OS_BUILD_JOB } from '../builds/build-jobs.js';
import { PRIVATE_BUILD_JOB } from '../private-builds/private-build.js';

/** Job kinds that count towards an account's queue limit: its sellers' and buyers' builds. */
export const ACCOUNT_BUILD_JOBS: readonly string[] = [OS_BUILD_JOB, PRIVATE_BUILD_JOB];

/**
 * Refuses `adding` more build jobs when they would take the account's queued
 * and running ones above `limit`, so one account cannot flood the shared queue.
 * Call it in the transaction that enqueues them.
 */
export async function checkAccountQueue(
  jobs: JobQueue,
  accountId: string,
  adding: number,
  limit: number,
): Promise<void> {
  const active = await jobs.countActive(accountId, ACCOUNT_BUILD_JOBS);
  if (active + adding > limit) {
    throw new DomainError(
      'ACCOUNT_QUEUE_FULL',
      `the account has ${active} builds queued or running; ${adding} more would pass its limit of ${limit}`,
      { active, adding, limit },
    );
  }
}
