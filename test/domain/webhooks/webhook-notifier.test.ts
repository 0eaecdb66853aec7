import { execFileSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { validateWebhookUrl } from '../../../src/domain/webhooks/webhook-notifier.js';
import {
  signWebhook,
  verifyWebhookSignature,
} from '../../../src/domain/webhooks/webhook-signature.js';
import { isDomainError } from '../../../src/errors/domain-error.js';

function refusal(url: string): unknown {
  try {
    validateWebhookUrl(url);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('validateWebhookUrl', () => {
  it.each(['https://hooks.example.com/goldsmith?x=1', 'http://127.0.0.1:8080/'])(
    'accepts %s',
    (url) => {
      expect(validateWebhookUrl(url).href).toBe(url);
    },
  );

  it.each([
    ['ftp://example.com/hook'],
    ['file:///etc/passwd'],
    ['javascript:alert(1)'],
    ['example.com/hook'],
    [''],
    ['https://user:pass@example.com/hook'],
    ['https://token@example.com/hook'],
    [`https://example.com/${'a'.repeat(2100)}`],
  ])('refuses %s with INVALID_WEBHOOK_URL', (url) => {
    expect(isDomainError(refusal(url), 'INVALID_WEBHOOK_URL')).toBe(true);
  });
});

describe('verifyWebhookSignature', () => {
  const secret = 'whsec_test';
  const body = '{"id":"whd-1","type":"t"}';
  const timestamp = '1767225600';
  const at = (seconds: number) => new Date((Number(timestamp) + seconds) * 1000);
  const signature = signWebhook(secret, timestamp, body);

  it.each([
    ['the signature', secret, timestamp, body, signature, at(0), true],
    ['one of several signatures', secret, timestamp, body, `sha256=00, ${signature}`, at(0), true],
    ['a timestamp within the tolerance', secret, timestamp, body, signature, at(300), true],
    ['a wrong secret', 'whsec_other', timestamp, body, signature, at(0), false],
    ['an altered body', secret, timestamp, `${body}\n`, signature, at(0), false],
    ['an altered timestamp', secret, '1767225601', body, signature, at(0), false],
    ['an old timestamp (replay)', secret, timestamp, body, signature, at(301), false],
    ['a future timestamp', secret, timestamp, body, signature, at(-301), false],
    ['a malformed timestamp', secret, 'soon', body, signature, at(0), false],
    ['a missing scheme', secret, timestamp, body, signature.slice(7), at(0), false],
  ])('%s → %s', (_name, key, ts, content, header, now, valid) => {
    expect(verifyWebhookSignature(key, ts, content, header, now)).toBe(valid);
  });

  it('agrees with `openssl dgst -sha256 -hmac` over "<timestamp>.<body>" (docs/webhooks.md)', () => {
    const digest = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret, '-r'], {
      input: `${timestamp}.${body}`,
    })
      .toString('utf8')
      .split(' ')[0];
    expect(signature).toBe(`sha256=${digest}`);
  });
});
