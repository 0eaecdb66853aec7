import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';

import type { Database } from './database-schema.js';

/*
 * Written with Kysely's schema builder and portable column types only (text,
 * integer, bigint), so the same migrations build the SQLite and the PostgreSQL
 * schema. Timestamps are fixed-format ISO-8601 UTC text, so text order is time
 * order on both engines.
 */

const initialSchema: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('api_tokens_account_idx')
      .on('api_tokens')
      .columns(['account_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('packages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('packages_account_idx')
      .on('packages')
      .columns(['account_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('package_groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('os_versions', 'text', (c) => c.notNull())
      .addColumn('packages', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    await db.schema
      .createIndex('package_groups_account_idx')
      .on('package_groups')
      .columns(['account_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('package_groups_name_idx')
      .on('package_groups')
      .columns(['account_id', 'name'])
      .execute();

    // The name reservation outlives the group: this table is never deleted from.
    await db.schema
      .createTable('package_group_names')
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('package_group_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('package_group_names_pk', ['account_id', 'name'])
      .execute();

    await db.schema
      .createTable('builds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('package_group_id', 'text', (c) => c.notNull().references('package_groups.id'))
      .addColumn('os_version', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('image_id', 'text')
      .addColumn('base_image_id', 'text')
      .addColumn('base_digest', 'text')
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('phases', 'text', (c) => c.notNull())
      .addColumn('findings', 'text', (c) => c.notNull())
      .addColumn('internal_error', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('builds_group_idx')
      .on('builds')
      .columns(['package_group_id', 'submitted_at'])
      .execute();

    await db.schema
      .createTable('log_lines')
      .addColumn('build_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('stream', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      // Also the last line of defence against two appenders handing out one seq.
      .addPrimaryKeyConstraint('log_lines_pk', ['build_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('log_lines_stream_idx')
      .on('log_lines')
      .columns(['build_id', 'stream', 'seq'])
      .execute();

    await db.schema
      .createTable('log_sequences')
      .addColumn('build_id', 'text', (c) => c.primaryKey())
      .addColumn('last_seq', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('images')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('os_version', 'text', (c) => c.notNull())
      .addColumn('manifest_digest', 'text', (c) => c.notNull())
      .addColumn('config_digest', 'text', (c) => c.notNull())
      .addColumn('layers', 'text', (c) => c.notNull())
      .addColumn('parent_image_id', 'text')
      .addColumn('sbom_digest', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('base_images')
      .addColumn('image_id', 'text', (c) => c.primaryKey().references('images.id'))
      .addColumn('os_version', 'text', (c) => c.notNull())
      .addColumn('root_digest', 'text', (c) => c.notNull())
      .addColumn('recipe', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('base_images_os_idx')
      .on('base_images')
      .columns(['os_version', 'created_at'])
      .execute();

    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'text')
      .addColumn('run_after', 'text', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('jobs_claim_idx')
      .on('jobs')
      .columns(['state', 'kind', 'created_at', 'id'])
      .execute();

    await db.schema
      .createTable('leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
  },
};

const supportCases: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('support_cases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('build_id', 'text', (c) => c.notNull().references('builds.id'))
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('builds_state_idx')
      .on('builds')
      .columns(['state', 'submitted_at'])
      .execute();
  },
};

const advisories: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('advisories')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('modified', 'text', (c) => c.notNull())
      .addColumn('withdrawn', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('raw', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('advisories_source_idx')
      .on('advisories')
      .column('source')
      .execute();

    // No foreign key: the repository replaces both tables together, and bulk
    // imports would pay for the check on every row.
    await db.schema
      .createTable('advisory_packages')
      .addColumn('ecosystem', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('advisory_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('advisory_packages_pk', ['ecosystem', 'name', 'advisory_id'])
      .execute();
    await db.schema
      .createIndex('advisory_packages_advisory_idx')
      .on('advisory_packages')
      .column('advisory_id')
      .execute();

    await db.schema
      .createTable('advisory_imports')
      .addColumn('source', 'text', (c) => c.primaryKey())
      .addColumn('imported_at', 'text', (c) => c.notNull())
      .execute();
  },
};

const scans: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('scan_cache')
      .addColumn('cache_key', 'text', (c) => c.primaryKey())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('builds').addColumn('scan_report_digest', 'text').execute();
    await db.schema.alterTable('images').addColumn('scan_report_digest', 'text').execute();
    // The advisory database's generation, bumped with every change: scan cache keys name it.
    await db.schema
      .createTable('advisory_state')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('generation', 'bigint', (c) => c.notNull())
      .execute();
    await db
      .insertInto('advisory_state' as never)
      .values({ id: 1, generation: 0 } as never)
      .execute();
    await db.schema
      .createIndex('advisories_modified_idx')
      .on('advisories')
      .column('modified')
      .execute();
  },
};

const publishing: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('load_form_submissions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('workbook_digest', 'text', (c) => c.notNull())
      .addColumn('entries', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('target_date', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('conversation', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('load_form_submissions_account_idx')
      .on('load_form_submissions')
      .columns(['account_id', 'submitted_at'])
      .execute();
    await db.schema
      .createIndex('load_form_submissions_state_idx')
      .on('load_form_submissions')
      .columns(['state', 'submitted_at'])
      .execute();

    await db.schema
      .createTable('products')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('seller_account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('short_description', 'text', (c) => c.notNull())
      .addColumn('long_description', 'text', (c) => c.notNull())
      .addColumn('highlights', 'text', (c) => c.notNull())
      .addColumn('categories', 'text', (c) => c.notNull())
      .addColumn('search_keywords', 'text', (c) => c.notNull())
      .addColumn('vendor_name', 'text', (c) => c.notNull())
      .addColumn('support_contact', 'text', (c) => c.notNull())
      .addColumn('eula_url', 'text', (c) => c.notNull())
      .addColumn('usage_instructions', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('products_seller_title_uq', ['seller_account_id', 'title'])
      .execute();

    await db.schema
      .createTable('product_versions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('release_notes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('product_versions_product_version_uq', ['product_id', 'version'])
      .execute();

    await db.schema
      .createTable('fulfillment_options')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
      .addColumn('version_id', 'text', (c) => c.notNull().references('product_versions.id'))
      .addColumn('delivery_method', 'text', (c) => c.notNull())
      .addColumn('package_group_id', 'text', (c) => c.notNull().references('package_groups.id'))
      .addColumn('package_group_name', 'text', (c) => c.notNull())
      .addColumn('os_versions', 'text', (c) => c.notNull())
      .addColumn('image_ids', 'text', (c) => c.notNull())
      .addColumn('visibility', 'text', (c) => c.notNull())
      .addColumn('test_account_ids', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      // An existing version's image fulfillment is never replaced.
      .addUniqueConstraint('fulfillment_options_version_group_uq', [
        'version_id',
        'package_group_id',
      ])
      .execute();
    await db.schema
      .createIndex('fulfillment_options_product_idx')
      .on('fulfillment_options')
      .columns(['product_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('subscriptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('buyer_account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('product_id', 'text', (c) => c.notNull().references('products.id'))
      .addColumn('eula_url', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('subscriptions_buyer_product_uq', ['buyer_account_id', 'product_id'])
      .execute();
  },
};

const accessKeys: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // The secret must be readable again for SigV4, so it is kept encrypted, never hashed.
    await db.schema
      .createTable('access_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
      .addColumn('secret_nonce', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .execute();
    await db.schema
      .createIndex('access_keys_account_idx')
      .on('access_keys')
      .columns(['account_id', 'created_at'])
      .execute();
  },
};

const webhooks: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Secrets are read back to sign, so they are kept encrypted like access keys.
    await db.schema
      .createTable('webhook_secrets')
      .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
      .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
      .addColumn('secret_nonce', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_account_idx')
      .on('webhook_deliveries')
      .columns(['account_id', 'created_at'])
      .execute();
  },
};

const privateBuilds: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Their installer output goes to log_lines like a seller's build: ids never collide (`bld-`).
    await db.schema
      .createTable('private_builds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('fulfillment_option_ids', 'text', (c) => c.notNull())
      .addColumn('source_image_id', 'text', (c) => c.notNull())
      .addColumn('destination_name', 'text', (c) => c.notNull())
      .addColumn('destination_description', 'text')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('webhook_url', 'text')
      .addColumn('client_token', 'text')
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('error_detail', 'text')
      .addColumn('findings', 'text', (c) => c.notNull())
      .addColumn('image_id', 'text')
      .addColumn('scan_report_digest', 'text')
      .addColumn('products', 'text', (c) => c.notNull())
      .addColumn('internal_error', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('start_time', 'text', (c) => c.notNull())
      .addColumn('last_update_time', 'text', (c) => c.notNull())
      // NULL tokens never conflict on either engine.
      .addUniqueConstraint('private_builds_client_token_uq', ['account_id', 'client_token'])
      .execute();
    await db.schema
      .createIndex('private_builds_account_idx')
      .on('private_builds')
      .columns(['account_id', 'start_time', 'id'])
      .execute();
  },
};

const instances: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Console lines go to log_lines keyed by the instance id: `i-` never collides with `bld-`.
    await db.schema
      .createTable('instances')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('image_id', 'text', (c) => c.notNull())
      .addColumn('command', 'text')
      .addColumn('default_command', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('state_reason', 'text')
      .addColumn('exit_code', 'integer')
      .addColumn('launched_at', 'text', (c) => c.notNull())
      .addColumn('stopped_at', 'text')
      .addColumn('terminated_at', 'text')
      .addColumn('host', 'text')
      .execute();
    await db.schema
      .createIndex('instances_account_idx')
      .on('instances')
      .columns(['account_id', 'state'])
      .execute();
  },
};

const jobScheduling: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // What a job needs of its worker; NULL means any, so jobs queued before this run anywhere.
    for (const column of ['req_platform', 'req_os_family', 'req_isolation']) {
      await db.schema.alterTable('jobs').addColumn(column, 'text').execute();
    }
    // Fair share and back-pressure count an account's active jobs.
    await db.schema
      .createIndex('jobs_account_state_idx')
      .on('jobs')
      .columns(['account_id', 'state', 'kind'])
      .execute();
  },
};

const workers: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // One row per running process with build workers, refreshed while it lives.
    await db.schema
      .createTable('workers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('pid', 'integer', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('capabilities', 'text', (c) => c.notNull())
      .addColumn('concurrency', 'integer', (c) => c.notNull())
      .addColumn('busy', 'integer', (c) => c.notNull())
      .addColumn('draining', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .execute();
  },
};

const consoleSessions: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Keyed by the SHA-256 of the cookie value, the API token sealed with a key derived from that
    // value: the table alone yields neither a cookie nor a token.
    await db.schema
      .createTable('console_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('sealed_api_token', 'text', (c) => c.notNull())
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('console_sessions_last_seen_idx')
      .on('console_sessions')
      .column('last_seen_at')
      .execute();
  },
};

const clusterCoordination: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // SigV4 signatures already accepted by any API server, until their validity window ends.
    await db.schema
      .createTable('seen_signatures')
      .addColumn('signature', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('seen_signatures_expires_idx')
      .on('seen_signatures')
      .column('expires_at')
      .execute();
    // Things done once per database whichever process gets there first (the first operator).
    await db.schema
      .createTable('once_markers')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('claimed_at', 'text', (c) => c.notNull())
      .execute();
  },
};

const imageExports: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('image_exports')
      .addColumn('image_id', 'text', (c) => c.notNull().references('images.id'))
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('image_exports_pk', ['image_id', 'format'])
      .execute();
  },
};

/** Migrations defined in code, keyed by name; Kysely applies them in name order. */
const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial-schema': initialSchema,
  '0002-support-cases': supportCases,
  '0003-advisories': advisories,
  '0004-scans': scans,
  '0005-publishing': publishing,
  '0006-access-keys': accessKeys,
  '0007-webhooks': webhooks,
  '0008-private-builds': privateBuilds,
  '0009-instances': instances,
  '0010-job-scheduling': jobScheduling,
  '0011-workers': workers,
  '0012-console-sessions': consoleSessions,
  '0013-cluster-coordination': clusterCoordination,
  '0014-image-exports': imageExports,
};

/** Hands Kysely the in-code migrations, so no folder is scanned at run time. */
const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...migrations }),
};

/**
 * Brings the database up to the newest schema; already applied migrations are skipped. With a
 * PostgreSQL schema, the migrator looks for its own tables in that schema only: otherwise it
 * would take another schema's lock table for its own.
 */
export async function migrateToLatest(db: Kysely<Database>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    migrationTableName: 'goldsmith_migration',
    migrationLockTableName: 'goldsmith_migration_lock',
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  let outcome = await migrator.migrateToLatest();
  // Kysely looks for its tables by scanning every schema of the database; another client
  // dropping a schema during that scan fails it ("schema … does not exist", 3F000) though
  // nothing of ours is missing. Such a scan is simply run again.
  for (let retry = 0; retry < 5 && isOtherSchemaDropped(outcome.error, schema); retry += 1) {
    outcome = await migrator.migrateToLatest();
  }
  const { error, results } = outcome;
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? '(before any migration)'} failed`, {
      cause: error,
    });
  }
}

/** Whether `error` is PostgreSQL's "schema does not exist" for a schema other than `ours`. */
function isOtherSchemaDropped(error: unknown, ours: string | undefined): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  if (e?.code !== '3F000' || typeof e.message !== 'string') return false;
  return ours === undefined || !e.message.includes(`"${ours}"`);
}
