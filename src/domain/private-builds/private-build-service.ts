import { createHash } from 'node:crypto';

import { DomainError } from '../../errors/domain-error.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Store } from '../../store/store.js';
import { findOsVersion, type OsVersion } from '../catalog/os-catalog.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import { checkAccountQueue } from '../jobs/account-queue.js';
import { requirementsForOs } from '../jobs/job-requirements.js';
import { isOptionVisible } from '../publishing/publishing-rules.js';
import type { Account, Image, LogLine } from '../types.js';
import type { LinkedStream, LogLinkSigner } from './log-link-signer.js';
import {
  PRIVATE_BUILD_JOB,
  type PrivateBuildProduct,
  type PrivateImageBuild,
} from './private-build.js';
import {
  checkDestinationDescription,
  checkDestinationName,
  FILTER_NAMES,
  osFamilyOf,
  STATUS_FILTER_VALUES,
} from './private-build-rules.js';

/** What a buyer asks for (the model's StartBuildRequest, plus tags and a webhook). */
export interface StartPrivateBuild {
  readonly fulfillmentOptionIds: readonly string[];
  readonly sourceImageId: string;
  readonly destinationName: string;
  readonly destinationDescription?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly webhookUrl?: string;
  readonly clientToken?: string;
}

/** One filter of DescribeBuilds. */
export interface BuildFilter {
  readonly name: string;
  readonly values: readonly string[];
}

/** DescribeBuilds' query. */
export interface DescribeBuildsQuery {
  readonly buildIds?: readonly string[];
  readonly filters?: readonly BuildFilter[];
  readonly maxResults?: number;
  readonly nextToken?: string;
}

/** A page of builds, newest first. */
export interface BuildPage {
  readonly builds: PrivateImageBuild[];
  readonly nextToken: string | undefined;
}

/** Sends a status change to the buyer's webhook (WebhookNotifier). */
export interface BuildNotifier {
  notify(
    accountId: string,
    url: string,
    event: { readonly type: string; readonly id: string; readonly [key: string]: unknown },
  ): Promise<unknown>;
}

export interface PrivateBuildServiceOptions {
  readonly jobMaxAttempts: number;
  /** Builds InProgress at once per account. */
  readonly concurrentBuildLimit: number;
  /** Build jobs (seller and buyer) one account may have queued or running at once. */
  readonly accountQueueLimit: number;
  /** Checks a webhook URL, throwing INVALID_WEBHOOK_URL (the webhooks' own rule). */
  readonly checkWebhookUrl: (url: string) => void;
  /** Tells the buyer's webhook that a build started; absent, nothing is sent. */
  readonly notifier?: BuildNotifier;
}

/** Queues the webhook notification of a build's current status, when it has a webhook. */
export async function notifyStatus(
  notifier: BuildNotifier,
  build: PrivateImageBuild,
): Promise<void> {
  if (build.webhookUrl === null) return;
  await notifier.notify(build.accountId, build.webhookUrl, {
    type: 'private-image-build.status-changed',
    id: build.id,
    status: build.status,
    imageId: build.imageId,
    errorDetail: build.errorDetail,
  });
}

const DEFAULT_MAX_RESULTS = 50;
const MAX_RESULTS = 50;
const MAX_BUILD_IDS = 50;

/**
 * Buyers' private image builds: validates and starts them (one queued job
 * each), and reads them back, only ever the caller's own.
 */
export class PrivateBuildService {
  constructor(
    private readonly store: Store,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly links: LogLinkSigner,
    private readonly options: PrivateBuildServiceOptions,
  ) {}

  /**
   * Starts a build after checking every parameter; the same client token with
   * the same parameters returns the first build (`created` false).
   */
  async start(
    buyer: Account,
    request: StartPrivateBuild,
  ): Promise<{ build: PrivateImageBuild; created: boolean }> {
    // Sellers and operators without the buyer role never subscribe, so they may not build.
    if (!buyer.roles.includes('buyer')) {
      throw new DomainError('UNAUTHORIZED_OPERATION', 'private image builds need the buyer role');
    }
    const requestHash = hashRequest(request);
    if (request.clientToken !== undefined) {
      const first = await this.store.privateBuilds.findByClientToken(buyer.id, request.clientToken);
      if (first !== undefined)
        return { build: this.sameRequest(first, requestHash), created: false };
    }
    checkDestinationName(request.destinationName);
    checkDestinationDescription(request.destinationDescription);
    if (request.webhookUrl !== undefined) this.options.checkWebhookUrl(request.webhookUrl);
    const [optionId, ...more] = request.fulfillmentOptionIds;
    if (optionId === undefined || more.length > 0) {
      // One package group per sandbox run; several would need their installs chained.
      throw new DomainError(
        'INVALID_FULFILLMENT_OPTION_ID',
        'give exactly one fulfillment option id; Goldsmith installs one product per build',
      );
    }
    const option = await this.store.products.getOption(optionId);
    const product = option && (await this.store.products.getProduct(option.productId));
    if (
      option === undefined ||
      product === undefined ||
      !isOptionVisible(option, product, buyer.id)
    ) {
      throw new DomainError(
        'INVALID_FULFILLMENT_OPTION_ID',
        `fulfillment option ${optionId} does not exist`,
      );
    }
    if ((await this.store.subscriptions.get(buyer.id, product.id)) === undefined) {
      throw new DomainError(
        'SUBSCRIPTION_NOT_FOUND',
        `you are not subscribed to ${product.title} (${product.id})`,
      );
    }
    const { image: source, os: sourceOs } = await this.sourceImage(buyer, request.sourceImageId);
    const family = osFamilyOf(source.osVersion);
    const families = [...new Set(option.osVersions.map(osFamilyOf))];
    if (!families.includes(family)) {
      throw new DomainError(
        'INSTALLER_MISMATCH',
        `${product.title} is built for ${families.join(', ')}; image ${source.id} runs ${source.osVersion}`,
      );
    }
    const version = (await this.store.products.listVersions([product.id])).find(
      (v) => v.id === option.versionId,
    );
    const products: PrivateBuildProduct[] = [
      { id: product.id, version: version?.version ?? '', title: product.title },
    ];

    const now = this.clock.now().toISOString();
    const build: PrivateImageBuild = {
      id: newId('bld'),
      accountId: buyer.id,
      fulfillmentOptionIds: [optionId],
      sourceImageId: source.id,
      destinationName: request.destinationName,
      destinationDescription: request.destinationDescription ?? null,
      tags: request.tags ?? {},
      webhookUrl: request.webhookUrl ?? null,
      clientToken: request.clientToken ?? null,
      requestHash,
      status: 'InProgress',
      errorDetail: null,
      findings: [],
      imageId: null,
      scanReportDigest: null,
      products,
      internalError: null,
      attempts: 0,
      startTime: now,
      lastUpdateTime: now,
    };
    const outcome = await this.store.transaction(async (tx) => {
      if (request.clientToken !== undefined) {
        const first = await tx.privateBuilds.findByClientToken(buyer.id, request.clientToken);
        if (first !== undefined)
          return { build: this.sameRequest(first, requestHash), created: false };
      }
      const running = await tx.privateBuilds.countByStatus(buyer.id, 'InProgress');
      if (running >= this.options.concurrentBuildLimit) {
        throw new DomainError(
          'BUILD_LIMIT_EXCEEDED',
          `${running} builds are in progress, the most allowed at once`,
        );
      }
      await checkAccountQueue(tx.jobs, buyer.id, 1, this.options.accountQueueLimit);
      await tx.privateBuilds.insert(build);
      await tx.jobs.enqueue({
        id: newId('job'),
        kind: PRIVATE_BUILD_JOB,
        payload: { buildId: build.id },
        accountId: buyer.id,
        maxAttempts: this.options.jobMaxAttempts,
        runAfter: now,
        createdAt: now,
        // The build installs onto the source image, so it runs where that image's OS runs.
        requirements: requirementsForOs(sourceOs),
      });
      return { build, created: true };
    });
    if (outcome.created) {
      this.events.publish({ type: 'job.enqueued', kind: PRIVATE_BUILD_JOB });
      if (this.options.notifier !== undefined) await notifyStatus(this.options.notifier, build);
    }
    return outcome;
  }

  /** One of the caller's builds; another account's is not found. */
  async get(viewer: Account, buildId: string): Promise<PrivateImageBuild> {
    const build = await this.store.privateBuilds.get(viewer.id, buildId);
    if (build === undefined)
      throw new DomainError('BUILD_ID_NOT_FOUND', `build ${buildId} not found`);
    return build;
  }

  /** The caller's builds matching the ids and filters, newest first, a page at a time. */
  async describe(viewer: Account, query: DescribeBuildsQuery): Promise<BuildPage> {
    const limit = query.maxResults ?? DEFAULT_MAX_RESULTS;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS) {
      throw new DomainError('INVALID_MAX_RESULTS', `MaxResults must be 1 to ${MAX_RESULTS}`);
    }
    const ids = query.buildIds;
    if (ids !== undefined && (ids.length > MAX_BUILD_IDS || new Set(ids).size !== ids.length)) {
      throw new DomainError('INVALID_BUILD_ID', `give 1 to ${MAX_BUILD_IDS} distinct build ids`);
    }
    const matches = compileFilters(query.filters ?? []);
    // An account has few builds; filtering them here keeps the SQL one simple ordered scan.
    const all = (await this.store.privateBuilds.listForAccount(viewer.id)).filter(
      (b) => (ids === undefined || ids.includes(b.id)) && matches(b),
    );
    let start = 0;
    if (query.nextToken !== undefined) {
      const after = decodeToken(query.nextToken);
      start = all.findIndex((b) => b.id === after) + 1;
      if (start === 0) throw new DomainError('INVALID_NEXT_TOKEN', 'the NextToken is not valid');
    }
    const builds = all.slice(start, start + limit);
    const last = builds.at(-1);
    const more = start + limit < all.length;
    return { builds, nextToken: more && last !== undefined ? encodeToken(last.id) : undefined };
  }

  /** The lines of one output stream of the caller's build. */
  async logs(viewer: Account, buildId: string, stream: LinkedStream): Promise<LogLine[]> {
    await this.get(viewer, buildId);
    return this.readStream(buildId, stream);
  }

  /** The lines of one output stream, for a request that holds a valid signed link. */
  async logsByLink(
    buildId: string,
    stream: LinkedStream,
    expires: number,
    signature: string,
  ): Promise<LogLine[]> {
    this.links.verify(buildId, stream, expires, signature);
    if ((await this.store.privateBuilds.get(null, buildId)) === undefined)
      throw new DomainError('BUILD_ID_NOT_FOUND', `build ${buildId} not found`);
    return this.readStream(buildId, stream);
  }

  /** Fresh expiring links to a build's stdout and stderr, under `baseUrl`. */
  logLinks(build: PrivateImageBuild, baseUrl: string): { stdout: string; stderr: string } {
    const link = (stream: LinkedStream) =>
      `${baseUrl}/v1/private-image-builds/${build.id}/logs?${this.links.sign(build.id, stream)}`;
    return { stdout: link('stdout'), stderr: link('stderr') };
  }

  /** The caller's private images, newest first. */
  async images(viewer: Account): Promise<Image[]> {
    return this.store.images.listByKind(viewer.id, 'private');
  }

  /** One of the caller's private images; any other image is not found. */
  async image(viewer: Account, imageId: string): Promise<Image> {
    const image = await this.store.images.get(viewer.id, imageId);
    if (image === undefined || image.kind !== 'private')
      throw new DomainError('IMAGE_NOT_FOUND', `private image ${imageId} not found`);
    return image;
  }

  private async readStream(buildId: string, stream: LinkedStream): Promise<LogLine[]> {
    return this.store.logs.tail(buildId, 1_000_000, stream);
  }

  private sameRequest(first: PrivateImageBuild, requestHash: string): PrivateImageBuild {
    if (first.requestHash !== requestHash) {
      throw new DomainError(
        'IDEMPOTENT_PARAMETER_MISMATCH',
        `client token ${first.clientToken ?? ''} was used for build ${first.id} with other parameters`,
      );
    }
    return first;
  }

  /** An image the buyer may build on: its own gold image or a base image of a catalog OS. */
  private async sourceImage(
    buyer: Account,
    imageId: string,
  ): Promise<{ image: Image; os: OsVersion }> {
    const image = await this.store.images.get(null, imageId);
    const usable =
      image !== undefined &&
      (image.kind === 'base' || (image.kind === 'gold' && image.accountId === buyer.id));
    if (!usable) throw new DomainError('INVALID_SOURCE_IMAGE_ID', `image ${imageId} not found`);
    const os = findOsVersion(image.osVersion);
    if (os === undefined) {
      throw new DomainError(
        'INVALID_SOURCE_IMAGE_ID',
        `image ${imageId} runs ${image.osVersion}, which Goldsmith cannot build on`,
      );
    }
    return { image, os };
  }
}

/** sha256 of the parameters in a fixed order, so a retry with the same ones matches. */
function hashRequest(request: StartPrivateBuild): string {
  const canonical = JSON.stringify([
    request.fulfillmentOptionIds,
    request.sourceImageId,
    request.destinationName,
    request.destinationDescription ?? null,
    Object.entries(request.tags ?? {}).sort(([a], [b]) => a.localeCompare(b)),
    request.webhookUrl ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function compileFilters(filters: readonly BuildFilter[]): (build: PrivateImageBuild) => boolean {
  const tests = filters.map((filter): ((b: PrivateImageBuild) => boolean) => {
    if (!(FILTER_NAMES as readonly string[]).includes(filter.name) || filter.values.length === 0) {
      throw new DomainError(
        'INVALID_FILTER',
        `unknown filter ${filter.name}; use ${FILTER_NAMES.join(', ')} with at least one value`,
      );
    }
    const values = filter.values;
    switch (filter.name) {
      case 'build-id':
        return (b) => values.includes(b.id);
      case 'fulfillment-option-id':
        return (b) => b.fulfillmentOptionIds.some((id) => values.includes(id));
      case 'product-id':
        return (b) => b.products.some((p) => values.includes(p.id));
      default: {
        const statuses = values.map((v) => {
          const status = STATUS_FILTER_VALUES[v];
          if (status === undefined)
            throw new DomainError('INVALID_FILTER', `unknown status ${v} in the status filter`);
          return status;
        });
        return (b) => statuses.includes(b.status);
      }
    }
  });
  return (build) => tests.every((test) => test(build));
}

function encodeToken(buildId: string): string {
  return Buffer.from(`after:${buildId}`).toString('base64url');
}

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith('after:'))
    throw new DomainError('INVALID_NEXT_TOKEN', 'the NextToken is not valid');
  return text.slice('after:'.length);
}
