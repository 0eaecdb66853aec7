import { hostname } from 'node:os';

import type { Clock } from '../domain/clock.js';
import { isoAfter } from '../domain/clock.js';
import { newId } from '../domain/ids.js';
import {
  DEFAULT_WORKER_CAPABILITIES,
  type WorkerCapabilities,
} from '../domain/jobs/job-requirements.js';
import type { Job } from '../domain/types.js';
import type { EventBus } from '../events/event-bus.js';
import type { Store } from '../store/store.js';

/** What runs one kind of job. */
export interface JobHandler {
  run(job: Job, signal: AbortSignal): Promise<void>;
  /** Records a failed attempt: the job runs again when `willRetry`, else it is given up. */
  failed(job: Job, error: unknown, willRetry: boolean): Promise<void>;
  /**
   * Records that the job was cancelled while this pool ran it, once `run` has
   * returned or thrown: what `run` wrote after the cancel is set right here.
   */
  cancelled?(job: Job): Promise<void>;
}

/** The part of a logger the pool uses (pino's signature). */
export interface PoolLogger {
  info(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

export interface WorkerPoolOptions {
  readonly store: Store;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly handlers: Readonly<Record<string, JobHandler>>;
  readonly concurrency: number;
  readonly leaseMs: number;
  /** Delay before the first retry; it doubles with each further attempt. */
  readonly retryDelayMs: number;
  readonly logger: PoolLogger;
  /** How long an idle worker waits before asking the queue again. */
  readonly pollMs?: number;
  /** Told how each attempt this pool ran ended (metrics). */
  readonly onAttemptEnd?: (kind: string, outcome: AttemptOutcome) => void;
  /** What this process can run; it claims only jobs whose requirements fit. */
  readonly capabilities?: WorkerCapabilities;
}

/**
 * How a job attempt ended: done, retried later, given up, handed back at
 * shutdown, lost to another owner, or cancelled while it ran.
 */
export type AttemptOutcome =
  'done' | 'retried' | 'failed' | 'released' | 'lease-lost' | 'cancelled';

class LeaseLostError extends Error {}

/** The reason a handler's signal aborts with when its job was cancelled. */
export class CancelledError extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} was cancelled`);
    this.name = 'CancelledError';
  }
}

/**
 * Workers that take jobs from the durable queue, keep their leases alive while
 * running them, and retry or give up on failure. A job of a worker that died
 * is taken over once its lease has expired.
 */
export class WorkerPool {
  /** Names this process as a job owner; unique per start. */
  readonly owner = `${hostname()}:${process.pid}:${newId('w')}`;
  private readonly stopController = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly idleWorkers = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;
  private running = 0;
  private draining = false;

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Starts the workers. */
  start(): void {
    this.unsubscribe = this.options.events.subscribe((event) => {
      // After a reconnect, events may have been missed: look at the queue again.
      if (event.type === 'job.enqueued' || event.type === 'events.resynced') this.wakeAll();
    });
    for (let i = 0; i < this.options.concurrency; i += 1) this.loops.push(this.loop());
  }

  /** How many of the workers are running a job now. */
  get busy(): number {
    return this.running;
  }

  /** Stops taking jobs, aborts running ones and gives them back to the queue. */
  async stop(): Promise<void> {
    this.stopController.abort(new Error('worker pool stopping'));
    this.wakeAll();
    this.unsubscribe?.();
    await Promise.all(this.loops);
  }

  /**
   * Stops claiming jobs and lets the running ones finish for up to `timeoutMs`; then stops,
   * handing whatever still runs back to the queue.
   */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    this.wakeAll();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.loops),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    await this.stop();
  }

  private async loop(): Promise<void> {
    const { store, clock, leaseMs, logger } = this.options;
    const kinds = Object.keys(this.options.handlers);
    const capabilities = this.options.capabilities ?? DEFAULT_WORKER_CAPABILITIES;
    const stop = this.stopController.signal;
    while (!stop.aborted && !this.draining) {
      let job: Job | undefined;
      try {
        const now = clock.now();
        job = await store.jobs.claim(
          kinds,
          this.owner,
          now.toISOString(),
          isoAfter(now, leaseMs),
          capabilities,
        );
      } catch (error) {
        logger.error({ err: error }, 'cannot claim a job');
      }
      if (job === undefined) {
        await this.idle();
        continue;
      }
      this.running += 1;
      try {
        await this.execute(job);
      } finally {
        this.running -= 1;
      }
    }
  }

  private async idle(): Promise<void> {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.idleWorkers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.options.pollMs ?? 1000);
      this.idleWorkers.add(done);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.idleWorkers]) wake();
  }

  private async execute(job: Job): Promise<void> {
    const { store, clock, leaseMs, retryDelayMs, logger } = this.options;
    const handler = this.options.handlers[job.kind];
    if (handler === undefined) return;
    const log = { jobId: job.id, kind: job.kind, attempt: job.attempts, payload: job.payload };

    if (job.attempts > job.maxAttempts) {
      // Claimed again after its workers died mid-run too often.
      const error = new Error(
        `job ${job.id} was interrupted ${job.attempts - 1} times without finishing`,
      );
      await this.giveUp(job, handler, error);
      return;
    }

    const controller = new AbortController();
    const onStop = () => controller.abort(this.stopController.signal.reason);
    this.stopController.signal.addEventListener('abort', onStop);
    const heartbeat = setInterval(
      () => {
        store.jobs
          .heartbeat(job.id, this.owner, isoAfter(clock.now(), leaseMs))
          .then((result) => {
            if (result === 'lost')
              controller.abort(new LeaseLostError(`lease of job ${job.id} lost`));
            else if (result === 'cancelled') controller.abort(new CancelledError(job.id));
          })
          .catch((error: unknown) => logger.error({ ...log, err: error }, 'heartbeat failed'));
      },
      Math.max(250, leaseMs / 3),
    );

    logger.info(log, 'job started');
    let outcome: AttemptOutcome | undefined;
    try {
      await handler.run(job, controller.signal);
      if (await store.jobs.complete(job.id, this.owner, 'done', clock.now().toISOString())) {
        logger.info(log, 'job done');
        outcome = 'done';
      } else if (await this.isCancelled(job)) {
        // Cancelled after the handler's last look at its signal: cancelling wins.
        outcome = await this.cancelled(job, handler);
      } else {
        logger.error(log, 'job finished but its lease was lost; another worker owns it now');
        outcome = 'lease-lost';
      }
    } catch (error) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
      if (reason instanceof LeaseLostError) {
        logger.error({ ...log, err: reason }, 'job lease lost; another worker owns it now');
        outcome = 'lease-lost';
      } else if (reason instanceof CancelledError || (await this.isCancelled(job))) {
        // Cancelled jobs are never retried, even when the handler failed before it heard.
        outcome = await this.cancelled(job, handler);
      } else if (this.stopController.signal.aborted) {
        // Shutting down: the job runs again, from the start, on the next start.
        await store.jobs.release(job.id, this.owner, clock.now().toISOString(), 'worker stopped');
        logger.info(log, 'job given back to the queue');
        outcome = 'released';
      } else if (job.attempts < job.maxAttempts) {
        logger.error({ ...log, err: error }, 'job attempt failed; retrying');
        await handler
          .failed(job, error, true)
          .catch((e: unknown) => logger.error({ ...log, err: e }, 'recording failure'));
        await store.jobs.release(
          job.id,
          this.owner,
          isoAfter(clock.now(), retryDelayMs * 2 ** (job.attempts - 1)),
          describe(error),
        );
        outcome = 'retried';
      } else {
        logger.error({ ...log, err: error }, 'job failed');
        await this.giveUp(job, handler, error);
        outcome = 'failed';
      }
    } finally {
      clearInterval(heartbeat);
      if (outcome !== undefined) this.options.onAttemptEnd?.(job.kind, outcome);
      this.stopController.signal.removeEventListener('abort', onStop);
    }
  }

  /** Whether the job was cancelled; false when the queue cannot say, so the job is retried. */
  private async isCancelled(job: Job): Promise<boolean> {
    try {
      return (await this.options.store.jobs.get(job.id))?.state === 'cancelled';
    } catch (error) {
      this.options.logger.error({ jobId: job.id, err: error }, 'cannot read the job');
      return false;
    }
  }

  /** Lets the handler record the cancellation; the queue already holds the job as cancelled. */
  private async cancelled(job: Job, handler: JobHandler): Promise<'cancelled'> {
    const { logger } = this.options;
    logger.info({ jobId: job.id, kind: job.kind }, 'job cancelled');
    await handler
      .cancelled?.(job)
      .catch((e: unknown) => logger.error({ jobId: job.id, err: e }, 'recording cancellation'));
    return 'cancelled';
  }

  private async giveUp(job: Job, handler: JobHandler, error: unknown): Promise<void> {
    const { store, clock, logger } = this.options;
    await handler
      .failed(job, error, false)
      .catch((e: unknown) => logger.error({ jobId: job.id, err: e }, 'recording failure'));
    await store.jobs.complete(
      job.id,
      this.owner,
      'failed',
      clock.now().toISOString(),
      describe(error),
    );
  }
}

/** One line for an error, for job records and operators. */
export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
