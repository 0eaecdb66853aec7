import { hostname } from 'node:os';
import path from 'node:path';

import { resolveDebianMirrors } from '../base-images/apt-sources.js';
import { BaseImageService } from '../base-images/base-image-service.js';
import { DebianRootCache } from '../base-images/debian-root-cache.js';
import { ImageRootCache } from '../base-images/image-root-cache.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { FsBlobStore } from '../blobs/fs-blob-store.js';
import type { GoldsmithConfig } from '../config/config.js';
import { BASE_REFRESH_JOB, OS_BUILD_JOB } from '../domain/builds/build-jobs.js';
import type { Clock } from '../domain/clock.js';
import { SandboxInstanceHost } from '../domain/instances/sandbox-instance-host.js';
import { PRIVATE_BUILD_JOB } from '../domain/private-builds/private-build.js';
import type { BuildPhase } from '../domain/types.js';
import { webhookDeliveryJobHandler } from '../domain/webhooks/webhook-delivery.js';
import type { WebhookNotifier } from '../domain/webhooks/webhook-notifier.js';
import { WEBHOOK_DELIVERY_JOB } from '../domain/webhooks/webhook-records.js';
import type { WebhookSecretService } from '../domain/webhooks/webhook-secrets.js';
import type { ProcessRole } from '../domain/workers/worker-record.js';
import type { WorkerRegistry } from '../domain/workers/worker-registry.js';
import type { EventBus } from '../events/event-bus.js';
import type { GoldsmithMetrics } from '../observability/goldsmith-metrics.js';
import {
  baseRefreshJobHandler,
  osBuildJobHandler,
  privateBuildJobHandler,
} from '../pipeline/build-job-handlers.js';
import { OsBuildRunner } from '../pipeline/os-build-runner.js';
import { PrivateBuildRunner } from '../pipeline/private-build-runner.js';
import { SandboxedInstall } from '../pipeline/sandboxed-install.js';
import { WorkerPool, type PoolLogger } from '../pipeline/worker-pool.js';
import { cleanupStaleNetworks, createSinkNetwork } from '../sandbox/network/sink-network.js';
import { SinkNetworkPool } from '../sandbox/network/sink-network-pool.js';
import { RuncSandbox } from '../sandbox/runc/runc-sandbox.js';
import { currentOwner, ownerIsAlive } from '../sandbox/runc/session-owner.js';
import { applyGate } from '../scanner/gate/apply-gate.js';
import { loadGatePolicy } from '../scanner/gate/gate-config.js';
import { ImageScanner } from '../scanner/scan/image-scanner.js';
import type { Store } from '../store/store.js';
import { WorkerRegistration } from './worker-registration.js';

/** A logger that can name its lines, as pino's and Fastify's can. */
export interface ProcessLogger extends PoolLogger {
  child(bindings: Record<string, unknown>): ProcessLogger;
}

/** What the build workers share with the rest of the process. */
export interface BuildWorkerDeps {
  readonly config: GoldsmithConfig;
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly webhooks: WebhookNotifier;
  readonly metrics: GoldsmithMetrics;
  readonly registry: WorkerRegistry;
  readonly logger: ProcessLogger;
  readonly role: ProcessRole;
  /** Host instances too: only a process serving the API can, since launches arrive there. */
  readonly hostInstances: boolean;
}

/** Build workers running in this process, with the sandbox they need. */
export interface RunningBuildWorkers {
  readonly pool: WorkerPool;
  readonly instanceHost: SandboxInstanceHost | undefined;
  /** Stops claiming, lets running jobs finish for up to `timeoutMs`, then stops. */
  drain(timeoutMs: number): Promise<void>;
  /** Stops at once: running jobs go back to the queue. */
  stop(): Promise<void>;
}

/**
 * Starts `config.workers` build workers: cleans what a previous run left in the sandbox
 * directory, wires the base image cache, installer sandbox and scanner into the job
 * handlers, and registers the pool in the workers registry.
 */
export async function startBuildWorkers(deps: BuildWorkerDeps): Promise<RunningBuildWorkers> {
  const { config, store, blobs, events, clock, webhooks, metrics, logger } = deps;
  const sandbox = new RuncSandbox({ stateDir: config.sandboxDir });
  const networkStateDir = path.join(config.sandboxDir, 'networks');
  const cleaned = await sandbox.cleanupStale();
  if (cleaned.length > 0)
    logger.info({ sandboxes: cleaned }, 'removed sandboxes left by a previous run');
  const networks = await cleanupStaleNetworks({ stateDir: networkStateDir });
  const networkPool = new SinkNetworkPool(config.workers, (id) =>
    createSinkNetwork(id, { stateDir: networkStateDir }),
  );
  if (networks.length > 0)
    logger.info({ networks }, 'removed sink networks left by a previous run');
  const bases = new BaseImageService({
    store,
    blobs,
    cacheBlobs: new FsBlobStore(path.join(config.baseCacheDir, 'blobs')),
    rootCache: new DebianRootCache(config.baseCacheDir),
    cacheDir: config.baseCacheDir,
    mirrors: () =>
      resolveDebianMirrors({
        archive: config.debianMirror,
        security: config.debianSecurityMirror,
      }),
    clock,
    leaseMs: config.jobLeaseMs,
  });
  const install = new SandboxedInstall({
    store,
    blobs,
    sandbox,
    clock,
    limits: config.limits,
    diskLimitBytes: config.diskLimitBytes,
    inputWaitMs: config.inputWaitMs,
    stagingDir: config.stagingDir,
    acquireNetwork: () => networkPool.acquire(),
    scanner: new ImageScanner({
      advisories: store.advisories,
      cache: store.scanCache,
      now: () => clock.now(),
    }),
    // Read for every build, so allow-list and VEX changes apply without a restart.
    gate: async (report) =>
      applyGate(report, await loadGatePolicy(config.scanGateFile), clock.now()).report,
  });
  const roots = new ImageRootCache({
    store,
    blobs,
    clock,
    cacheDir: config.baseCacheDir,
    leaseMs: config.jobLeaseMs,
  });

  let instanceHost: SandboxInstanceHost | undefined;
  if (deps.hostInstances) {
    const owner = await currentOwner();
    instanceHost = new SandboxInstanceHost({
      store,
      events,
      clock,
      sandbox,
      createNetwork: (id) => createSinkNetwork(id, { stateDir: networkStateDir }),
      // Base images resolve through their own cache; any other image is extracted once per host.
      resolveRoot: async (image, progress, signal) =>
        (await bases.resolveImage(image.id, progress))?.rootDir ??
        (await roots.ensure(image, progress, signal)),
      limits: config.instanceLimits,
      diskLimitBytes: config.diskLimitBytes,
      stopGraceMs: config.instanceStopGraceMs,
      owner: `${hostname()}:${owner.pid}:${owner.startTicks}`,
    });
    const orphans = await instanceHost.releaseOrphans((host) => {
      const [, pid, startTicks] = host.split(':');
      return ownerIsAlive({ pid: Number(pid), startTicks: startTicks ?? '' });
    });
    if (orphans.length > 0)
      logger.info({ instances: orphans }, 'marked instances of a previous run as failed');
  }

  const observe = (kind: string) => (phase: BuildPhase, startedAt: string, finishedAt: string) =>
    metrics.observePhase(kind, phase, startedAt, finishedAt);
  const runner = new OsBuildRunner({
    store,
    bases,
    events,
    clock,
    install,
    observePhase: observe('seller'),
  });
  const privateRunner = new PrivateBuildRunner({
    store,
    bases,
    roots,
    events,
    clock,
    install,
    notifier: webhooks,
    observePhase: observe('private'),
  });
  // The pool names itself; its lines carry that name once it exists.
  let poolLog: PoolLogger = logger;
  const pool = new WorkerPool({
    store,
    events,
    clock,
    handlers: {
      [OS_BUILD_JOB]: osBuildJobHandler(runner, store, events, clock),
      [BASE_REFRESH_JOB]: baseRefreshJobHandler(bases, logger),
      [PRIVATE_BUILD_JOB]: privateBuildJobHandler(privateRunner),
    },
    concurrency: config.workers,
    leaseMs: config.jobLeaseMs,
    retryDelayMs: config.retryDelayMs,
    capabilities: config.capabilities,
    logger: {
      info: (object, message) => poolLog.info(object, message),
      error: (object, message) => poolLog.error(object, message),
    },
    onAttemptEnd: (kind, outcome) => metrics.jobAttempts.inc({ kind, outcome }),
  });
  poolLog = logger.child({ workerId: pool.owner });
  const registration = new WorkerRegistration({
    workers: store.workers,
    registry: deps.registry,
    clock,
    id: pool.owner,
    role: deps.role,
    capabilities: config.capabilities,
    concurrency: config.workers,
    busy: () => pool.busy,
    refreshMs: config.workerRefreshMs,
    logger,
  });
  await registration.start();
  pool.start();
  poolLog.info(
    { concurrency: config.workers, capabilities: config.capabilities },
    'build workers started',
  );

  const shutdown = async (): Promise<void> => {
    await instanceHost?.shutdown();
    await pool.stop();
    await networkPool.close();
    await registration.stop();
  };
  return {
    pool,
    instanceHost,
    async drain(timeoutMs) {
      await registration.markDraining();
      poolLog.info({ timeoutMs }, 'draining: no new jobs; running ones may finish');
      await pool.drain(timeoutMs);
      await shutdown();
    },
    stop: shutdown,
  };
}

/** What the webhook delivery workers need. */
export interface WebhookWorkerDeps {
  readonly config: GoldsmithConfig;
  readonly store: Store;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly secrets: WebhookSecretService;
  readonly metrics: GoldsmithMetrics;
  readonly logger: PoolLogger;
}

/**
 * Starts the webhook delivery workers, or none when `config.webhookWorkers` is 0. Deliveries
 * need no sandbox, so they have their own pool with its own back-off, independent of builds.
 */
export function startWebhookWorkers(deps: WebhookWorkerDeps): WorkerPool | undefined {
  const { config, store, events, clock, metrics, logger } = deps;
  if (config.webhookWorkers === 0) return undefined;
  const pool = new WorkerPool({
    store,
    events,
    clock,
    handlers: {
      [WEBHOOK_DELIVERY_JOB]: webhookDeliveryJobHandler(store, deps.secrets, clock, {
        timeoutMs: config.webhookTimeoutMs,
        allowPrivateAddresses: config.webhookAllowPrivateAddresses,
        logger,
      }),
    },
    concurrency: config.webhookWorkers,
    leaseMs: config.jobLeaseMs,
    retryDelayMs: config.webhookRetryDelayMs,
    logger,
    onAttemptEnd: (kind, outcome) => metrics.jobAttempts.inc({ kind, outcome }),
  });
  pool.start();
  return pool;
}
