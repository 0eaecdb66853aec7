import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient } from '../../src/cli/api-client.js';
import type { WebhookDelivery } from '../../src/domain/webhooks/webhook-records.js';
import { verifyWebhookSignature } from '../../src/domain/webhooks/webhook-signature.js';
import { isDomainError } from '../../src/errors/domain-error.js';
import { startReceiver, type WebhookReceiver } from '../domain/webhooks/webhook-receiver.js';
import { runCli } from '../support/cli-process.js';
import {
  apiErrorOf,
  startHarness,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';

interface SecretReply {
  accountId: string;
  secret: string;
  createdAt: string;
}

describe('webhooks API (no build workers)', () => {
  let harness: Harness;
  let buyer: TestAccount;
  let other: TestAccount;
  let hook: WebhookReceiver;

  beforeAll(async () => {
    // Deliveries have their own pool, so they go out although `workers` is 0.
    harness = await startHarness({
      workers: 0,
      webhookRetryDelayMs: 5,
      webhookAllowPrivateAddresses: true,
    });
    buyer = await harness.createAccount('Buyer', ['buyer']);
    other = await harness.createAccount('Other Buyer', ['buyer']);
    hook = await startReceiver([500, 200]);
  });
  afterAll(async () => {
    await hook?.close();
    await harness?.stop();
  });

  async function settledDeliveries(account: TestAccount): Promise<WebhookDelivery[]> {
    for (;;) {
      const { deliveries } = await account.client.request<{ deliveries: WebhookDelivery[] }>(
        'GET',
        '/v1/webhooks/deliveries',
      );
      if (deliveries.every((d) => d.status === 'delivered' || d.status === 'failed'))
        return deliveries;
      await sleep(20);
    }
  }

  it('describes the routes in the OpenAPI document', async () => {
    const doc = await new ApiClient(harness.url, undefined).request<{
      paths: Record<string, unknown>;
    }>('GET', '/openapi.json');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/webhooks/secret', '/v1/webhooks/deliveries']),
    );
  });

  it('refuses callers without a token', async () => {
    const anonymous = new ApiClient(harness.url, undefined);
    expect(await apiErrorOf(anonymous.request('GET', '/v1/webhooks/secret'))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(await apiErrorOf(anonymous.request('GET', '/v1/webhooks/deliveries'))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });

  it('gives each account its own secret and shows it only its own deliveries', async () => {
    const secret = await buyer.client.request<SecretReply>('GET', '/v1/webhooks/secret');
    expect(secret.accountId).toBe(buyer.accountId);
    expect(await buyer.client.request('GET', '/v1/webhooks/secret')).toEqual(secret);
    const otherSecret = await other.client.request<SecretReply>('GET', '/v1/webhooks/secret');
    expect(otherSecret.secret).not.toBe(secret.secret);

    const id = await harness.server.webhooks.notify(buyer.accountId, hook.url, {
      type: 'private-build.status-changed',
      id: 'pb-1',
      status: 'Succeeded',
    });
    const [delivery, ...rest] = await settledDeliveries(buyer);
    expect(rest).toEqual([]);
    expect(delivery).toMatchObject({
      id,
      status: 'delivered',
      attempts: 2,
      lastStatusCode: 200,
      eventType: 'private-build.status-changed',
      eventId: 'pb-1',
    });
    expect(await settledDeliveries(other)).toEqual([]);

    const last = hook.received.at(-1)!;
    const timestamp = last.headers['x-goldsmith-timestamp'] as string;
    const signature = last.headers['x-goldsmith-signature'] as string;
    const when = new Date(Number(timestamp) * 1000);
    expect(verifyWebhookSignature(secret.secret, timestamp, last.body, signature, when)).toBe(true);
    expect(verifyWebhookSignature(otherSecret.secret, timestamp, last.body, signature, when)).toBe(
      false,
    );

    const env = { GOLDSMITH_URL: harness.url, GOLDSMITH_TOKEN: buyer.token };
    const printed = await runCli(['webhook', 'secret'], env);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(`${secret.secret}\n`);
    const listed = await runCli(['webhook', 'deliveries', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as WebhookDelivery[]).map((d) => d.id)).toEqual([id]);
    const table = await runCli(['webhook', 'deliveries'], env);
    expect(table.stdout).toContain(id);
    expect(table.stdout).toContain('delivered');
  });

  it('refuses an invalid URL before queueing anything', async () => {
    const refused = await harness.server.webhooks
      .notify(other.accountId, 'ftp://example.com/hook', { type: 't', id: 'x' })
      .catch((error: unknown) => error);
    expect(isDomainError(refused, 'INVALID_WEBHOOK_URL')).toBe(true);
    expect(await settledDeliveries(other)).toEqual([]);
  });
});
