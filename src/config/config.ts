import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';

import type { S3Connection } from '../blobs/s3-blob-store.js';
import {
  DEFAULT_WORKER_CAPABILITIES,
  type WorkerCapabilities,
} from '../domain/jobs/job-requirements.js';
import type { SandboxLimits } from '../sandbox/sandbox.js';

/** Everything a Goldsmith server process is configured with; frozen once built. */
export interface GoldsmithConfig {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** `sqlite:PATH` or a `postgres://` URL. */
  readonly database: string;
  readonly blobDir: string;
  /** Where blobs live: a directory (blobDir by default) or `s3://bucket/prefix` reached with `s3`. */
  readonly blobs: string;
  readonly s3: S3Connection;
  readonly baseCacheDir: string;
  readonly sandboxDir: string;
  readonly stagingDir: string;
  /** The secret key files (access keys, webhook secrets, log links); one shared directory per cluster. */
  readonly keysDir: string;
  /** Concurrent OS builds in this process; 0 runs no workers. */
  readonly workers: number;
  /** What this process's build workers can run; they claim only jobs that fit. */
  readonly capabilities: WorkerCapabilities;
  /** How long a stopping worker lets running builds finish before it hands them back to the queue. */
  readonly drainTimeoutMs: number;
  /** How often a process with workers refreshes its row of the workers registry. */
  readonly workerRefreshMs: number;
  readonly maxPackageBytes: number;
  /** Largest size an imported gold image's extracted files may reach (uploads obey maxPackageBytes). */
  readonly maxGoldImageBytes: number;
  readonly limits: SandboxLimits;
  /** Largest size an installer's changes (the upper directory) may reach. */
  readonly diskLimitBytes: number;
  /** How long an installer may block on its input, using no CPU, before it counts as waiting for input. */
  readonly inputWaitMs: number;
  readonly jobLeaseMs: number;
  /** How often a build that failed on our side is retried before it goes to Investigating. */
  readonly buildRetries: number;
  /** Delay before the first retry; each further retry waits twice as long. */
  readonly retryDelayMs: number;
  /** Concurrent webhook deliveries in this process, independent of `workers`; 0 sends none. */
  readonly webhookWorkers: number;
  /** Attempts per webhook delivery, the first included. */
  readonly webhookAttempts: number;
  /** Delay before a webhook's first retry; each further retry waits twice as long. */
  readonly webhookRetryDelayMs: number;
  /** How long one webhook attempt may take. */
  readonly webhookTimeoutMs: number;
  /** Let webhooks reach loopback and private addresses; off, so accounts cannot probe the internal network. */
  readonly webhookAllowPrivateAddresses: boolean;
  /** Believe the load balancer's `X-Forwarded-For/Proto/Host`: links and the Secure cookie follow HTTPS there. */
  readonly trustProxy: boolean;
  /** Private image builds one account may have InProgress at once. */
  readonly privateBuildLimit: number;
  /** Build jobs (seller and buyer) one account may have queued or running at once. */
  readonly accountQueueLimit: number;
  /** Pending, running and stopping instances one account may have at once. */
  readonly instanceLimit: number;
  /** Limits of one instance's sandbox: generous, since an instance runs for long. */
  readonly instanceLimits: SandboxLimits;
  /** How long a stopped instance may take to shut down (its init halts) before it is killed. */
  readonly instanceStopGraceMs: number;
  /** How long the links to a private build's stdout and stderr stay valid. */
  readonly logLinkTtlSeconds: number;
  /** How long a link to a downloadable image export stays valid (SigV4 allows at most 7 days). */
  readonly exportLinkTtlSeconds: number;
  /** Days besides weekends that do not count as business days, `YYYY-MM-DD`. */
  readonly holidays: readonly string[];
  readonly debianMirror: string | undefined;
  readonly debianSecurityMirror: string | undefined;
  /**
   * The scan gate's configuration (see README, "Scan gate"): which findings block a build.
   * `<dataDir>/scan-gate.json` when that file exists, else the defaults.
   */
  readonly scanGateFile: string | undefined;
}

export const DEFAULT_DATA_DIR = '/var/lib/goldsmith';
export const DEFAULT_PORT = 7780;

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryBytes: 2 * 1024 ** 3,
  pids: 1024,
  cpus: 1,
  wallClockMs: 60 * 60 * 1000,
};

/** An instance's sandbox: room for a full init and its services, stopped after a day. */
export const DEFAULT_INSTANCE_LIMITS: SandboxLimits = {
  memoryBytes: 2 * 1024 ** 3,
  pids: 4096,
  cpus: 1,
  wallClockMs: 24 * 60 * 60 * 1000,
};

/** Settings a caller may give; the rest derive from the data directory or defaults. */
export type ConfigInput = Partial<
  Omit<GoldsmithConfig, 'limits' | 'instanceLimits' | 'capabilities'>
> & {
  readonly capabilities?: Partial<WorkerCapabilities>;
  readonly limits?: Partial<SandboxLimits>;
  readonly instanceLimits?: Partial<SandboxLimits>;
};

/** Builds a complete, frozen configuration. */
export function buildConfig(input: ConfigInput = {}): GoldsmithConfig {
  const dataDir = path.resolve(input.dataDir ?? DEFAULT_DATA_DIR);
  const blobDir = input.blobDir ?? path.join(dataDir, 'blobs');
  return Object.freeze({
    dataDir,
    host: input.host ?? '0.0.0.0',
    port: input.port ?? DEFAULT_PORT,
    database: input.database ?? `sqlite:${path.join(dataDir, 'goldsmith.db')}`,
    blobDir,
    blobs: input.blobs ?? blobDir,
    s3: Object.freeze({ ...input.s3 }),
    baseCacheDir: input.baseCacheDir ?? path.join(dataDir, 'bases'),
    sandboxDir: input.sandboxDir ?? path.join(dataDir, 'sandboxes'),
    stagingDir: input.stagingDir ?? path.join(dataDir, 'staging'),
    keysDir: path.resolve(input.keysDir ?? path.join(dataDir, 'keys')),
    workers: input.workers ?? availableParallelism(),
    capabilities: Object.freeze({ ...DEFAULT_WORKER_CAPABILITIES, ...input.capabilities }),
    drainTimeoutMs: input.drainTimeoutMs ?? 600_000,
    workerRefreshMs: input.workerRefreshMs ?? 5_000,
    maxPackageBytes: input.maxPackageBytes ?? 2 * 1024 ** 3,
    maxGoldImageBytes: input.maxGoldImageBytes ?? 20 * 1024 ** 3,
    limits: Object.freeze({ ...DEFAULT_LIMITS, ...input.limits }),
    diskLimitBytes: input.diskLimitBytes ?? 10 * 1024 ** 3,
    inputWaitMs: input.inputWaitMs ?? 60_000,
    jobLeaseMs: input.jobLeaseMs ?? 60_000,
    buildRetries: input.buildRetries ?? 2,
    retryDelayMs: input.retryDelayMs ?? 30_000,
    // 6 attempts, 2 minutes doubling: retries after 2, 4, 8, 16 and 32 minutes (about an hour).
    webhookWorkers: input.webhookWorkers ?? 2,
    webhookAttempts: input.webhookAttempts ?? 6,
    webhookRetryDelayMs: input.webhookRetryDelayMs ?? 120_000,
    webhookTimeoutMs: input.webhookTimeoutMs ?? 10_000,
    webhookAllowPrivateAddresses: input.webhookAllowPrivateAddresses ?? false,
    trustProxy: input.trustProxy ?? false,
    privateBuildLimit: input.privateBuildLimit ?? 5,
    accountQueueLimit: input.accountQueueLimit ?? 100,
    instanceLimit: input.instanceLimit ?? 3,
    instanceLimits: Object.freeze({ ...DEFAULT_INSTANCE_LIMITS, ...input.instanceLimits }),
    instanceStopGraceMs: input.instanceStopGraceMs ?? 15_000,
    logLinkTtlSeconds: input.logLinkTtlSeconds ?? 3600,
    exportLinkTtlSeconds: input.exportLinkTtlSeconds ?? 3600,
    holidays: Object.freeze([...(input.holidays ?? [])]),
    debianMirror: input.debianMirror,
    debianSecurityMirror: input.debianSecurityMirror,
    scanGateFile: input.scanGateFile ?? defaultGateFile(dataDir),
  });
}

/** The file name of the gate configuration in a data directory. */
export const SCAN_GATE_FILE_NAME = 'scan-gate.json';

function defaultGateFile(dataDir: string): string | undefined {
  const file = path.join(dataDir, SCAN_GATE_FILE_NAME);
  return existsSync(file) ? file : undefined;
}
