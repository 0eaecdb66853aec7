import type { ColumnType } from 'kysely';

/*
 * Row types of Goldsmith's tables, as Kysely sees them. Timestamps are
 * ISO-8601 UTC text and JSON fields are JSON text, so one schema serves SQLite
 * and PostgreSQL alike.
 */

/** A PostgreSQL `bigint` comes back as a string, a SQLite integer as a number. */
type BigIntColumn = ColumnType<number | string, number, number>;

/** The accounts table. */
export interface AccountsTable {
  id: string;
  name: string;
  /** JSON array of roles. */
  roles: string;
  created_at: string;
}

/** The api_tokens table. */
export interface ApiTokensTable {
  id: string;
  account_id: string;
  name: string;
  secret_hash: string;
  created_at: string;
}

/** The access_keys table: SigV4 keys, secrets AES-256-GCM encrypted. */
export interface AccessKeysTable {
  id: string;
  account_id: string;
  secret_ciphertext: string;
  secret_nonce: string;
  created_at: string;
  last_used_at: string | null;
}

/** The packages table. */
export interface PackagesTable {
  id: string;
  account_id: string;
  file_name: string;
  digest: string;
  size: BigIntColumn;
  created_at: string;
}

/** The package_groups table. */
export interface PackageGroupsTable {
  id: string;
  account_id: string;
  name: string;
  platform: string;
  /** JSON array of OS versions. */
  os_versions: string;
  /** JSON array of group packages. */
  packages: string;
  created_at: string;
  deleted_at: string | null;
}

/** Every name an account ever gave a package group; rows are never deleted. */
export interface PackageGroupNamesTable {
  account_id: string;
  name: string;
  package_group_id: string;
}

/** The builds table: one OS build each. */
export interface BuildsTable {
  id: string;
  account_id: string;
  package_group_id: string;
  os_version: string;
  state: string;
  image_id: string | null;
  base_image_id: string | null;
  base_digest: string | null;
  scan_report_digest: string | null;
  submitted_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** JSON object of phase timings. */
  phases: string;
  /** JSON array of findings. */
  findings: string;
  internal_error: string | null;
  attempts: number;
}

/** The log_lines table. */
export interface LogLinesTable {
  build_id: string;
  seq: number;
  at: string;
  stream: string;
  text: string;
}

/** The last sequence number handed out per build; its row is the appenders' lock. */
export interface LogSequencesTable {
  build_id: string;
  last_seq: number;
}

/** The images table. */
export interface ImagesTable {
  id: string;
  account_id: string;
  kind: string;
  os_version: string;
  manifest_digest: string;
  config_digest: string;
  /** JSON array of layers. */
  layers: string;
  parent_image_id: string | null;
  sbom_digest: string | null;
  scan_report_digest: string | null;
  created_at: string;
}

/** Image exports made once into the blob store, by image and format. */
export interface ImageExportsTable {
  image_id: string;
  format: string;
  digest: string;
  size: BigIntColumn;
  created_at: string;
}

/** The base_images table. */
export interface BaseImagesTable {
  image_id: string;
  os_version: string;
  root_digest: string;
  /** JSON object describing how the base was made. */
  recipe: string;
  created_at: string;
}

/** The jobs table. */
export interface JobsTable {
  id: string;
  kind: string;
  /** JSON object. */
  payload: string;
  account_id: string | null;
  state: string;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  run_after: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  /** What the job needs of its worker; NULL means any. */
  req_platform: string | null;
  req_os_family: string | null;
  req_isolation: string | null;
}

/** The leases table: named, expiring locks. */
export interface LeasesTable {
  name: string;
  owner: string;
  expires_at: string;
}

/** Every table of the Goldsmith database. */
/** The support_cases table. */
export interface SupportCasesTable {
  id: string;
  account_id: string;
  build_id: string;
  message: string;
  state: string;
  created_at: string;
}

/** Every table, by name. */
export interface Database {
  support_cases: SupportCasesTable;
  accounts: AccountsTable;
  api_tokens: ApiTokensTable;
  access_keys: AccessKeysTable;
  packages: PackagesTable;
  package_groups: PackageGroupsTable;
  package_group_names: PackageGroupNamesTable;
  builds: BuildsTable;
  log_lines: LogLinesTable;
  log_sequences: LogSequencesTable;
  images: ImagesTable;
  image_exports: ImageExportsTable;
  base_images: BaseImagesTable;
  jobs: JobsTable;
  leases: LeasesTable;
  advisories: AdvisoriesTable;
  advisory_packages: AdvisoryPackagesTable;
  advisory_imports: AdvisoryImportsTable;
  scan_cache: ScanCacheTable;
  advisory_state: AdvisoryStateTable;
  load_form_submissions: LoadFormSubmissionsTable;
  products: ProductsTable;
  product_versions: ProductVersionsTable;
  fulfillment_options: FulfillmentOptionsTable;
  subscriptions: SubscriptionsTable;
  private_builds: PrivateBuildsTable;
  webhook_secrets: WebhookSecretsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  instances: InstancesTable;
  workers: WorkersTable;
  console_sessions: ConsoleSessionsTable;
  seen_signatures: SeenSignaturesTable;
  once_markers: OnceMarkersTable;
}

/** SigV4 signatures accepted by any API server, kept until their request can no longer be fresh. */
export interface SeenSignaturesTable {
  signature: string;
  expires_at: string;
}

/** Markers of what happens once per database, such as creating the first operator. */
export interface OnceMarkersTable {
  name: string;
  claimed_at: string;
}

/** The advisories table: one vulnerability record each, raw JSON kept whole. */
export interface AdvisoriesTable {
  id: string;
  /** Fixed-format UTC timestamp, compared as text. */
  modified: string;
  withdrawn: string | null;
  source: string;
  /** The record's JSON text. */
  raw: string;
}

/** One row per (ecosystem, package name) an advisory affects: the matcher's lookup. */
export interface AdvisoryPackagesTable {
  ecosystem: string;
  name: string;
  advisory_id: string;
}

/** When each advisory source was last imported. */
export interface AdvisoryImportsTable {
  source: string;
  imported_at: string;
}

/** Scan results per layer chain, analyzer versions and advisory snapshot (the key says which). */
export interface ScanCacheTable {
  cache_key: string;
  /** The cached result's JSON text. */
  result: string;
  created_at: string;
}

/** One row: the advisory database's generation, bumped by every change to it. */
export interface AdvisoryStateTable {
  id: number;
  generation: number | string | bigint;
}

/** Load form submissions; entries and conversation are JSON text, kept whole. */
export interface LoadFormSubmissionsTable {
  id: string;
  account_id: string;
  description: string;
  file_name: string;
  workbook_digest: string;
  /** JSON array of load form entries. */
  entries: string;
  state: string;
  submitted_at: string;
  /** YYYY-MM-DD. */
  target_date: string;
  updated_at: string;
  /** JSON array of messages. */
  conversation: string;
}

/** Products of the catalog; (seller_account_id, title) is unique. */
export interface ProductsTable {
  id: string;
  seller_account_id: string;
  title: string;
  short_description: string;
  long_description: string;
  /** JSON array. */
  highlights: string;
  /** JSON array. */
  categories: string;
  /** JSON array. */
  search_keywords: string;
  vendor_name: string;
  support_contact: string;
  eula_url: string;
  usage_instructions: string;
  created_at: string;
  updated_at: string;
}

/** Software versions; (product_id, version) is unique. */
export interface ProductVersionsTable {
  id: string;
  product_id: string;
  version: string;
  release_notes: string;
  created_at: string;
}

/** Fulfillment options; (version_id, package_group_id) is unique. */
export interface FulfillmentOptionsTable {
  id: string;
  product_id: string;
  version_id: string;
  delivery_method: string;
  package_group_id: string;
  package_group_name: string;
  /** JSON array. */
  os_versions: string;
  /** JSON array. */
  image_ids: string;
  visibility: string;
  /** JSON array of account ids. */
  test_account_ids: string;
  created_at: string;
}

/** Subscriptions; (buyer_account_id, product_id) is unique. */
export interface SubscriptionsTable {
  id: string;
  buyer_account_id: string;
  product_id: string;
  eula_url: string;
  created_at: string;
}

/** The webhook_secrets table: one signing secret per account, AES-256-GCM encrypted. */
export interface WebhookSecretsTable {
  account_id: string;
  secret_ciphertext: string;
  secret_nonce: string;
  created_at: string;
}

/** The webhook_deliveries table: each notification and how its attempts went. */
export interface WebhookDeliveriesTable {
  id: string;
  account_id: string;
  url: string;
  event_type: string;
  event_id: string;
  status: string;
  attempts: number;
  max_attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

/** Buyers' private image builds; (account_id, client_token) is unique. */
export interface PrivateBuildsTable {
  id: string;
  account_id: string;
  /** JSON array. */
  fulfillment_option_ids: string;
  source_image_id: string;
  destination_name: string;
  destination_description: string | null;
  /** JSON object. */
  tags: string;
  webhook_url: string | null;
  client_token: string | null;
  request_hash: string;
  status: string;
  /** JSON `{code, message}`. */
  error_detail: string | null;
  /** JSON array. */
  findings: string;
  image_id: string | null;
  scan_report_digest: string | null;
  /** JSON array of `{id, version, title}`. */
  products: string;
  internal_error: string | null;
  attempts: number;
  start_time: string;
  last_update_time: string;
}

/** Images launched as instances on the Goldsmith host; console lines go to log_lines. */
export interface InstancesTable {
  id: string;
  account_id: string;
  image_id: string;
  /** JSON array of the argv; NULL while a default command is still being chosen. */
  command: string | null;
  /** 1 when the image's init (or its stand-in) runs, 0 for a command the caller gave. */
  default_command: number;
  state: string;
  state_reason: string | null;
  exit_code: number | null;
  launched_at: string;
  stopped_at: string | null;
  terminated_at: string | null;
  host: string | null;
}

/** Processes running build workers; a row not refreshed for a while belongs to a gone process. */
export interface WorkersTable {
  id: string;
  host: string;
  pid: number;
  role: string;
  /** JSON `WorkerCapabilities`. */
  capabilities: string;
  concurrency: number;
  busy: number;
  /** 1 while the process lets its running jobs finish before it stops. */
  draining: number;
  started_at: string;
  last_seen_at: string;
}

/** Web console sessions, keyed by the SHA-256 of the cookie value. */
export interface ConsoleSessionsTable {
  id_hash: string;
  /** JSON `SealedSecret`: the API token, encrypted with a key only the cookie value gives. */
  sealed_api_token: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
}
