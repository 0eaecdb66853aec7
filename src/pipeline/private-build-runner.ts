import type { BaseImageService } from '../base-images/base-image-service.js';
import type { ImageRootCache } from '../base-images/image-root-cache.js';
import { findOsVersion } from '../domain/catalog/os-catalog.js';
import type { Clock } from '../domain/clock.js';
import {
  FULFILLMENT_ID_LABEL,
  type PrivateBuildErrorDetail,
  type PrivateBuildUpdate,
  type PrivateImageBuild,
} from '../domain/private-builds/private-build.js';
import {
  notifyStatus,
  type BuildNotifier,
} from '../domain/private-builds/private-build-service.js';
import type { Finding } from '../domain/types.js';
import type { EventBus } from '../events/event-bus.js';
import type { Store } from '../store/store.js';
import { BuildLogWriter } from './build-log-writer.js';
import {
  PhaseTracker,
  type InstallPlan,
  type PhaseObserver,
  type SandboxedInstall,
  type SourceRoot,
} from './sandboxed-install.js';

export interface PrivateBuildRunnerDeps {
  readonly store: Store;
  readonly bases: BaseImageService;
  readonly roots: ImageRootCache;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly install: SandboxedInstall;
  /** Tells the buyer's webhook of every status change; absent, nothing is sent. */
  readonly notifier?: BuildNotifier;
  /** Told of each finished phase of a build attempt (metrics). */
  readonly observePhase?: PhaseObserver;
}

/** Findings that mean the installer itself failed: the model's `InstallFailed`. */
const INSTALL_FAILED_CODES = new Set(['INSTALLER_EXIT_STATUS', 'INSTALLER_TIMEOUT']);

/**
 * Runs a buyer's private image build: the fulfillment option's package group
 * installed onto the buyer's source image through the same sandbox, checks
 * and scan as a seller's build. The result is a `private` image of the buyer.
 */
export class PrivateBuildRunner {
  constructor(private readonly deps: PrivateBuildRunnerDeps) {}

  /** Runs the build `buildId` as attempt `attempt`. */
  async run(buildId: string, attempt: number, signal: AbortSignal): Promise<void> {
    const { store, clock } = this.deps;
    const build = await store.privateBuilds.get(null, buildId);
    if (build === undefined) throw new Error(`private build ${buildId} does not exist`);
    const optionId = build.fulfillmentOptionIds[0];
    const option = optionId === undefined ? undefined : await store.products.getOption(optionId);
    if (option === undefined) throw new Error(`fulfillment option of build ${buildId} is gone`);
    const product = await store.products.getProduct(option.productId);
    if (product === undefined) throw new Error(`product ${option.productId} is gone`);
    const group = await store.packageGroups.get(product.sellerAccountId, option.packageGroupId);
    if (group === undefined) throw new Error(`package group ${option.packageGroupId} is gone`);
    const sourceImage = await store.images.get(null, build.sourceImageId);
    if (sourceImage === undefined) throw new Error(`source image ${build.sourceImageId} is gone`);
    const os = findOsVersion(sourceImage.osVersion);
    if (os === undefined)
      throw new Error(`OS version ${sourceImage.osVersion} is not in the catalog`);

    const log = new BuildLogWriter(build.id, store.logs, this.deps.events, clock);
    await this.update(build, {
      status: 'InProgress',
      attempts: attempt,
      errorDetail: null,
      findings: [],
      internalError: null,
    });
    log.system(
      `private build ${build.id}: ${product.title} (${group.name}) on ${sourceImage.id} (${os.id}), attempt ${attempt}`,
    );
    const plan: InstallPlan = {
      runId: build.id,
      os,
      platform: group.platform,
      group,
      source: (progress, abort) => this.source(sourceImage.id, progress, abort),
      imageKind: 'private',
      ownerAccountId: build.accountId,
      labels: {
        [FULFILLMENT_ID_LABEL]: option.id,
        'org.goldsmith.product': product.id,
        'org.goldsmith.private-build': build.id,
        'org.opencontainers.image.title': build.destinationName,
        ...(build.destinationDescription === null
          ? {}
          : { 'org.opencontainers.image.description': build.destinationDescription }),
        ...build.tags,
      },
    };
    const result = await this.deps.install.run(
      plan,
      attempt,
      {
        log,
        tracker: new PhaseTracker(clock, this.deps.observePhase),
        logs: store.logs,
        progress: async () => undefined,
      },
      signal,
    );
    if (result.kind === 'issues') {
      await this.update(build, {
        status: 'Failed',
        findings: result.findings,
        errorDetail: errorDetailOf(result.findings),
        scanReportDigest: result.scanReportDigest,
      });
      return;
    }
    await this.update(build, {
      status: 'Succeeded',
      imageId: result.image.id,
      scanReportDigest: result.scanReportDigest,
    });
  }

  /** Records a failed attempt: still InProgress when retried, else InternalError. */
  async failed(buildId: string, error: string, willRetry: boolean): Promise<void> {
    const { store, clock, events } = this.deps;
    const build = await store.privateBuilds.get(null, buildId);
    if (build === undefined) return;
    const log = new BuildLogWriter(buildId, store.logs, events, clock);
    log.system(
      willRetry
        ? `attempt ${build.attempts} failed on Goldsmith's side; retrying`
        : 'the build failed on Goldsmith’s side; start it again or ask the operators',
    );
    await log.flush();
    await this.update(build, {
      status: willRetry ? 'InProgress' : 'InternalError',
      internalError: error,
    });
  }

  private async source(
    imageId: string,
    progress: (line: string) => void,
    signal: AbortSignal,
  ): Promise<SourceRoot> {
    const base = await this.deps.bases.resolveImage(imageId, progress);
    if (base !== undefined) {
      return {
        image: base.image,
        rootDir: base.rootDir,
        description: `Goldsmith base image ${base.image.id}`,
      };
    }
    const image = await this.deps.store.images.get(null, imageId);
    if (image === undefined) throw new Error(`source image ${imageId} is gone`);
    const rootDir = await this.deps.roots.ensure(image, progress, signal);
    return { image, rootDir, description: `gold image ${image.id}` };
  }

  private async update(
    build: PrivateImageBuild,
    change: Omit<PrivateBuildUpdate, 'lastUpdateTime'>,
  ): Promise<void> {
    const before = (await this.deps.store.privateBuilds.get(null, build.id)) ?? build;
    const updated = await this.deps.store.privateBuilds.update(build.id, {
      ...change,
      lastUpdateTime: this.deps.clock.now().toISOString(),
    });
    this.deps.events.publish({
      type: 'private-build.updated',
      accountId: updated.accountId,
      buildId: updated.id,
      status: updated.status,
    });
    if (this.deps.notifier !== undefined && updated.status !== before.status) {
      await notifyStatus(this.deps.notifier, updated);
    }
  }
}

/** The model's ErrorDetail of a failed build: InstallFailed or the first finding's code. */
function errorDetailOf(findings: readonly Finding[]): PrivateBuildErrorDetail {
  const first = findings[0];
  if (first === undefined) return { code: 'InstallFailed', message: 'the build failed' };
  const failed = findings.find((f) => INSTALL_FAILED_CODES.has(f.code));
  if (failed !== undefined) return { code: 'InstallFailed', message: failed.message };
  return { code: first.code, message: first.message };
}
