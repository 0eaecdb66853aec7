import { describe, expect, it } from 'vitest';

import type { AttemptOutcome, JobHandler, WorkerPool } from '../../src/pipeline/worker-pool.js';
import { deferred, newJob, workerPoolFixture } from './worker-pool-fixture.js';

describe('WorkerPool.drain', () => {
  const fixture = workerPoolFixture('worker-pool-drain');

  function startPool(handler: JobHandler, outcomes: AttemptOutcome[]): WorkerPool {
    return fixture.startPool(handler, {
      concurrency: 2,
      leaseMs: 60_000,
      onAttemptEnd: (_kind, outcome) => outcomes.push(outcome),
    });
  }

  it('lets a running job finish and claims no new one', async () => {
    const started = deferred<void>();
    const finish = deferred<void>();
    const runs: string[] = [];
    const outcomes: AttemptOutcome[] = [];
    const pool = startPool(
      {
        async run(job) {
          runs.push(job.id);
          started.resolve();
          await finish.promise;
        },
        failed: async () => undefined,
      },
      outcomes,
    );
    await fixture.store.jobs.enqueue(newJob('j-running'));
    fixture.events.publish({ type: 'job.enqueued', kind: 'work' });
    await started.promise;

    const drained = pool.drain(600_000);
    // Queued while draining, with a worker idle: it stays queued for another process.
    await fixture.store.jobs.enqueue(newJob('j-later'));
    fixture.events.publish({ type: 'job.enqueued', kind: 'work' });
    finish.resolve();
    await drained;

    expect(runs).toEqual(['j-running']);
    expect(outcomes).toEqual(['done']);
    expect(await fixture.store.jobs.get('j-running')).toMatchObject({ state: 'done' });
    expect(await fixture.store.jobs.get('j-later')).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('hands a job still running at the timeout back to the queue', async () => {
    const started = deferred<void>();
    const outcomes: AttemptOutcome[] = [];
    const pool = startPool(
      {
        async run(_job, signal) {
          started.resolve();
          await new Promise<void>((_, reject) =>
            signal.addEventListener('abort', () => reject(new Error('sandbox killed'))),
          );
        },
        failed: async () => undefined,
      },
      outcomes,
    );
    await fixture.store.jobs.enqueue(newJob('j-long'));
    fixture.events.publish({ type: 'job.enqueued', kind: 'work' });
    await started.promise;

    await pool.drain(10);

    expect(outcomes).toEqual(['released']);
    expect(await fixture.store.jobs.get('j-long')).toMatchObject({ state: 'queued', attempts: 1 });
  });
});
