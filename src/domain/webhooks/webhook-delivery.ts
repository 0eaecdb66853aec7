import type { Job } from '../types.js';
import type { JobHandler, PoolLogger } from '../../pipeline/worker-pool.js';
import type { Store } from '../../store/store.js';
import { GOLDSMITH_VERSION } from '../../version.js';
import type { Clock } from '../clock.js';
import type { WebhookDeliveryPayload } from './webhook-notifier.js';
import { validateWebhookUrl } from './webhook-notifier.js';
import type { WebhookSecretService } from './webhook-secrets.js';
import { signWebhook } from './webhook-signature.js';

export interface WebhookDeliveryOptions {
  /** How long one attempt may take, connection to last header. */
  readonly timeoutMs: number;
  readonly logger: PoolLogger;
}

/** One attempt that did not get a 2xx; the job queue retries it with back-off. */
export class WebhookAttemptError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | null,
  ) {
    super(message);
    this.name = 'WebhookAttemptError';
  }
}

/**
 * Posts one queued delivery, signed with the account's secret. Redirects are
 * not followed (a redirect could send the signed event elsewhere); anything
 * but 2xx throws, so the worker pool retries until the job's attempts run out.
 */
export function webhookDeliveryJobHandler(
  store: Store,
  secrets: WebhookSecretService,
  clock: Clock,
  options: WebhookDeliveryOptions,
): JobHandler {
  return {
    async run(job, signal) {
      const delivery = parsePayload(job);
      validateWebhookUrl(delivery.url);
      const { secret } = await secrets.getOrCreateSigningSecret(delivery.accountId);
      const timestamp = String(Math.floor(clock.now().getTime() / 1000));
      let response: Response;
      try {
        response = await fetch(delivery.url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
          headers: {
            'content-type': 'application/json',
            'user-agent': `Goldsmith-Webhook/${GOLDSMITH_VERSION}`,
            'x-goldsmith-event': delivery.eventType,
            'x-goldsmith-delivery': delivery.deliveryId,
            'x-goldsmith-timestamp': timestamp,
            'x-goldsmith-attempt': String(job.attempts),
            'x-goldsmith-signature': signWebhook(secret, timestamp, delivery.body),
          },
          body: delivery.body,
        });
      } catch (error) {
        if (signal.aborted) throw error;
        throw new WebhookAttemptError(`request failed: ${reasonOf(error)}`, null);
      }
      // The receiver's answer is not used; drop it so the connection is freed.
      await response.body?.cancel().catch(() => undefined);
      if (response.status < 200 || response.status > 299) {
        throw new WebhookAttemptError(`the receiver answered ${response.status}`, response.status);
      }
      const now = clock.now().toISOString();
      await store.webhooks.updateDelivery(delivery.deliveryId, {
        status: 'delivered',
        attempts: job.attempts,
        lastStatusCode: response.status,
        lastError: null,
        updatedAt: now,
        deliveredAt: now,
      });
    },

    async failed(job, error, willRetry) {
      const delivery = parsePayload(job);
      await store.webhooks.updateDelivery(delivery.deliveryId, {
        status: willRetry ? 'retrying' : 'failed',
        attempts: job.attempts,
        lastStatusCode: error instanceof WebhookAttemptError ? error.statusCode : null,
        lastError: reasonOf(error),
        updatedAt: clock.now().toISOString(),
      });
      if (!willRetry) {
        options.logger.error(
          {
            deliveryId: delivery.deliveryId,
            accountId: delivery.accountId,
            url: delivery.url,
            attempts: job.attempts,
            err: error,
          },
          'webhook delivery failed; no attempts left',
        );
      }
    },
  };
}

function parsePayload(job: Job): WebhookDeliveryPayload {
  const field = (key: keyof WebhookDeliveryPayload): string => {
    const value = job.payload[key];
    if (typeof value !== 'string') throw new Error(`webhook job ${job.id} has no ${key}`);
    return value;
  };
  return {
    deliveryId: field('deliveryId'),
    accountId: field('accountId'),
    url: field('url'),
    eventType: field('eventType'),
    body: field('body'),
  };
}

/** A short reason for delivery records: fetch hides the network error in `cause`. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`.slice(0, 500);
}
