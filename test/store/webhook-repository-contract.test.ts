import { describe, expect, it } from 'vitest';

import type { WebhookDelivery } from '../../src/domain/webhooks/webhook-records.js';
import {
  freshStoreEachTest,
  postgresHarness,
  sqliteHarness,
  type HarnessFactory,
  at,
  MINE,
  OTHER,
} from './store-harnesses.js';

function delivery(id: string, accountId: string, createdAt: string): WebhookDelivery {
  return {
    id,
    accountId,
    url: 'https://hooks.example.com/x',
    eventType: 'private-build.status-changed',
    eventId: 'pb-1',
    status: 'pending',
    attempts: 0,
    maxAttempts: 6,
    lastStatusCode: null,
    lastError: null,
    createdAt,
    updatedAt: createdAt,
    deliveredAt: null,
  };
}

function describeWebhookContract(engine: string, createHarness: HarnessFactory): void {
  describe(`webhook repository contract: ${engine}`, () => {
    const fresh = freshStoreEachTest(createHarness, [MINE, OTHER]);

    it('keeps the first secret of an account and each account its own', async () => {
      const first = {
        accountId: MINE,
        secretCiphertext: 'ct1',
        secretNonce: 'n1',
        createdAt: at(1),
      };
      expect(await fresh.store.webhooks.getSecret(MINE)).toBeUndefined();
      expect(await fresh.store.webhooks.insertSecretIfAbsent(first)).toEqual(first);
      const second = { ...first, secretCiphertext: 'ct2', createdAt: at(2) };
      expect(await fresh.store.webhooks.insertSecretIfAbsent(second)).toEqual(first);
      expect(await fresh.store.webhooks.getSecret(MINE)).toEqual(first);
      expect(await fresh.store.webhooks.getSecret(OTHER)).toBeUndefined();
    });

    it('agrees on one secret when two first uses race', async () => {
      const [a, b] = await Promise.all(
        ['ct-a', 'ct-b'].map((ct) =>
          fresh.store.webhooks.insertSecretIfAbsent({
            accountId: MINE,
            secretCiphertext: ct,
            secretNonce: 'n',
            createdAt: at(1),
          }),
        ),
      );
      expect(a).toEqual(b);
    });

    it('round-trips deliveries, updates them and lists them per account, newest first', async () => {
      await fresh.store.webhooks.insertDelivery(delivery('whd-a', MINE, at(1)));
      await fresh.store.webhooks.insertDelivery(delivery('whd-b', MINE, at(2)));
      await fresh.store.webhooks.insertDelivery(delivery('whd-c', OTHER, at(3)));
      expect(await fresh.store.webhooks.getDelivery(MINE, 'whd-a')).toEqual(
        delivery('whd-a', MINE, at(1)),
      );

      await fresh.store.webhooks.updateDelivery('whd-a', {
        status: 'retrying',
        attempts: 1,
        lastStatusCode: 500,
        lastError: 'the receiver answered 500',
        updatedAt: at(5),
      });
      await fresh.store.webhooks.updateDelivery('whd-a', {
        status: 'delivered',
        attempts: 2,
        lastStatusCode: 200,
        lastError: null,
        updatedAt: at(6),
        deliveredAt: at(6),
      });
      expect(await fresh.store.webhooks.getDelivery(null, 'whd-a')).toMatchObject({
        status: 'delivered',
        attempts: 2,
        lastStatusCode: 200,
        lastError: null,
        updatedAt: at(6),
        deliveredAt: at(6),
      });

      expect((await fresh.store.webhooks.listDeliveries(MINE, 50)).map((d) => d.id)).toEqual([
        'whd-b',
        'whd-a',
      ]);
      expect((await fresh.store.webhooks.listDeliveries(MINE, 1)).map((d) => d.id)).toEqual([
        'whd-b',
      ]);
      expect(await fresh.store.webhooks.getDelivery(OTHER, 'whd-a')).toBeUndefined();
      expect((await fresh.store.webhooks.listDeliveries(OTHER, 50)).map((d) => d.id)).toEqual([
        'whd-c',
      ]);
    });
  });
}

describeWebhookContract('SQLite', sqliteHarness);
describeWebhookContract('PostgreSQL', postgresHarness);
