import type { Kysely, Selectable } from 'kysely';

import type { Subscription } from '../../domain/publishing/publishing-types.js';
import type { SubscriptionRepository } from '../store.js';
import type { Database, SubscriptionsTable } from './database-schema.js';
import { inTransaction } from './sql-transaction.js';

/** Buyers' subscriptions on Kysely, unique per (buyer, product). */
export class SqlSubscriptionRepository implements SubscriptionRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insertIfAbsent(subscription: Subscription): Promise<Subscription> {
    return inTransaction(this.#db, async (trx) => {
      // ON CONFLICT DO NOTHING keeps a concurrent second subscribe from failing.
      await trx
        .insertInto('subscriptions')
        .values({
          id: subscription.id,
          buyer_account_id: subscription.buyerAccountId,
          product_id: subscription.productId,
          eula_url: subscription.eulaUrl,
          created_at: subscription.createdAt,
        })
        .onConflict((oc) => oc.columns(['buyer_account_id', 'product_id']).doNothing())
        .execute();
      const row = await trx
        .selectFrom('subscriptions')
        .selectAll()
        .where('buyer_account_id', '=', subscription.buyerAccountId)
        .where('product_id', '=', subscription.productId)
        .executeTakeFirstOrThrow();
      return toSubscription(row);
    });
  }

  async get(buyerAccountId: string, productId: string): Promise<Subscription | undefined> {
    const row = await this.#db
      .selectFrom('subscriptions')
      .selectAll()
      .where('buyer_account_id', '=', buyerAccountId)
      .where('product_id', '=', productId)
      .executeTakeFirst();
    return row === undefined ? undefined : toSubscription(row);
  }

  async list(buyerAccountId: string): Promise<Subscription[]> {
    const rows = await this.#db
      .selectFrom('subscriptions')
      .selectAll()
      .where('buyer_account_id', '=', buyerAccountId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toSubscription);
  }
}

function toSubscription(row: Selectable<SubscriptionsTable>): Subscription {
  return {
    id: row.id,
    buyerAccountId: row.buyer_account_id,
    productId: row.product_id,
    eulaUrl: row.eula_url,
    createdAt: row.created_at,
  };
}
