import type {
  Account,
  ApiToken,
  BaseImage,
  BuildPhase,
  BuildState,
  Finding,
  Image,
  ImageKind,
  Job,
  LogLine,
  OsBuild,
  PackageGroup,
  PhaseTiming,
  StoredPackage,
  SupportCase,
} from '../domain/types.js';
import type {
  FulfillmentOption,
  LoadFormEntry,
  LoadFormSubmission,
  Product,
  ProductVersion,
  SubmissionMessage,
  SubmissionState,
  Subscription,
} from '../domain/publishing/publishing-types.js';
import type { StoredAccessKey } from '../domain/access-keys/access-key.js';
import type {
  PrivateBuildStatus,
  PrivateBuildUpdate,
  PrivateImageBuild,
} from '../domain/private-builds/private-build.js';
import type {
  StoredWebhookSecret,
  WebhookDelivery,
  WebhookDeliveryUpdate,
} from '../domain/webhooks/webhook-records.js';
import type { Instance, InstanceUpdate } from '../domain/instances/instance.js';
import type { JobRequirements, WorkerCapabilities } from '../domain/jobs/job-requirements.js';
import type { WorkerRecord, WorkerStatus } from '../domain/workers/worker-record.js';
import type { ImageExport, ImageExportFormat } from '../domain/images/image-export.js';

/**
 * The one seam between the domain and a database. Implementations: SQLite
 * (default, embedded) and PostgreSQL. Every method that reads an account's
 * resource takes the account id, so scoping cannot be forgotten.
 */
export interface Store {
  readonly accounts: AccountRepository;
  readonly tokens: TokenRepository;
  readonly accessKeys: AccessKeyRepository;
  readonly packages: PackageRepository;
  readonly packageGroups: PackageGroupRepository;
  readonly builds: BuildRepository;
  readonly logs: LogRepository;
  readonly images: ImageRepository;
  readonly imageExports: ImageExportRepository;
  readonly baseImages: BaseImageRepository;
  readonly jobs: JobQueue;
  readonly leases: LeaseRepository;
  readonly supportCases: SupportCaseRepository;
  readonly advisories: AdvisoryRepository;
  readonly scanCache: ScanCacheRepository;
  readonly submissions: SubmissionRepository;
  readonly products: ProductRepository;
  readonly subscriptions: SubscriptionRepository;
  readonly privateBuilds: PrivateBuildRepository;
  readonly webhooks: WebhookRepository;
  readonly instances: InstanceRepository;
  readonly workers: WorkerRepository;
  readonly consoleSessions: ConsoleSessionRepository;
  readonly coordination: CoordinationRepository;
  /** Runs `work` in one transaction; the store it receives is bound to it. */
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface AccountRepository {
  insert(account: Account): Promise<void>;
  get(id: string): Promise<Account | undefined>;
  list(): Promise<Account[]>;
  count(): Promise<number>;
}

export interface TokenRepository {
  insert(token: ApiToken): Promise<void>;
  findBySecretHash(secretHash: string): Promise<ApiToken | undefined>;
  listForAccount(accountId: string): Promise<ApiToken[]>;
  /** Returns false when no such token of that account existed. */
  delete(accountId: string, tokenId: string): Promise<boolean>;
}

/** Access keys for SigV4; only their encrypted secrets are stored. */
export interface AccessKeyRepository {
  insert(key: StoredAccessKey): Promise<void>;
  /** Unscoped: signature verification looks a key up by its id alone. */
  get(id: string): Promise<StoredAccessKey | undefined>;
  /** Oldest first. */
  listForAccount(accountId: string): Promise<StoredAccessKey[]>;
  countForAccount(accountId: string): Promise<number>;
  /** `accountId` null deletes any account's key (operators). False when nothing matched. */
  delete(accountId: string | null, id: string): Promise<boolean>;
  markUsed(id: string, at: string): Promise<void>;
}

export interface PackageRepository {
  insert(pkg: StoredPackage): Promise<void>;
  get(accountId: string, id: string): Promise<StoredPackage | undefined>;
  list(accountId: string): Promise<StoredPackage[]>;
}

export interface PackageGroupRepository {
  /**
   * Reserves `name` for the account forever and inserts the group. Returns
   * false, inserting nothing, when the name was ever used by that account.
   */
  insertReservingName(group: PackageGroup): Promise<boolean>;
  isNameUsed(accountId: string, name: string): Promise<boolean>;
  get(accountId: string, id: string): Promise<PackageGroup | undefined>;
  getByName(accountId: string, name: string): Promise<PackageGroup | undefined>;
  /** Newest first; deleted groups are left out. */
  list(accountId: string): Promise<PackageGroup[]>;
  markDeleted(accountId: string, id: string, at: string): Promise<boolean>;
}

/** Fields of a build that the pipeline changes as it runs. */
export interface BuildUpdate {
  readonly state?: BuildState;
  readonly imageId?: string | null;
  readonly baseImageId?: string | null;
  readonly baseDigest?: string | null;
  readonly scanReportDigest?: string | null;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
  readonly phases?: Readonly<Partial<Record<BuildPhase, PhaseTiming>>>;
  readonly findings?: readonly Finding[];
  readonly internalError?: string | null;
  readonly attempts?: number;
}

export interface BuildRepository {
  insert(build: OsBuild): Promise<void>;
  /** `accountId` null is the pipeline's own, unscoped read. */
  get(accountId: string | null, id: string): Promise<OsBuild | undefined>;
  listForGroup(accountId: string, packageGroupId: string): Promise<OsBuild[]>;
  /** Builds of many groups at once, for listing groups with their states. */
  listForGroups(accountId: string, packageGroupIds: readonly string[]): Promise<OsBuild[]>;
  update(id: string, update: BuildUpdate): Promise<OsBuild>;
  /** Every account's builds in a state, oldest submission first: the operators' queue. */
  listByState(state: BuildState): Promise<OsBuild[]>;
}

export interface LogRepository {
  /** Appends lines; sequence numbers continue from the build's last line. */
  append(buildId: string, lines: readonly Omit<LogLine, 'seq'>[]): Promise<void>;
  /** Lines with seq greater than `afterSeq`, oldest first, at most `limit`. */
  read(buildId: string, afterSeq: number, limit: number): Promise<LogLine[]>;
  /** The last `count` lines of one stream (or of all streams). */
  tail(buildId: string, count: number, stream?: LogLine['stream']): Promise<LogLine[]>;
}

export interface ImageRepository {
  insert(image: Image): Promise<void>;
  get(accountId: string | null, id: string): Promise<Image | undefined>;
  /** Images of one kind, of one account (or of every account when null), newest first. */
  listByKind(accountId: string | null, kind: ImageKind): Promise<Image[]>;
}

/** Downloadable image exports kept in the blob store, one per image and format. */
export interface ImageExportRepository {
  get(imageId: string, format: ImageExportFormat): Promise<ImageExport | undefined>;
  /** Records the export of an image in a format, replacing an earlier one (whose blob was lost). */
  save(record: ImageExport): Promise<void>;
}

export interface BaseImageRepository {
  insert(base: BaseImage): Promise<void>;
  /** The newest base image of an OS version. */
  latest(osVersion: string): Promise<BaseImage | undefined>;
  list(): Promise<BaseImage[]>;
}

export interface NewJob {
  readonly id: string;
  readonly kind: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly accountId: string | null;
  readonly maxAttempts: number;
  readonly runAfter: string;
  readonly createdAt: string;
  /** What the job needs of its worker; `{}` runs on any. */
  readonly requirements: JobRequirements;
}

/** What a heartbeat found: the owner still holds the job, lost it, or the job was cancelled. */
export type HeartbeatResult = 'held' | 'lost' | 'cancelled';

/** A durable queue with leases: a job whose worker died is claimed again once its lease ends. */
export interface JobQueue {
  enqueue(job: NewJob): Promise<void>;
  /**
   * Claims a runnable job of the given kinds (queued, or running with an
   * expired lease) whose requirements all fall in `capabilities`. Fair share:
   * the job of the account with the fewest jobs of these kinds running now,
   * then the oldest. Increments attempts. At most one owner holds a job.
   */
  claim(
    kinds: readonly string[],
    owner: string,
    now: string,
    leaseUntil: string,
    capabilities: WorkerCapabilities,
  ): Promise<Job | undefined>;
  /** Extends the lease while the owner holds the job; says why not otherwise. */
  heartbeat(id: string, owner: string, leaseUntil: string): Promise<HeartbeatResult>;
  /**
   * Ends a queued or running job as `cancelled`; it is never claimed again and
   * its worker learns at its next heartbeat. False when the job had already ended.
   */
  cancel(id: string, now: string): Promise<boolean>;
  /** How many of the account's jobs of these kinds are queued or running. */
  countActive(accountId: string, kinds: readonly string[]): Promise<number>;
  /** The account's queued and running jobs of these kinds, oldest first. */
  listActive(accountId: string, kinds: readonly string[]): Promise<Job[]>;
  /** Ends a job held by `owner`; false when it no longer holds it. */
  complete(
    id: string,
    owner: string,
    state: 'done' | 'failed',
    now: string,
    error?: string,
  ): Promise<boolean>;
  /** Gives a held job back to the queue to run again after `runAfter`. */
  release(id: string, owner: string, runAfter: string, error: string): Promise<boolean>;
  get(id: string): Promise<Job | undefined>;
  countByState(): Promise<Record<string, number>>;
  /** Queued and running jobs per kind and state, with the oldest one's creation time. */
  activeStats(): Promise<QueueStat[]>;
}

/** How many jobs of one kind are in one active state, and since when the oldest waits. */
export interface QueueStat {
  readonly kind: string;
  readonly state: 'queued' | 'running';
  readonly count: number;
  readonly oldestCreatedAt: string;
}

export interface SupportCaseRepository {
  insert(supportCase: SupportCase): Promise<void>;
  /** An account's cases, or every case when `accountId` is null; newest first. */
  list(accountId: string | null): Promise<SupportCase[]>;
}

/** Named, expiring locks for work that several processes may want to do once. */
export interface LeaseRepository {
  /** Takes the lease if it is free, expired, or already held by `owner`. */
  acquire(name: string, owner: string, now: string, until: string): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
}

/** One advisory as the store keeps it: the raw record plus the columns it is found by. */
export interface StoredAdvisory {
  readonly id: string;
  /** Fixed-format UTC timestamp (`YYYY-MM-DDTHH:MM:SS.ffffffZ`), so text order is time order. */
  readonly modified: string;
  readonly withdrawn: string | null;
  /** The source that imported it, e.g. `osv` or `debian-security`. */
  readonly source: string;
  /** Each (ecosystem, package name) the advisory affects, without duplicates. */
  readonly packages: readonly AdvisoryPackage[];
  /** The record's JSON text, as imported. */
  readonly raw: string;
}

export interface AdvisoryPackage {
  readonly ecosystem: string;
  readonly name: string;
}

/** What the advisory database holds, for `vulndb status`. */
export interface AdvisoryStatus {
  readonly records: number;
  /** Per ecosystem (a record affecting two ecosystems counts in both), by name. */
  readonly ecosystems: readonly {
    readonly ecosystem: string;
    readonly records: number;
    readonly newestModified: string;
  }[];
  /** Per source, by name: its records and when it was last imported. */
  readonly sources: readonly {
    readonly source: string;
    readonly records: number;
    readonly lastImportAt: string | null;
  }[];
}

/** Scan results kept per layer chain, analyzer and check versions and advisory snapshot. */
export interface ScanCacheRepository {
  /** The JSON text stored under `key`, if any. */
  get(key: string): Promise<string | undefined>;
  /** Stores (or replaces) `result` under `key`. */
  put(key: string, result: string, at: string): Promise<void>;
  /** Removes entries made before `before`; returns how many. */
  prune(before: string): Promise<number>;
}

/** Names the advisory database's current content cheaply; see AdvisoryRepository.snapshot. */
export interface AdvisoryDatabaseState {
  /** Bumped in the same transaction as every upsert and delete. */
  readonly generation: number;
  readonly records: number;
  /** Newest `modified` of any record; null when empty. */
  readonly newestModified: string | null;
}

/** The advisory database the scanner matches against. */
export interface AdvisoryRepository {
  /**
   * Inserts or replaces advisories by id, with their package rows, atomically.
   * Callers pass batches of a few thousand.
   */
  upsert(advisories: readonly StoredAdvisory[]): Promise<void>;
  /** Deletes advisories by id; returns how many existed. */
  delete(ids: readonly string[]): Promise<number>;
  /** The stored `modified` of each id that exists. */
  modifiedOf(ids: readonly string[]): Promise<Map<string, string>>;
  /** Advisories affecting any of `names` in `ecosystem`, by id. */
  findByPackages(ecosystem: string, names: readonly string[]): Promise<StoredAdvisory[]>;
  /** Notes that `source` finished an import at `at`. */
  recordImport(source: string, at: string): Promise<void>;
  status(): Promise<AdvisoryStatus>;
  /** The database's generation, size and newest record: cheap enough to ask on every scan. */
  state(): Promise<AdvisoryDatabaseState>;
}

/** Fields of a load form submission that its review changes. */
export interface SubmissionUpdate {
  readonly state: SubmissionState;
  readonly updatedAt: string;
  readonly conversation: readonly SubmissionMessage[];
  readonly fileName?: string;
  readonly workbookDigest?: string;
  readonly entries?: readonly LoadFormEntry[];
}

/** Load form submissions and their review conversations. */
export interface SubmissionRepository {
  insert(submission: LoadFormSubmission): Promise<void>;
  /** `accountId` null is the operators' unscoped read. */
  get(accountId: string | null, id: string): Promise<LoadFormSubmission | undefined>;
  /** An account's submissions, newest first. */
  listForAccount(accountId: string): Promise<LoadFormSubmission[]>;
  /** Every account's submissions (in one state, or all), oldest first: the review queue. */
  listByState(state: SubmissionState | null): Promise<LoadFormSubmission[]>;
  /**
   * Applies `update` only while the submission is still as the caller read it (same state
   * and `updatedAt`), so two concurrent actions cannot both win. False when it changed.
   */
  update(
    id: string,
    expected: { readonly state: SubmissionState; readonly updatedAt: string },
    update: SubmissionUpdate,
  ): Promise<boolean>;
}

/** Products, their software versions and fulfillment options. */
export interface ProductRepository {
  insertProduct(product: Product): Promise<void>;
  /** Replaces the descriptive fields of a product (not its id, seller or createdAt). */
  updateProduct(product: Product): Promise<void>;
  getProduct(id: string): Promise<Product | undefined>;
  /** A seller's product by its exact title (titles are unique per seller). */
  findProductByTitle(sellerAccountId: string, title: string): Promise<Product | undefined>;
  /** Every product, or one seller's, by title then id. */
  listProducts(sellerAccountId: string | null): Promise<Product[]>;
  insertVersion(version: ProductVersion): Promise<void>;
  /** The versions of some products, oldest first. */
  listVersions(productIds: readonly string[]): Promise<ProductVersion[]>;
  insertOption(option: FulfillmentOption): Promise<void>;
  getOption(id: string): Promise<FulfillmentOption | undefined>;
  /** The fulfillment options of some products, oldest first. */
  listOptions(productIds: readonly string[]): Promise<FulfillmentOption[]>;
  /** Makes an option public (and drops its test accounts); false when no such option. */
  makeOptionPublic(id: string): Promise<boolean>;
}

/** Buyers' subscriptions, one per (buyer, product). */
export interface SubscriptionRepository {
  /** Inserts unless the buyer already subscribed to the product; returns the one kept. */
  insertIfAbsent(subscription: Subscription): Promise<Subscription>;
  get(buyerAccountId: string, productId: string): Promise<Subscription | undefined>;
  /** A buyer's subscriptions, newest first. */
  list(buyerAccountId: string): Promise<Subscription[]>;
}

/** Webhook signing secrets (one per account) and the record of each delivery. */
export interface WebhookRepository {
  getSecret(accountId: string): Promise<StoredWebhookSecret | undefined>;
  /** Inserts unless the account already has a secret; returns the one kept. */
  insertSecretIfAbsent(secret: StoredWebhookSecret): Promise<StoredWebhookSecret>;
  insertDelivery(delivery: WebhookDelivery): Promise<void>;
  updateDelivery(id: string, update: WebhookDeliveryUpdate): Promise<void>;
  /** `accountId` null is the workers' and operators' unscoped read. */
  getDelivery(accountId: string | null, id: string): Promise<WebhookDelivery | undefined>;
  /** An account's deliveries, newest first, at most `limit`. */
  listDeliveries(accountId: string, limit: number): Promise<WebhookDelivery[]>;
}

/** Buyers' private image builds. */
export interface PrivateBuildRepository {
  insert(build: PrivateImageBuild): Promise<void>;
  /** `accountId` null is the pipeline's own, unscoped read. */
  get(accountId: string | null, id: string): Promise<PrivateImageBuild | undefined>;
  findByClientToken(accountId: string, clientToken: string): Promise<PrivateImageBuild | undefined>;
  /** An account's builds, newest first (start time, then id). */
  listForAccount(accountId: string): Promise<PrivateImageBuild[]>;
  countByStatus(accountId: string, status: PrivateBuildStatus): Promise<number>;
  update(id: string, update: PrivateBuildUpdate): Promise<PrivateImageBuild>;
}

/** Images launched as instances; their console lines live in the log repository. */
export interface InstanceRepository {
  insert(instance: Instance): Promise<void>;
  /** `accountId` null is the host's own, unscoped read. */
  get(accountId: string | null, id: string): Promise<Instance | undefined>;
  /** An account's instances, terminated ones included, newest first. */
  listForAccount(accountId: string): Promise<Instance[]>;
  /** An account's pending, running and stopping instances. */
  countActive(accountId: string): Promise<number>;
  /** Every account's instances that a process still hosts (`host` set), oldest first. */
  listHosted(): Promise<Instance[]>;
  update(id: string, update: InstanceUpdate): Promise<Instance>;
}

/** The registry of processes running build workers, for operators and metrics. */
export interface WorkerRepository {
  /** Adds a worker's row, or replaces the row of the same id. */
  register(worker: WorkerRecord): Promise<void>;
  /** Refreshes a worker's row; false when it is gone (e.g. pruned as silent), so it registers again. */
  refresh(id: string, status: WorkerStatus): Promise<boolean>;
  remove(id: string): Promise<void>;
  /** Workers seen at or after `seenSince`, by id. */
  listSeenSince(seenSince: string): Promise<WorkerRecord[]>;
  /** Deletes the rows of workers last seen before `seenBefore`; returns how many. */
  deleteSeenBefore(seenBefore: string): Promise<number>;
}

/** A web console session as stored: keyed by the hash of its cookie value, never the value. */
export interface StoredConsoleSession {
  readonly idHash: string;
  /** The API token, sealed with a key derived from the cookie value (JSON `SealedSecret`). */
  readonly sealedApiToken: string;
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
}

/** Console sessions shared by every API server on the database. */
export interface ConsoleSessionRepository {
  insert(session: StoredConsoleSession): Promise<void>;
  get(idHash: string): Promise<StoredConsoleSession | undefined>;
  touch(idHash: string, lastSeenAt: string): Promise<void>;
  delete(idHash: string): Promise<void>;
  /** Deletes sessions last seen before `lastSeenBefore` or created before `createdBefore`. */
  deleteExpired(lastSeenBefore: string, createdBefore: string): Promise<number>;
}

/** What API servers sharing one database agree on through it, so no process acts alone. */
export interface CoordinationRepository {
  /**
   * Records a SigV4 signature as accepted until `expiresAt`; false when it is already recorded
   * and not expired at `now` (a replay), on any server. Atomic across processes.
   */
  claimSignature(signature: string, expiresAt: string, now: string): Promise<boolean>;
  /** Deletes signatures expired before `now`; returns how many. */
  deleteExpiredSignatures(now: string): Promise<number>;
  /**
   * Claims the marker `name` for good; true for the one caller, in any process, that inserts it.
   * In a transaction, a concurrent claimer waits for it and wins only if it rolls back.
   */
  claimOnce(name: string, at: string): Promise<boolean>;
}
