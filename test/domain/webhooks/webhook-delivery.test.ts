import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SecretCipher } from '../../../src/domain/access-keys/secret-cipher.js';
import { systemClock } from '../../../src/domain/clock.js';
import { webhookDeliveryJobHandler } from '../../../src/domain/webhooks/webhook-delivery.js';
import { WebhookNotifier } from '../../../src/domain/webhooks/webhook-notifier.js';
import {
  WEBHOOK_DELIVERY_JOB,
  type WebhookDelivery,
} from '../../../src/domain/webhooks/webhook-records.js';
import { WebhookSecretService } from '../../../src/domain/webhooks/webhook-secrets.js';
import { verifyWebhookSignature } from '../../../src/domain/webhooks/webhook-signature.js';
import { InProcessEventBus } from '../../../src/events/in-process-event-bus.js';
import { WorkerPool } from '../../../src/pipeline/worker-pool.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { tempDir } from '../../support/paths.js';
import { startReceiver, type WebhookReceiver } from './webhook-receiver.js';

const BUYER = '100000000001';
const MAX_ATTEMPTS = 3;
const silent = { info: () => undefined, error: () => undefined };
const event = { type: 'private-build.status-changed', id: 'pb-1', status: 'InProgress' };

describe('webhook deliveries through the durable job queue', () => {
  let dir: string;
  let store: Store;
  let events: InProcessEventBus;
  let cipher: SecretCipher;
  let notifier: WebhookNotifier;
  const pools: WorkerPool[] = [];
  const receivers: WebhookReceiver[] = [];

  async function openStore(): Promise<void> {
    store = await openSqliteStore(join(dir, 'goldsmith.db'));
    notifier = new WebhookNotifier(store, events, systemClock, { maxAttempts: MAX_ATTEMPTS });
  }

  function secrets(): WebhookSecretService {
    return new WebhookSecretService(store, cipher, systemClock);
  }

  /** A worker pool for deliveries only, with a back-off of milliseconds rather than minutes. */
  function startPool(): void {
    const pool = new WorkerPool({
      store,
      events,
      clock: systemClock,
      handlers: {
        [WEBHOOK_DELIVERY_JOB]: webhookDeliveryJobHandler(store, secrets(), systemClock, {
          timeoutMs: 10_000,
          logger: silent,
          // The test's receiver listens on 127.0.0.1.
          allowPrivateAddresses: true,
        }),
      },
      concurrency: 1,
      leaseMs: 30_000,
      retryDelayMs: 5,
      pollMs: 20,
      logger: silent,
    });
    pool.start();
    pools.push(pool);
  }

  async function receiver(statuses: readonly number[]): Promise<WebhookReceiver> {
    const started = await startReceiver(statuses);
    receivers.push(started);
    return started;
  }

  /** Waits, without a deadline of its own, until the delivery is delivered or failed. */
  async function settled(id: string): Promise<WebhookDelivery> {
    for (;;) {
      const delivery = await store.webhooks.getDelivery(null, id);
      if (delivery?.status === 'delivered' || delivery?.status === 'failed') return delivery;
      await sleep(10);
    }
  }

  beforeEach(async () => {
    dir = tempDir('webhooks');
    events = new InProcessEventBus();
    cipher = new SecretCipher(randomBytes(32));
    await openStore();
    await store.accounts.insert({
      id: BUYER,
      name: 'Buyer',
      roles: ['buyer'],
      createdAt: new Date().toISOString(),
    });
  });

  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.stop();
    for (const r of receivers.splice(0)) await r.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts the event with headers and a signature the receiver can verify', async () => {
    const hook = await receiver([204]);
    startPool();
    const id = await notifier.notify(BUYER, hook.url, event);

    const delivery = await settled(id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 204 });
    expect(hook.received).toHaveLength(1);
    const { headers, body } = hook.received[0]!;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-goldsmith-event']).toBe(event.type);
    expect(headers['x-goldsmith-delivery']).toBe(id);
    const timestamp = headers['x-goldsmith-timestamp'] as string;
    expect(timestamp).toMatch(/^\d+$/);
    const signature = headers['x-goldsmith-signature'] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(body)).toMatchObject({
      id,
      type: event.type,
      accountId: BUYER,
      data: event,
    });

    const { secret } = await secrets().getOrCreateSigningSecret(BUYER);
    const now = new Date(Number(timestamp) * 1000);
    expect(verifyWebhookSignature(secret, timestamp, body, signature, now)).toBe(true);
    expect(verifyWebhookSignature(`${secret}x`, timestamp, body, signature, now)).toBe(false);
    expect(verifyWebhookSignature(secret, timestamp, `${body} `, signature, now)).toBe(false);
  });

  it('retries with the same delivery id until the receiver answers 2xx', async () => {
    const hook = await receiver([500, 500, 200]);
    startPool();
    const id = await notifier.notify(BUYER, hook.url, event);

    expect(await settled(id)).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
    });
    expect(hook.received.map((r) => r.headers['x-goldsmith-delivery'])).toEqual([id, id, id]);
    expect(hook.received.map((r) => r.headers['x-goldsmith-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(hook.received.map((r) => r.body)).size).toBe(1);
  });

  it('records the delivery as failed after the configured attempts', async () => {
    const hook = await receiver([503]);
    startPool();
    const id = await notifier.notify(BUYER, hook.url, event);

    const delivery = await settled(id);
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: MAX_ATTEMPTS,
      maxAttempts: MAX_ATTEMPTS,
      lastStatusCode: 503,
    });
    expect(delivery.lastError).toContain('503');
    expect(hook.received).toHaveLength(MAX_ATTEMPTS);
  });

  it('does not follow redirects', async () => {
    const hook = await receiver([302]);
    startPool();
    const id = await notifier.notify(BUYER, hook.url, event);

    expect(await settled(id)).toMatchObject({ status: 'failed', lastStatusCode: 302 });
    expect(hook.received).toHaveLength(MAX_ATTEMPTS);
  });

  it('records a refused connection as the error', async () => {
    const hook = await receiver([200]);
    await hook.close();
    startPool();
    const id = await notifier.notify(BUYER, hook.url, event);

    const delivery = await settled(id);
    expect(delivery).toMatchObject({ status: 'failed', lastStatusCode: null });
    expect(delivery.lastError).toMatch(/request failed/);
  });

  it('delivers what was queued while no worker ran, after a restart', async () => {
    const hook = await receiver([200]);
    const id = await notifier.notify(BUYER, hook.url, event);
    expect((await store.webhooks.getDelivery(BUYER, id))?.status).toBe('pending');
    expect(hook.received).toHaveLength(0);

    await store.close();
    await openStore();
    startPool();

    expect(await settled(id)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(hook.received.map((r) => r.headers['x-goldsmith-delivery'])).toEqual([id]);
  });

  it('keeps one signing secret per account', async () => {
    const first = await secrets().getOrCreateSigningSecret(BUYER);
    const again = await secrets().getOrCreateSigningSecret(BUYER);
    expect(first.secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(again).toEqual(first);
  });
});
