import type { WorkerCapabilities } from '../jobs/job-requirements.js';

/** The kind of process a registered worker runs in. */
export const PROCESS_ROLES = ['server', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

/** One process with build workers, as the workers registry knows it. */
export interface WorkerRecord {
  /** The worker pool's owner name, which its jobs carry while it runs them. */
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly role: ProcessRole;
  readonly capabilities: WorkerCapabilities;
  /** Jobs it runs at once. */
  readonly concurrency: number;
  /** Jobs it runs now. */
  readonly busy: number;
  /** True while it finishes its running jobs before stopping; it claims no new ones. */
  readonly draining: boolean;
  readonly startedAt: string;
  readonly lastSeenAt: string;
}

/** What a worker tells the registry at each refresh. */
export interface WorkerStatus {
  readonly busy: number;
  readonly draining: boolean;
  readonly lastSeenAt: string;
}

/** How a registered worker counts in `goldsmith_cluster_workers`. */
export type WorkerState = 'idle' | 'busy' | 'draining';

/** A worker's state: draining wins over busy, busy over idle. */
export function workerState(worker: WorkerRecord): WorkerState {
  if (worker.draining) return 'draining';
  return worker.busy > 0 ? 'busy' : 'idle';
}
