import path from 'node:path';
import type { AddressInfo } from 'node:net';

import type { LoggerOptions } from 'pino';

import type { GoldsmithConfig } from '../config/config.js';
import { AccessKeyService } from '../domain/access-keys/access-key-service.js';
import { SecretCipher } from '../domain/access-keys/secret-cipher.js';
import { AccountService } from '../domain/accounts/account-service.js';
import { BaseImageCatalog } from '../domain/base-images/base-image-catalog.js';
import { BuildService } from '../domain/builds/build-service.js';
import { BuildPresenter } from '../domain/builds/build-view.js';
import { VulnerabilityDatabaseService } from '../domain/advisories/vulnerability-database-service.js';
import { InvestigationService } from '../domain/builds/investigation-service.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { GoldImageService } from '../domain/gold-images/gold-image-service.js';
import { ImageService } from '../domain/images/image-service.js';
import type { InstanceHost } from '../domain/instances/instance-host.js';
import { InstanceService } from '../domain/instances/instance-service.js';
import { PackageGroupService } from '../domain/package-groups/package-group-service.js';
import { PackageService } from '../domain/packages/package-service.js';
import { LogLinkSigner } from '../domain/private-builds/log-link-signer.js';
import { PrivateBuildService } from '../domain/private-builds/private-build-service.js';
import { CatalogService } from '../domain/publishing/catalog-service.js';
import { LoadFormService } from '../domain/publishing/load-form-service.js';
import { ReviewService } from '../domain/publishing/review-service.js';
import { SubmissionService } from '../domain/publishing/submission-service.js';
import { SubscriptionService } from '../domain/publishing/subscription-service.js';
import { validateWebhookUrl, WebhookNotifier } from '../domain/webhooks/webhook-notifier.js';
import { WebhookSecretService } from '../domain/webhooks/webhook-secrets.js';
import { WorkerRegistry } from '../domain/workers/worker-registry.js';
import { buildApp } from '../http/app.js';
import type { AwsOperationRegistry } from '../http/aws/aws-json-protocol.js';
import { privateBuildOperations } from '../http/aws/private-build-operations.js';
import type { TypedApp } from '../http/typed-app.js';
import { GoldsmithMetrics } from '../observability/goldsmith-metrics.js';
import type { Store } from '../store/store.js';
import { GOLDSMITH_VERSION } from '../version.js';
import {
  startBuildWorkers,
  startWebhookWorkers,
  type RunningBuildWorkers,
} from './build-workers.js';
import { checkCapabilities } from './goldsmith-worker.js';
import { keyFile } from './key-files.js';
import {
  closeInfrastructure,
  openInfrastructure,
  readinessProblems,
} from './process-infrastructure.js';
import { openProcessLogger } from './process-logger.js';

export interface RunningGoldsmith {
  readonly app: TypedApp;
  readonly store: Store;
  readonly url: string;
  /** The first operator's token, when this start created it. */
  readonly operatorToken: string | undefined;
  /** Queues signed webhook deliveries; the same notifier the app services hold. */
  readonly webhooks: WebhookNotifier;
  /** Stops at once: running builds go back to the queue. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** JSON log lines (pino options); none when undefined. */
  readonly logger?: LoggerOptions;
  readonly clock?: Clock;
  /** Operations of the AWS JSON protocol; tests register probes here. */
  readonly awsOperations?: AwsOperationRegistry;
}

/**
 * The composition root of `goldsmith server`: the one place that wires the store, blob store
 * and sandbox into the API, and, unless `config.workers` is 0, into build workers beside it
 * (`goldsmith worker` runs workers alone: see goldsmith-worker.ts).
 */
export async function startGoldsmith(
  config: GoldsmithConfig,
  options: StartOptions = {},
): Promise<RunningGoldsmith> {
  const clock = options.clock ?? systemClock;
  if (config.workers > 0) checkCapabilities(config.capabilities);
  const logger = openProcessLogger(options.logger);
  const { store, blobs, events } = await openInfrastructure(config, logger);

  const accounts = new AccountService(store, clock);
  const baseImages = new BaseImageCatalog(store, events, clock);
  const presenter = new BuildPresenter(new Set(config.holidays));
  const jobMaxAttempts = config.buildRetries + 1;
  const packageGroups = new PackageGroupService(store, baseImages, events, clock, {
    jobMaxAttempts,
    accountQueueLimit: config.accountQueueLimit,
  });
  const submissions = new SubmissionService(store, blobs, clock, new Set(config.holidays));
  const products = new CatalogService(store);
  const accessKeyCipher = await SecretCipher.fromKeyFile(
    keyFile(config.keysDir, 'accessKeySecret'),
  );
  const webhookSecrets = new WebhookSecretService(
    store,
    await SecretCipher.fromKeyFile(keyFile(config.keysDir, 'webhookSecret')),
    clock,
  );
  const webhooks = new WebhookNotifier(store, events, clock, {
    maxAttempts: config.webhookAttempts,
  });
  const privateBuilds = new PrivateBuildService(
    store,
    events,
    clock,
    await LogLinkSigner.fromKeyFile(
      keyFile(config.keysDir, 'logLink'),
      clock,
      config.logLinkTtlSeconds,
    ),
    {
      jobMaxAttempts,
      concurrentBuildLimit: config.privateBuildLimit,
      accountQueueLimit: config.accountQueueLimit,
      checkWebhookUrl: (url) => void validateWebhookUrl(url),
      notifier: webhooks,
    },
  );
  const images = new ImageService(store, blobs, path.join(config.stagingDir, 'disk-exports'), {
    ttlSeconds: config.exportLinkTtlSeconds,
    clock,
  });
  // Instances need the sandbox: only a process with workers hosts them (started below).
  const local: { builders?: RunningBuildWorkers } = {};
  const workerRegistry = new WorkerRegistry(store.workers, clock, config.workerRefreshMs);
  const metrics = new GoldsmithMetrics({
    activeStats: () => store.jobs.activeStats(),
    now: () => clock.now(),
    workers: config.workers,
    busyWorkers: () => local.builders?.pool.busy ?? 0,
    clusterWorkers: () => workerRegistry.countByState(),
  });
  const services = {
    accounts,
    privateBuilds,
    accessKeys: new AccessKeyService(store, accessKeyCipher, clock),
    packages: new PackageService(store, blobs, clock, config.maxPackageBytes),
    packageGroups,
    loadForms: new LoadFormService(submissions, packageGroups, clock),
    submissions,
    review: new ReviewService(store, clock),
    products,
    subscriptions: new SubscriptionService(store, products, clock),
    builds: new BuildService(store, presenter, blobs),
    investigations: new InvestigationService(store, presenter, events, clock, { jobMaxAttempts }),
    images,
    instances: new InstanceService(store, images, clock, {
      instanceLimit: config.instanceLimit,
      host: (): InstanceHost | undefined => local.builders?.instanceHost,
    }),
    goldImages: new GoldImageService(store, blobs, clock, {
      stagingDir: config.stagingDir,
      maxUploadBytes: config.maxPackageBytes,
      maxExtractedBytes: config.maxGoldImageBytes,
    }),
    baseImages,
    vulnerabilityDatabase: new VulnerabilityDatabaseService(store, clock, {
      stagingDir: config.stagingDir,
      maxUploadBytes: config.maxPackageBytes,
    }),
    webhooks,
    webhookSecrets,
    workers: workerRegistry,
    consoleSessions: store.consoleSessions,
    coordination: store.coordination,
    events,
    clock,
    metrics,
    readiness: () => readinessProblems(store, blobs),
  };
  const app = await buildApp(services, {
    version: GOLDSMITH_VERSION,
    ...(logger === undefined ? {} : { logger }),
    trustProxy: config.trustProxy,
    awsOperations: options.awsOperations ?? privateBuildOperations(privateBuilds),
  });
  const bootstrap = await accounts.bootstrap();

  const builders =
    config.workers > 0
      ? await startBuildWorkers({
          config,
          store,
          blobs,
          events,
          clock,
          webhooks,
          metrics,
          registry: workerRegistry,
          logger: app.log,
          role: 'server',
          hostInstances: true,
        })
      : undefined;
  local.builders = builders;
  const webhookPool = startWebhookWorkers({
    config,
    store,
    events,
    clock,
    secrets: webhookSecrets,
    metrics,
    logger: app.log,
  });

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`;

  return {
    app,
    store,
    url,
    operatorToken: bootstrap?.token,
    webhooks,
    async stop() {
      await app.close();
      await builders?.stop();
      await webhookPool?.stop();
      await closeInfrastructure({ store, events, blobs });
    },
  };
}
