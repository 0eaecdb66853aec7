import { randomBytes } from 'node:crypto';

import type { Store } from '../../store/store.js';
import type { SecretCipher } from '../access-keys/secret-cipher.js';
import type { Clock } from '../clock.js';

/** An account's signing secret, as its owner sees it. */
export interface WebhookSigningSecret {
  readonly accountId: string;
  readonly secret: string;
  readonly createdAt: string;
}

/**
 * Per-account secrets that webhooks are signed with. The server must read them
 * back to sign, so they are kept encrypted, never hashed.
 */
export class WebhookSecretService {
  constructor(
    private readonly store: Store,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
  ) {}

  /** The account's secret, created on first use; concurrent first uses agree on one. */
  async getOrCreateSigningSecret(accountId: string): Promise<WebhookSigningSecret> {
    let stored = await this.store.webhooks.getSecret(accountId);
    if (stored === undefined) {
      const sealed = this.cipher.seal(newWebhookSecret(), associatedData(accountId));
      stored = await this.store.webhooks.insertSecretIfAbsent({
        accountId,
        secretCiphertext: sealed.ciphertext,
        secretNonce: sealed.nonce,
        createdAt: this.clock.now().toISOString(),
      });
    }
    const secret = this.cipher.open(
      { ciphertext: stored.secretCiphertext, nonce: stored.secretNonce },
      associatedData(accountId),
    );
    return { accountId, secret, createdAt: stored.createdAt };
  }
}

/** `whsec_` and 32 random bytes in base64url (256 bits, the HMAC-SHA256 block's worth). */
function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function associatedData(accountId: string): string {
  return `goldsmith-webhook-secret:${accountId}`;
}
