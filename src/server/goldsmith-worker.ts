import type { AddressInfo } from 'node:net';

import Fastify from 'fastify';
import type { LoggerOptions } from 'pino';

import type { GoldsmithConfig } from '../config/config.js';
import { SecretCipher } from '../domain/access-keys/secret-cipher.js';
import { systemClock, type Clock } from '../domain/clock.js';
import {
  DEFAULT_WORKER_CAPABILITIES,
  type WorkerCapabilities,
} from '../domain/jobs/job-requirements.js';
import { WebhookNotifier } from '../domain/webhooks/webhook-notifier.js';
import { WebhookSecretService } from '../domain/webhooks/webhook-secrets.js';
import { WorkerRegistry } from '../domain/workers/worker-registry.js';
import { registerErrorHandling } from '../http/error-handler.js';
import { observabilityRoutes } from '../http/routes/observability-routes.js';
import type { TypedApp } from '../http/typed-app.js';
import { GoldsmithMetrics } from '../observability/goldsmith-metrics.js';
import type { Store } from '../store/store.js';
import { GOLDSMITH_VERSION } from '../version.js';
import { startBuildWorkers, startWebhookWorkers } from './build-workers.js';
import { keyFile } from './key-files.js';
import {
  closeInfrastructure,
  openInfrastructure,
  readinessProblems,
} from './process-infrastructure.js';
import { openProcessLogger } from './process-logger.js';

/** A running `goldsmith worker`: build workers, and a listener for health and metrics. */
export interface RunningWorker {
  /** The pool's name: its row in the workers registry, and the owner of the jobs it runs. */
  readonly id: string;
  readonly store: Store;
  /** Where its health, readiness and metrics answer. */
  readonly url: string;
  /** Stops at once: running builds go back to the queue. */
  stop(): Promise<void>;
  /** Stops claiming; running builds may finish for up to `timeoutMs`, then stops. */
  drain(timeoutMs: number): Promise<void>;
}

export interface WorkerStartOptions {
  /** JSON log lines (pino options); none when undefined. */
  readonly logger?: LoggerOptions;
  readonly clock?: Clock;
}

/**
 * The composition root of `goldsmith worker`: build workers on the shared database and blob
 * store, without the API. It listens only for liveness, readiness and metrics.
 */
export async function startWorker(
  config: GoldsmithConfig,
  options: WorkerStartOptions = {},
): Promise<RunningWorker> {
  if (config.workers < 1)
    throw new Error(
      'a worker needs --workers 1 or more; an API-only process is `goldsmith server --no-workers`',
    );
  checkCapabilities(config.capabilities);
  const clock = options.clock ?? systemClock;
  const logger = openProcessLogger(options.logger);
  const infrastructure = await openInfrastructure(config, logger);
  const { store, blobs, events } = infrastructure;
  const registry = new WorkerRegistry(store.workers, clock, config.workerRefreshMs);
  let busy = (): number => 0;
  const metrics = new GoldsmithMetrics({
    activeStats: () => store.jobs.activeStats(),
    now: () => clock.now(),
    workers: config.workers,
    busyWorkers: () => busy(),
    clusterWorkers: () => registry.countByState(),
  });
  const app = Fastify(
    logger === undefined ? { logger: false } : { loggerInstance: logger },
  ) as unknown as TypedApp;
  registerErrorHandling(app);
  observabilityRoutes(
    app,
    { metrics, readiness: () => readinessProblems(store, blobs) },
    GOLDSMITH_VERSION,
  );
  const webhooks = new WebhookNotifier(store, events, clock, {
    maxAttempts: config.webhookAttempts,
  });
  const builders = await startBuildWorkers({
    config,
    store,
    blobs,
    events,
    clock,
    webhooks,
    metrics,
    registry,
    logger: app.log,
    role: 'worker',
    hostInstances: false,
  });
  busy = () => builders.pool.busy;
  // Deliveries queued by builds (private builds notify their webhook) run where builds run too.
  const webhookPool =
    config.webhookWorkers > 0
      ? startWebhookWorkers({
          config,
          store,
          events,
          clock,
          secrets: new WebhookSecretService(
            store,
            await SecretCipher.fromKeyFile(keyFile(config.keysDir, 'webhookSecret')),
            clock,
          ),
          metrics,
          logger: app.log,
        })
      : undefined;

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`;

  const finish = async (): Promise<void> => {
    await webhookPool?.stop();
    await app.close();
    await closeInfrastructure(infrastructure);
  };
  return {
    id: builders.pool.owner,
    store,
    url,
    async stop() {
      await builders.stop();
      await finish();
    },
    async drain(timeoutMs) {
      await builders.drain(timeoutMs);
      await finish();
    },
  };
}

/**
 * Refuses capabilities this build of Goldsmith cannot run, so that a worker never claims a
 * job it would only fail (virtual machines and Windows have no runner yet, nor RHEL bases).
 * A configuration error at start, not an API error: it throws a plain Error.
 */
export function checkCapabilities(
  capabilities: WorkerCapabilities,
  supported: WorkerCapabilities = DEFAULT_WORKER_CAPABILITIES,
): void {
  const unsupported = [
    ...capabilities.platforms
      .filter((p) => !supported.platforms.includes(p))
      .map((p) => `platform ${p}`),
    ...capabilities.osFamilies
      .filter((f) => !supported.osFamilies.includes(f))
      .map((f) => `OS family ${f}`),
    ...capabilities.isolation
      .filter((i) => !supported.isolation.includes(i))
      .map((i) => `isolation ${i}`),
  ];
  if (unsupported.length > 0) {
    throw new Error(
      `this build of Goldsmith cannot run ${unsupported.join(', ')}; it runs platforms ` +
        `${supported.platforms.join(',')}, OS families ${supported.osFamilies.join(',')} and ` +
        `isolation ${supported.isolation.join(',')}`,
    );
  }
  for (const [name, list] of Object.entries(capabilities)) {
    if ((list as readonly string[]).length === 0)
      throw new Error(`a worker needs at least one of ${name}`);
  }
}
