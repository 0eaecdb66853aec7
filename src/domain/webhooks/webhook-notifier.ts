import { DomainError } from '../../errors/domain-error.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import { WEBHOOK_DELIVERY_JOB, type WebhookDelivery } from './webhook-records.js';

/** What a status change notifies: its `type` (e.g. `build.status-changed`) and subject `id`. */
export interface WebhookEvent {
  readonly type: string;
  readonly id: string;
  readonly [key: string]: unknown;
}

/** The job payload of one delivery; the body is fixed once, so every attempt sends the same bytes. */
export interface WebhookDeliveryPayload {
  readonly deliveryId: string;
  readonly accountId: string;
  readonly url: string;
  readonly eventType: string;
  readonly body: string;
}

export interface WebhookNotifierOptions {
  /** Attempts per delivery, the first included. */
  readonly maxAttempts: number;
}

const MAX_URL_LENGTH = 2048;
/** Events are status changes, not documents: a larger body is a caller's bug. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Checks a notification URL: absolute http or https, no user name or password
 * (they would end up in logs and delivery records). Throws INVALID_WEBHOOK_URL.
 */
export function validateWebhookUrl(url: string): URL {
  const refuse = (why: string): never => {
    throw new DomainError('INVALID_WEBHOOK_URL', `the webhook URL ${why}`);
  };
  if (url.length > MAX_URL_LENGTH) refuse(`is longer than ${MAX_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('is not an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    refuse(`must use http or https, not ${parsed.protocol.replace(/:$/, '')}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    refuse('must not hold a user name or password; authenticate with the signature instead');
  }
  if (parsed.hostname === '') refuse('has no host');
  return parsed;
}

/**
 * Sends signed notifications to an account's webhook. `notify` only records the
 * delivery and queues it in the durable job queue (same transaction), so it
 * survives a restart; a worker posts it and retries with back-off.
 */
export class WebhookNotifier {
  constructor(
    private readonly store: Store,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly options: WebhookNotifierOptions,
  ) {}

  /** Queues a delivery of `event` to `url` on behalf of `accountId`; returns the delivery id. */
  async notify(accountId: string, url: string, event: WebhookEvent): Promise<string> {
    validateWebhookUrl(url);
    if (event.type === '' || event.id === '')
      throw new Error('a webhook event needs a type and id');
    const now = this.clock.now().toISOString();
    const deliveryId = newId('whd');
    const body = JSON.stringify({
      id: deliveryId,
      type: event.type,
      accountId,
      createdAt: now,
      data: event,
    });
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
      throw new Error(`webhook event ${event.type} is larger than ${MAX_BODY_BYTES} bytes`);
    }
    const payload: WebhookDeliveryPayload = {
      deliveryId,
      accountId,
      url,
      eventType: event.type,
      body,
    };
    await this.store.transaction(async (tx) => {
      await tx.webhooks.insertDelivery({
        id: deliveryId,
        accountId,
        url,
        eventType: event.type,
        eventId: event.id,
        status: 'pending',
        attempts: 0,
        maxAttempts: this.options.maxAttempts,
        lastStatusCode: null,
        lastError: null,
        createdAt: now,
        updatedAt: now,
        deliveredAt: null,
      });
      await tx.jobs.enqueue({
        id: newId('job'),
        kind: WEBHOOK_DELIVERY_JOB,
        payload: { ...payload },
        accountId,
        maxAttempts: this.options.maxAttempts,
        runAfter: now,
        createdAt: now,
        // Delivery is an HTTP request: any worker can make it.
        requirements: {},
      });
    });
    this.events.publish({ type: 'job.enqueued', kind: WEBHOOK_DELIVERY_JOB });
    return deliveryId;
  }

  /** The account's most recent deliveries, newest first. */
  async deliveries(accountId: string, limit = 50): Promise<WebhookDelivery[]> {
    return this.store.webhooks.listDeliveries(accountId, limit);
  }
}
