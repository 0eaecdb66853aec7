import type { Kysely, Transaction } from 'kysely';

import type {
  AccessKeyRepository,
  AccountRepository,
  AdvisoryRepository,
  ScanCacheRepository,
  BaseImageRepository,
  BuildRepository,
  ConsoleSessionRepository,
  CoordinationRepository,
  ImageExportRepository,
  ImageRepository,
  InstanceRepository,
  JobQueue,
  LeaseRepository,
  LogRepository,
  PackageGroupRepository,
  PackageRepository,
  PrivateBuildRepository,
  Store,
  ProductRepository,
  SubmissionRepository,
  SubscriptionRepository,
  SupportCaseRepository,
  TokenRepository,
  WebhookRepository,
  WorkerRepository,
} from '../store.js';
import type { Database } from './database-schema.js';
import { SqlAccessKeyRepository } from './sql-access-key-repository.js';
import { SqlAccountRepository } from './sql-account-repository.js';
import { SqlAdvisoryRepository } from './sql-advisory-repository.js';
import { SqlScanCacheRepository } from './sql-scan-cache-repository.js';
import { SqlBaseImageRepository } from './sql-base-image-repository.js';
import { SqlBuildRepository } from './sql-build-repository.js';
import { SqlConsoleSessionRepository } from './sql-console-session-repository.js';
import { SqlCoordinationRepository } from './sql-coordination-repository.js';
import type { SqlCapabilities } from './sql-capabilities.js';
import { SqlImageExportRepository } from './sql-image-export-repository.js';
import { SqlImageRepository } from './sql-image-repository.js';
import { SqlInstanceRepository } from './sql-instance-repository.js';
import { SqlJobQueue } from './sql-job-queue.js';
import { SqlLeaseRepository } from './sql-lease-repository.js';
import { SqlLogRepository } from './sql-log-repository.js';
import { SqlPackageGroupRepository } from './sql-package-group-repository.js';
import { SqlPackageRepository } from './sql-package-repository.js';
import { SqlPrivateBuildRepository } from './sql-private-build-repository.js';
import { SqlProductRepository } from './sql-product-repository.js';
import { SqlSubmissionRepository } from './sql-submission-repository.js';
import { SqlSubscriptionRepository } from './sql-subscription-repository.js';
import { SqlSupportCaseRepository } from './sql-support-case-repository.js';
import { SqlTokenRepository } from './sql-token-repository.js';
import { SqlWebhookRepository } from './sql-webhook-repository.js';
import { SqlWorkerRepository } from './sql-worker-repository.js';

/**
 * The Store on Kysely, for any engine. `db` is either the database or a
 * transaction; the engine's differences arrive as `capabilities`.
 */
export class SqlStore implements Store {
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
  readonly #db: Kysely<Database>;
  readonly #capabilities: SqlCapabilities;

  constructor(db: Kysely<Database>, capabilities: SqlCapabilities) {
    this.#db = db;
    this.#capabilities = capabilities;
    this.accounts = new SqlAccountRepository(db);
    this.tokens = new SqlTokenRepository(db);
    this.accessKeys = new SqlAccessKeyRepository(db);
    this.packages = new SqlPackageRepository(db);
    this.packageGroups = new SqlPackageGroupRepository(db);
    this.builds = new SqlBuildRepository(db);
    this.logs = new SqlLogRepository(db);
    this.images = new SqlImageRepository(db);
    this.imageExports = new SqlImageExportRepository(db);
    this.baseImages = new SqlBaseImageRepository(db);
    this.jobs = new SqlJobQueue(db, capabilities);
    this.leases = new SqlLeaseRepository(db);
    this.supportCases = new SqlSupportCaseRepository(db);
    this.advisories = new SqlAdvisoryRepository(db);
    this.scanCache = new SqlScanCacheRepository(db);
    this.submissions = new SqlSubmissionRepository(db);
    this.products = new SqlProductRepository(db);
    this.subscriptions = new SqlSubscriptionRepository(db);
    this.privateBuilds = new SqlPrivateBuildRepository(db);
    this.webhooks = new SqlWebhookRepository(db);
    this.instances = new SqlInstanceRepository(db);
    this.workers = new SqlWorkerRepository(db);
    this.consoleSessions = new SqlConsoleSessionRepository(db);
    this.coordination = new SqlCoordinationRepository(db);
  }

  /**
   * A transaction-bound store joins its own transaction instead of nesting
   * one, so an error anywhere rolls back the whole unit. Inside `work`, use
   * only `tx`: on SQLite the outer store waits for the transaction to end.
   */
  async transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.#db.isTransaction) return work(this);
    return this.#db
      .transaction()
      .execute((trx: Transaction<Database>) => work(new SqlStore(trx, this.#capabilities)));
  }

  /** Closes the connections; a transaction-bound store has none of its own to close. */
  async close(): Promise<void> {
    if (this.#db.isTransaction) {
      throw new Error('a transaction-bound store cannot be closed; close the store that began it');
    }
    await this.#db.destroy();
  }
}
