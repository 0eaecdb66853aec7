import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

import type { BuildPhase } from '../domain/types.js';
import type { WorkerState } from '../domain/workers/worker-record.js';
import type { QueueStat } from '../store/store.js';

/** Where the numbers read at each scrape come from. */
export interface MetricSources {
  /** The queue's active jobs, from the store. */
  readonly activeStats: () => Promise<QueueStat[]>;
  readonly now: () => Date;
  /** Build workers of this process (0 for an API-only server), and how many run a job now. */
  readonly workers: number;
  readonly busyWorkers: () => number;
  /** Live build worker processes of the cluster by state, from the workers registry. */
  readonly clusterWorkers?: () => Promise<Record<WorkerState, number>>;
}

/** Seconds, from a few milliseconds (an API call) to an hour (a large installer). */
const DURATION_BUCKETS = [0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 30, 60, 180, 600, 1800, 3600];

/**
 * The Prometheus metrics of one Goldsmith process, in a registry of its own (several apps may
 * share a process in tests). Queue numbers are read from the store at each scrape, so every
 * process reports the whole cluster's queue; the rest counts what this process did.
 */
export class GoldsmithMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly buildPhaseDuration: Histogram<'kind' | 'phase'>;
  readonly jobAttempts: Counter<'kind' | 'outcome'>;
  private readonly workersBusy: Gauge;
  private readonly workersTotal: Gauge;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'goldsmith_' });
    this.httpDuration = new Histogram({
      name: 'goldsmith_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status, from arrival to reply',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.buildPhaseDuration = new Histogram({
      name: 'goldsmith_build_phase_duration_seconds',
      help: 'How long each phase of a build attempt took on this worker (scanning is the scan)',
      labelNames: ['kind', 'phase'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.jobAttempts = new Counter({
      name: 'goldsmith_job_attempts_total',
      help: 'Job attempts (builds, webhook deliveries) this process ran, by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.workersBusy = new Gauge({
      name: 'goldsmith_workers_busy',
      help: 'Build workers of this process running a job now',
      registers,
      collect() {
        this.set(sources.busyWorkers());
      },
    });
    this.workersTotal = new Gauge({
      name: 'goldsmith_workers',
      help: 'Build workers this process runs (0 for an API-only server)',
      registers,
    });
    this.workersTotal.set(sources.workers);
    // Read from the store at scrape time; each gauge asks itself, since prom-client collects
    // the metrics of a registry concurrently.
    new Gauge({
      name: 'goldsmith_queue_jobs',
      help: 'Jobs in the queue by kind and state (queued or running), cluster-wide',
      labelNames: ['kind', 'state'],
      registers,
      async collect() {
        const stats = await sources.activeStats();
        this.reset();
        for (const stat of stats) this.set({ kind: stat.kind, state: stat.state }, stat.count);
      },
    });
    const clusterWorkers = sources.clusterWorkers;
    if (clusterWorkers !== undefined) {
      new Gauge({
        name: 'goldsmith_cluster_workers',
        help: 'Build worker processes of the cluster by state (idle, busy or draining), from the workers registry',
        labelNames: ['state'],
        registers,
        async collect() {
          const counts = await clusterWorkers();
          for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
        },
      });
    }
    new Gauge({
      name: 'goldsmith_queue_oldest_job_age_seconds',
      help: 'Age of the oldest job of each kind and state, cluster-wide',
      labelNames: ['kind', 'state'],
      registers,
      async collect() {
        const stats = await sources.activeStats();
        const now = sources.now().getTime();
        this.reset();
        for (const stat of stats) {
          const age = Math.max(0, (now - Date.parse(stat.oldestCreatedAt)) / 1000);
          this.set({ kind: stat.kind, state: stat.state }, age);
        }
      },
    });
  }

  /** Records a finished phase of a build attempt. */
  observePhase(kind: string, phase: BuildPhase, startedAt: string, finishedAt: string): void {
    const seconds = (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000;
    if (Number.isFinite(seconds) && seconds >= 0) {
      this.buildPhaseDuration.observe({ kind, phase }, seconds);
    }
  }

  /** The registry in Prometheus's text exposition format. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
