import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

import type { Job } from '../types.js';
import type { JobHandler, PoolLogger } from '../../pipeline/worker-pool.js';
import type { Store } from '../../store/store.js';
import { GOLDSMITH_VERSION } from '../../version.js';
import type { Clock } from '../clock.js';
import type { WebhookDeliveryPayload } from './webhook-notifier.js';
import { validateWebhookUrl } from './webhook-notifier.js';
import type { WebhookSecretService } from './webhook-secrets.js';
import {
  isPublicAddress,
  NonPublicAddressError,
  publicOnlyLookup,
} from './webhook-address-guard.js';
import { signWebhook } from './webhook-signature.js';

export interface WebhookDeliveryOptions {
  /** How long one attempt may take, connection to last header. */
  readonly timeoutMs: number;
  readonly logger: PoolLogger;
  /** Let webhooks reach loopback and private addresses (a receiver on the same network). */
  readonly allowPrivateAddresses?: boolean;
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
      let status: number;
      try {
        status = await postJson(
          delivery.url,
          {
            'content-type': 'application/json',
            'user-agent': `Goldsmith-Webhook/${GOLDSMITH_VERSION}`,
            'x-goldsmith-event': delivery.eventType,
            'x-goldsmith-delivery': delivery.deliveryId,
            'x-goldsmith-timestamp': timestamp,
            'x-goldsmith-attempt': String(job.attempts),
            'x-goldsmith-signature': signWebhook(secret, timestamp, delivery.body),
          },
          delivery.body,
          {
            signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
            allowPrivateAddresses: options.allowPrivateAddresses ?? false,
          },
        );
      } catch (error) {
        if (signal.aborted) throw error;
        throw new WebhookAttemptError(`request failed: ${reasonOf(error)}`, null);
      }
      if (status < 200 || status > 299) {
        throw new WebhookAttemptError(`the receiver answered ${status}`, status);
      }
      const now = clock.now().toISOString();
      await store.webhooks.updateDelivery(delivery.deliveryId, {
        status: 'delivered',
        attempts: job.attempts,
        lastStatusCode: status,
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

/**
 * POSTs `body` and returns the status code. Redirects are not followed, the answer's body is
 * drained unread, and unless private addresses are allowed the connection may only go to a
 * public address (checked on the resolved address, and on an address given literally).
 */
function postJson(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  options: { readonly signal: AbortSignal; readonly allowPrivateAddresses: boolean },
): Promise<number> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateAddresses && isIP(host) !== 0 && !isPublicAddress(host)) {
    return Promise.reject(new NonPublicAddressError(host, host));
  }
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: options.signal,
        ...(options.allowPrivateAddresses ? {} : { lookup: publicOnlyLookup }),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
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

/** A short reason for delivery records, with the network error's cause when there is one. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`.slice(0, 500);
}
