/** The job kind of one webhook delivery in the durable queue. */
export const WEBHOOK_DELIVERY_JOB = 'webhook.deliver';

/** Where a delivery stands: `retrying` after a failed attempt with attempts left. */
export type WebhookDeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';

/** One event sent (or being sent) to one URL, as its owner and operators see it. */
export interface WebhookDelivery {
  /** Also sent as `x-goldsmith-delivery`; the same on every attempt. */
  readonly id: string;
  readonly accountId: string;
  readonly url: string;
  readonly eventType: string;
  /** The `id` of the event that was notified (e.g. the build's id). */
  readonly eventId: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deliveredAt: string | null;
}

/** Fields of a delivery that each attempt changes. */
export interface WebhookDeliveryUpdate {
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly updatedAt: string;
  readonly deliveredAt?: string | null;
}

/** An account's signing secret as stored: only AES-256-GCM ciphertext. */
export interface StoredWebhookSecret {
  readonly accountId: string;
  readonly secretCiphertext: string;
  readonly secretNonce: string;
  readonly createdAt: string;
}
