import { hostname } from 'node:os';

import type { Clock } from '../domain/clock.js';
import type { WorkerCapabilities } from '../domain/jobs/job-requirements.js';
import type { ProcessRole } from '../domain/workers/worker-record.js';
import type { WorkerRegistry } from '../domain/workers/worker-registry.js';
import type { WorkerRepository } from '../store/store.js';

export interface WorkerRegistrationOptions {
  readonly workers: WorkerRepository;
  readonly registry: WorkerRegistry;
  readonly clock: Clock;
  /** The worker pool's owner name. */
  readonly id: string;
  readonly role: ProcessRole;
  readonly capabilities: WorkerCapabilities;
  readonly concurrency: number;
  /** Jobs the pool runs now. */
  readonly busy: () => number;
  readonly refreshMs: number;
  readonly logger: { error(object: Record<string, unknown>, message: string): void };
}

/**
 * Keeps this process's row of the workers registry: registered at start, refreshed every
 * `refreshMs` with the busy count, marked draining on drain, deleted on a clean stop. Each
 * refresh also deletes the rows of workers gone silent, so a crashed process leaves no row.
 */
export class WorkerRegistration {
  private timer: NodeJS.Timeout | undefined;
  private draining = false;
  private readonly startedAt: string;

  constructor(private readonly options: WorkerRegistrationOptions) {
    this.startedAt = options.clock.now().toISOString();
  }

  /** Registers the row and starts refreshing it. */
  async start(): Promise<void> {
    await this.register();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.options.logger.error(
          { err: error, workerId: this.options.id },
          'worker refresh failed',
        ),
      );
    }, this.options.refreshMs);
    this.timer.unref();
  }

  /** Marks the row draining at once, so operators see it before the refresh. */
  async markDraining(): Promise<void> {
    this.draining = true;
    await this.refresh();
  }

  /** Stops refreshing and deletes the row. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.options.workers.remove(this.options.id);
  }

  private async refresh(): Promise<void> {
    const { workers, registry, clock, id, busy } = this.options;
    const status = { busy: busy(), draining: this.draining, lastSeenAt: clock.now().toISOString() };
    // A row pruned while this process stalled (a long pause, a database outage) comes back.
    if (!(await workers.refresh(id, status))) await this.register();
    await workers.deleteSeenBefore(registry.goneBefore().toISOString());
  }

  private async register(): Promise<void> {
    const { workers, clock, id, role, capabilities, concurrency, busy } = this.options;
    await workers.register({
      id,
      host: hostname(),
      pid: process.pid,
      role,
      capabilities,
      concurrency,
      busy: busy(),
      draining: this.draining,
      startedAt: this.startedAt,
      lastSeenAt: clock.now().toISOString(),
    });
  }
}
