import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

import type { FastifyServerOptions } from 'fastify';

import { resolveDebianMirrors } from '../base-images/apt-sources.js';
import { BaseImageService } from '../base-images/base-image-service.js';
import { DebianRootCache } from '../base-images/debian-root-cache.js';
import { ImageRootCache } from '../base-images/image-root-cache.js';
import { parseBlobLocation } from '../blobs/blob-location.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { FsBlobStore } from '../blobs/fs-blob-store.js';
import { openBlobStore } from '../blobs/open-blob-store.js';
import type { GoldsmithConfig } from '../config/config.js';
import { AccessKeyService } from '../domain/access-keys/access-key-service.js';
import { SecretCipher } from '../domain/access-keys/secret-cipher.js';
import { AccountService } from '../domain/accounts/account-service.js';
import { BaseImageCatalog } from '../domain/base-images/base-image-catalog.js';
import { BASE_REFRESH_JOB, OS_BUILD_JOB } from '../domain/builds/build-jobs.js';
import { BuildService } from '../domain/builds/build-service.js';
import { BuildPresenter } from '../domain/builds/build-view.js';
import { VulnerabilityDatabaseService } from '../domain/advisories/vulnerability-database-service.js';
import { InvestigationService } from '../domain/builds/investigation-service.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { GoldImageService } from '../domain/gold-images/gold-image-service.js';
import { ImageService } from '../domain/images/image-service.js';
import type { InstanceHost } from '../domain/instances/instance-host.js';
import { InstanceService } from '../domain/instances/instance-service.js';
import { SandboxInstanceHost } from '../domain/instances/sandbox-instance-host.js';
import { PackageGroupService } from '../domain/package-groups/package-group-service.js';
import { PackageService } from '../domain/packages/package-service.js';
import { LogLinkSigner } from '../domain/private-builds/log-link-signer.js';
import { PRIVATE_BUILD_JOB } from '../domain/private-builds/private-build.js';
import { PrivateBuildService } from '../domain/private-builds/private-build-service.js';
import { CatalogService } from '../domain/publishing/catalog-service.js';
import { LoadFormService } from '../domain/publishing/load-form-service.js';
import { ReviewService } from '../domain/publishing/review-service.js';
import { SubmissionService } from '../domain/publishing/submission-service.js';
import { SubscriptionService } from '../domain/publishing/subscription-service.js';
import { webhookDeliveryJobHandler } from '../domain/webhooks/webhook-delivery.js';
import { validateWebhookUrl, WebhookNotifier } from '../domain/webhooks/webhook-notifier.js';
import { WEBHOOK_DELIVERY_JOB } from '../domain/webhooks/webhook-records.js';
import { WebhookSecretService } from '../domain/webhooks/webhook-secrets.js';
import { openEventBus } from '../events/open-event-bus.js';
import { buildApp } from '../http/app.js';
import type { AwsOperationRegistry } from '../http/aws/aws-json-protocol.js';
import { privateBuildOperations } from '../http/aws/private-build-operations.js';
import type { TypedApp } from '../http/typed-app.js';
import {
  baseRefreshJobHandler,
  osBuildJobHandler,
  privateBuildJobHandler,
} from '../pipeline/build-job-handlers.js';
import { OsBuildRunner } from '../pipeline/os-build-runner.js';
import { PrivateBuildRunner } from '../pipeline/private-build-runner.js';
import { SandboxedInstall } from '../pipeline/sandboxed-install.js';
import { WorkerPool } from '../pipeline/worker-pool.js';
import { cleanupStaleNetworks, createSinkNetwork } from '../sandbox/network/sink-network.js';
import { SinkNetworkPool } from '../sandbox/network/sink-network-pool.js';
import { RuncSandbox } from '../sandbox/runc/runc-sandbox.js';
import { currentOwner, ownerIsAlive } from '../sandbox/runc/session-owner.js';
import { applyGate } from '../scanner/gate/apply-gate.js';
import { loadGatePolicy } from '../scanner/gate/gate-config.js';
import { ImageScanner } from '../scanner/scan/image-scanner.js';
import type { BuildPhase } from '../domain/types.js';
import { GoldsmithMetrics } from '../observability/goldsmith-metrics.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { GOLDSMITH_VERSION } from '../version.js';

export interface RunningGoldsmith {
  readonly app: TypedApp;
  readonly store: Store;
  readonly url: string;
  /** The first operator's token, when this start created it. */
  readonly operatorToken: string | undefined;
  /** Queues signed webhook deliveries; the same notifier the app services hold. */
  readonly webhooks: WebhookNotifier;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: FastifyServerOptions['logger'];
  readonly clock?: Clock;
  /** Operations of the AWS JSON protocol; tests register probes here. */
  readonly awsOperations?: AwsOperationRegistry;
}

/**
 * The composition root: the one place that picks the store, blob store and
 * sandbox implementations and wires them into the API and the workers.
 */
export async function startGoldsmith(
  config: GoldsmithConfig,
  options: StartOptions = {},
): Promise<RunningGoldsmith> {
  const clock = options.clock ?? systemClock;
  for (const dir of [
    config.dataDir,
    config.blobDir,
    config.baseCacheDir,
    config.sandboxDir,
    config.stagingDir,
  ]) {
    await mkdir(dir, { recursive: true });
  }
  // A broken gate file stops the start, rather than every build later.
  await loadGatePolicy(config.scanGateFile);
  const blobs = openBlobStore({ location: parseBlobLocation(config.blobs), s3: config.s3 });
  await blobs.checkAccess?.();
  const store = await openStore(config.database);
  // On PostgreSQL, events reach every process on the database (LISTEN/NOTIFY).
  const events = await openEventBus(config.database);

  const accounts = new AccountService(store, clock);
  const baseImages = new BaseImageCatalog(store, events, clock);
  const presenter = new BuildPresenter(new Set(config.holidays));
  const jobMaxAttempts = config.buildRetries + 1;
  const packageGroups = new PackageGroupService(store, baseImages, events, clock, {
    jobMaxAttempts,
  });
  const submissions = new SubmissionService(store, blobs, clock, new Set(config.holidays));
  const products = new CatalogService(store);
  const accessKeyCipher = await SecretCipher.fromKeyFile(
    path.join(config.dataDir, 'keys', 'access-key-secret.key'),
  );
  const webhookSecrets = new WebhookSecretService(
    store,
    await SecretCipher.fromKeyFile(path.join(config.dataDir, 'keys', 'webhook-secret.key')),
    clock,
  );
  const webhooks = new WebhookNotifier(store, events, clock, {
    maxAttempts: config.webhookAttempts,
  });
  // The server's own URL, known once it listens: the base of the expiring log links.
  let publicUrl = '';
  const privateBuilds = new PrivateBuildService(
    store,
    events,
    clock,
    await LogLinkSigner.fromKeyFile(
      path.join(config.dataDir, 'keys', 'log-link.key'),
      clock,
      config.logLinkTtlSeconds,
    ),
    {
      jobMaxAttempts,
      concurrentBuildLimit: config.privateBuildLimit,
      checkWebhookUrl: (url) => void validateWebhookUrl(url),
      notifier: webhooks,
    },
  );
  const images = new ImageService(store, blobs, path.join(config.stagingDir, 'disk-exports'));
  // Instances need the sandbox: only a process with workers hosts them (set below).
  let instanceHost: SandboxInstanceHost | undefined;
  let pool: WorkerPool | undefined;
  const metrics = new GoldsmithMetrics({
    activeStats: () => store.jobs.activeStats(),
    now: () => clock.now(),
    workers: config.workers,
    busyWorkers: () => pool?.busy ?? 0,
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
      host: (): InstanceHost | undefined => instanceHost,
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
    events,
    clock,
    metrics,
    readiness: () => readinessProblems(store, blobs),
  };
  const app = await buildApp(services, {
    version: GOLDSMITH_VERSION,
    logger: options.logger ?? false,
    awsOperations: options.awsOperations ?? privateBuildOperations(privateBuilds, () => publicUrl),
  });
  const bootstrap = await accounts.bootstrap();
  const countAttempt = (kind: string, outcome: string): void =>
    metrics.jobAttempts.inc({ kind, outcome });

  let networkPool: SinkNetworkPool | undefined;
  if (config.workers > 0) {
    const sandbox = new RuncSandbox({ stateDir: config.sandboxDir });
    const networkStateDir = path.join(config.sandboxDir, 'networks');
    const cleaned = await sandbox.cleanupStale();
    if (cleaned.length > 0)
      app.log.info({ sandboxes: cleaned }, 'removed sandboxes left by a previous run');
    const networks = await cleanupStaleNetworks({ stateDir: networkStateDir });
    const networksAhead = new SinkNetworkPool(config.workers, (id) =>
      createSinkNetwork(id, { stateDir: networkStateDir }),
    );
    networkPool = networksAhead;
    if (networks.length > 0)
      app.log.info({ networks }, 'removed sink networks left by a previous run');
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
      acquireNetwork: () => networksAhead.acquire(),
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
      app.log.info({ instances: orphans }, 'marked instances of a previous run as failed');
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
    pool = new WorkerPool({
      store,
      events,
      clock,
      handlers: {
        [OS_BUILD_JOB]: osBuildJobHandler(runner, store, events, clock),
        [BASE_REFRESH_JOB]: baseRefreshJobHandler(bases, app.log),
        [PRIVATE_BUILD_JOB]: privateBuildJobHandler(privateRunner),
      },
      concurrency: config.workers,
      leaseMs: config.jobLeaseMs,
      retryDelayMs: config.retryDelayMs,
      logger: app.log,
      onAttemptEnd: countAttempt,
    });
    pool.start();
  }

  // Deliveries need no sandbox, so they have their own pool with its own back-off,
  // which runs even when `workers` is 0.
  let webhookPool: WorkerPool | undefined;
  if (config.webhookWorkers > 0) {
    webhookPool = new WorkerPool({
      store,
      events,
      clock,
      handlers: {
        [WEBHOOK_DELIVERY_JOB]: webhookDeliveryJobHandler(store, webhookSecrets, clock, {
          timeoutMs: config.webhookTimeoutMs,
          allowPrivateAddresses: config.webhookAllowPrivateAddresses,
          logger: app.log,
        }),
      },
      concurrency: config.webhookWorkers,
      leaseMs: config.jobLeaseMs,
      retryDelayMs: config.webhookRetryDelayMs,
      logger: app.log,
      onAttemptEnd: countAttempt,
    });
    webhookPool.start();
  }

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`;
  publicUrl = url;

  return {
    app,
    store,
    url,
    operatorToken: bootstrap?.token,
    webhooks,
    async stop() {
      await app.close();
      await instanceHost?.shutdown();
      await pool?.stop();
      await webhookPool?.stop();
      await networkPool?.close();
      await events.close();
      await store.close();
      blobs.close?.();
    },
  };
}

/** Why this process cannot serve now: the database or the blob store does not answer. */
async function readinessProblems(store: Store, blobs: BlobStore): Promise<string[]> {
  const problems: string[] = [];
  await store.accounts.count().catch((error: unknown) => {
    problems.push(`database: ${error instanceof Error ? error.message : String(error)}`);
  });
  await blobs.checkAccess?.().catch((error: unknown) => {
    problems.push(`blob store: ${error instanceof Error ? error.message : String(error)}`);
  });
  return problems;
}
