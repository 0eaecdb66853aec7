import type { Kysely, Selectable } from 'kysely';

import type {
  StoredWebhookSecret,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookDeliveryUpdate,
} from '../../domain/webhooks/webhook-records.js';
import type { WebhookRepository } from '../store.js';
import type { Database, WebhookDeliveriesTable, WebhookSecretsTable } from './database-schema.js';

/** Webhook secrets and deliveries on Kysely. */
export class SqlWebhookRepository implements WebhookRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async getSecret(accountId: string): Promise<StoredWebhookSecret | undefined> {
    const row = await this.#db
      .selectFrom('webhook_secrets')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row === undefined ? undefined : toSecret(row);
  }

  async insertSecretIfAbsent(secret: StoredWebhookSecret): Promise<StoredWebhookSecret> {
    await this.#db
      .insertInto('webhook_secrets')
      .values({
        account_id: secret.accountId,
        secret_ciphertext: secret.secretCiphertext,
        secret_nonce: secret.secretNonce,
        created_at: secret.createdAt,
      })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    const kept = await this.getSecret(secret.accountId);
    if (kept === undefined) throw new Error(`webhook secret of ${secret.accountId} vanished`);
    return kept;
  }

  async insertDelivery(delivery: WebhookDelivery): Promise<void> {
    await this.#db
      .insertInto('webhook_deliveries')
      .values({
        id: delivery.id,
        account_id: delivery.accountId,
        url: delivery.url,
        event_type: delivery.eventType,
        event_id: delivery.eventId,
        status: delivery.status,
        attempts: delivery.attempts,
        max_attempts: delivery.maxAttempts,
        last_status_code: delivery.lastStatusCode,
        last_error: delivery.lastError,
        created_at: delivery.createdAt,
        updated_at: delivery.updatedAt,
        delivered_at: delivery.deliveredAt,
      })
      .execute();
  }

  async updateDelivery(id: string, update: WebhookDeliveryUpdate): Promise<void> {
    await this.#db
      .updateTable('webhook_deliveries')
      .set({
        status: update.status,
        attempts: update.attempts,
        last_status_code: update.lastStatusCode,
        last_error: update.lastError,
        updated_at: update.updatedAt,
        ...(update.deliveredAt === undefined ? {} : { delivered_at: update.deliveredAt }),
      })
      .where('id', '=', id)
      .execute();
  }

  async getDelivery(accountId: string | null, id: string): Promise<WebhookDelivery | undefined> {
    let query = this.#db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id);
    if (accountId !== null) query = query.where('account_id', '=', accountId);
    const row = await query.executeTakeFirst();
    return row === undefined ? undefined : toDelivery(row);
  }

  async listDeliveries(accountId: string, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.#db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  }
}

function toSecret(row: Selectable<WebhookSecretsTable>): StoredWebhookSecret {
  return {
    accountId: row.account_id,
    secretCiphertext: row.secret_ciphertext,
    secretNonce: row.secret_nonce,
    createdAt: row.created_at,
  };
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: row.id,
    accountId: row.account_id,
    url: row.url,
    eventType: row.event_type,
    eventId: row.event_id,
    status: row.status as WebhookDeliveryStatus,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deliveredAt: row.delivered_at,
  };
}
