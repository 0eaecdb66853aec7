import { describe, expect, it } from 'vitest';

import type { WorkerCapabilities } from '../../src/domain/jobs/job-requirements.js';
import type { Job } from '../../src/domain/types.js';
import {
  CancelledError,
  type AttemptOutcome,
  type JobHandler,
  type WorkerPool,
} from '../../src/pipeline/worker-pool.js';
import { deferred, newJob, workerPoolFixture } from './worker-pool-fixture.js';

describe('WorkerPool', () => {
  const fixture = workerPoolFixture('worker-pool');

  function startPool(
    handler: JobHandler,
    onAttemptEnd: (kind: string, outcome: AttemptOutcome) => void,
    capabilities?: WorkerCapabilities,
  ): WorkerPool {
    return fixture.startPool(handler, {
      concurrency: 1,
      // Short, so the heartbeat that brings the cancellation comes soon.
      leaseMs: 750,
      onAttemptEnd,
      ...(capabilities === undefined ? {} : { capabilities }),
    });
  }

  it('aborts the handler of a job cancelled while it runs, and neither retries nor fails it', async () => {
    const started = deferred<void>();
    const aborted = deferred<unknown>();
    const ended = deferred<AttemptOutcome>();
    const runs: string[] = [];
    const failures: unknown[] = [];
    const cancelled: string[] = [];
    let cleanedUp = false;
    startPool(
      {
        async run(job: Job, signal: AbortSignal) {
          runs.push(job.id);
          started.resolve();
          // Like a sandbox run: wait for the abort, then clean up before throwing.
          await new Promise<void>((_, reject) => {
            signal.addEventListener('abort', () => {
              aborted.resolve(signal.reason);
              cleanedUp = true;
              reject(new Error('sandbox killed'));
            });
          });
        },
        failed: async (_job, error) => {
          failures.push(error);
        },
        cancelled: async (job) => {
          cancelled.push(job.id);
        },
      },
      (_kind, outcome) => ended.resolve(outcome),
    );

    await fixture.store.jobs.enqueue(newJob('j-1'));
    fixture.events.publish({ type: 'job.enqueued', kind: 'work' });
    await started.promise;
    expect(await fixture.store.jobs.cancel('j-1', new Date().toISOString())).toBe(true);

    expect(await aborted.promise).toBeInstanceOf(CancelledError);
    expect(await ended.promise).toBe('cancelled');
    expect(cleanedUp).toBe(true);
    expect(failures).toEqual([]);
    expect(cancelled).toEqual(['j-1']);
    expect(await fixture.store.jobs.get('j-1')).toMatchObject({ state: 'cancelled', attempts: 1 });

    // The next job runs on the same worker: the cancelled one was not given back to the queue.
    await fixture.store.jobs.enqueue(newJob('j-2'));
    fixture.events.publish({ type: 'job.enqueued', kind: 'work' });
    await expect.poll(() => runs).toEqual(['j-1', 'j-2']);
  });

  it('claims only jobs its capabilities can run', async () => {
    const ended = deferred<AttemptOutcome>();
    const runs: string[] = [];
    startPool(
      {
        run: async (job) => {
          runs.push(job.id);
        },
        failed: async () => undefined,
      },
      (_kind, outcome) => ended.resolve(outcome),
      { platforms: ['windows'], osFamilies: ['windows'], isolation: ['vm'] },
    );
    // The Linux job is older, but this worker cannot run it.
    await fixture.store.jobs.enqueue(
      newJob('j-linux', {
        createdAt: '2025-01-01T00:00:00.000Z',
        requirements: { platform: 'linux', osFamily: 'debian', isolation: 'container' },
      }),
    );
    await fixture.store.jobs.enqueue(
      newJob('j-windows', { requirements: { platform: 'windows' } }),
    );
    fixture.events.publish({ type: 'job.enqueued', kind: 'work' });

    expect(await ended.promise).toBe('done');
    expect(runs).toEqual(['j-windows']);
    expect((await fixture.store.jobs.get('j-linux'))?.state).toBe('queued');
  });
});
