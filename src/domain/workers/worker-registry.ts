import { requireRole } from '../accounts/account-service.js';
import type { Clock } from '../clock.js';
import type { Account } from '../types.js';
import type { WorkerRepository } from '../../store/store.js';
import { workerState, type WorkerRecord, type WorkerState } from './worker-record.js';

/** A worker unseen for this many refresh periods counts as gone: it died without a clean stop. */
export const MISSED_REFRESHES_BEFORE_GONE = 3;

/** The live build workers of the cluster, as their processes report them. */
export class WorkerRegistry {
  constructor(
    private readonly workers: WorkerRepository,
    private readonly clock: Clock,
    private readonly refreshMs: number,
  ) {}

  /** Every live worker (operators only). */
  async list(caller: Account): Promise<WorkerRecord[]> {
    requireRole(caller, 'operator');
    return this.live();
  }

  /** Live workers by state, every state present, for metrics. */
  async countByState(): Promise<Record<WorkerState, number>> {
    const counts: Record<WorkerState, number> = { idle: 0, busy: 0, draining: 0 };
    for (const worker of await this.live()) counts[workerState(worker)] += 1;
    return counts;
  }

  /** Workers seen within the last refresh periods. */
  async live(): Promise<WorkerRecord[]> {
    return this.workers.listSeenSince(this.goneBefore().toISOString());
  }

  /** The instant before which an unrefreshed worker is gone. */
  goneBefore(): Date {
    return new Date(this.clock.now().getTime() - MISSED_REFRESHES_BEFORE_GONE * this.refreshMs);
  }
}
