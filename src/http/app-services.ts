import type { AccessKeyService } from '../domain/access-keys/access-key-service.js';
import type { AccountService } from '../domain/accounts/account-service.js';
import type { BuildService } from '../domain/builds/build-service.js';
import type { InvestigationService } from '../domain/builds/investigation-service.js';
import type { Clock } from '../domain/clock.js';
import type { GoldImageService } from '../domain/gold-images/gold-image-service.js';
import type { ImageService } from '../domain/images/image-service.js';
import type { InstanceService } from '../domain/instances/instance-service.js';
import type { PackageGroupService } from '../domain/package-groups/package-group-service.js';
import type { PackageService } from '../domain/packages/package-service.js';
import type { PrivateBuildService } from '../domain/private-builds/private-build-service.js';
import type { BaseImageCatalog } from '../domain/base-images/base-image-catalog.js';
import type { CatalogService } from '../domain/publishing/catalog-service.js';
import type { LoadFormService } from '../domain/publishing/load-form-service.js';
import type { ReviewService } from '../domain/publishing/review-service.js';
import type { SubmissionService } from '../domain/publishing/submission-service.js';
import type { SubscriptionService } from '../domain/publishing/subscription-service.js';
import type { WebhookNotifier } from '../domain/webhooks/webhook-notifier.js';
import type { WebhookSecretService } from '../domain/webhooks/webhook-secrets.js';
import type { VulnerabilityDatabaseService } from '../domain/advisories/vulnerability-database-service.js';
import type { EventBus } from '../events/event-bus.js';
import type { WorkerRegistry } from '../domain/workers/worker-registry.js';
import type { GoldsmithMetrics } from '../observability/goldsmith-metrics.js';
import type { ConsoleSessionRepository, CoordinationRepository } from '../store/store.js';

/** The domain services the HTTP API is a thin edge over. */
export interface AppServices {
  readonly accounts: AccountService;
  readonly accessKeys: AccessKeyService;
  readonly packages: PackageService;
  readonly packageGroups: PackageGroupService;
  readonly builds: BuildService;
  readonly investigations: InvestigationService;
  readonly images: ImageService;
  readonly instances: InstanceService;
  readonly goldImages: GoldImageService;
  readonly baseImages: BaseImageCatalog;
  readonly loadForms: LoadFormService;
  readonly submissions: SubmissionService;
  readonly review: ReviewService;
  readonly products: CatalogService;
  readonly subscriptions: SubscriptionService;
  readonly privateBuilds: PrivateBuildService;
  readonly vulnerabilityDatabase: VulnerabilityDatabaseService;
  /** Call `webhooks.notify` on every status change that has a webhook. */
  readonly webhooks: WebhookNotifier;
  readonly webhookSecrets: WebhookSecretService;
  /** The cluster's live build workers. */
  readonly workers: WorkerRegistry;
  /** Where console sessions live, so every API server on the database shares them. */
  readonly consoleSessions: ConsoleSessionRepository;
  /** What API servers agree on through the database, such as the SigV4 signatures already seen. */
  readonly coordination: CoordinationRepository;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly metrics: GoldsmithMetrics;
  /** What keeps this process from serving: an empty list when the database and blobs answer. */
  readonly readiness: () => Promise<string[]>;
}
