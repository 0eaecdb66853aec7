import { createHmac, timingSafeEqual } from 'node:crypto';

/** The prefix of `x-goldsmith-signature` values: the HMAC's hash function. */
const SCHEME = 'sha256=';

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, the value of `x-goldsmith-signature`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return SCHEME + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * Checks a received webhook: `header` is `x-goldsmith-signature`, `timestamp`
 * is `x-goldsmith-timestamp` (unix seconds) and `body` the raw request body.
 * The timestamp is signed too, so refusing old ones stops replays.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  header: string,
  now: Date,
  toleranceSeconds = 300,
): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body), 'utf8');
  // Several comma-separated signatures are accepted, so a sender may sign with two secrets.
  return header.split(',').some((candidate) => {
    const given = Buffer.from(candidate.trim(), 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
