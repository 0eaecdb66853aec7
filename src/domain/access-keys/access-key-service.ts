import { DomainError } from '../../errors/domain-error.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { Account } from '../types.js';
import {
  newAccessKeyId,
  newSecretAccessKey,
  toAccessKeyView,
  type AccessKeyView,
  type StoredAccessKey,
} from './access-key.js';
import type { SecretCipher } from './secret-cipher.js';

/** At most this many access keys per account, so a leaked token cannot mint keys without end. */
export const MAX_ACCESS_KEYS_PER_ACCOUNT = 5;

/** A new key with its secret, returned once. */
export interface IssuedAccessKey extends AccessKeyView {
  readonly secretAccessKey: string;
}

/** A key's owner and plain secret, for signature verification only. */
export interface AccessKeySecret {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly secretAccessKey: string;
}

/** Access keys for the AWS-compatible API: per account, secrets encrypted at rest. */
export class AccessKeyService {
  constructor(
    private readonly store: Store,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
  ) {}

  /** Creates a key for `accountId`; its secret is returned here and never again. */
  async create(accountId: string): Promise<IssuedAccessKey> {
    return this.store.transaction(async (tx) => {
      if ((await tx.accounts.get(accountId)) === undefined) {
        throw new DomainError('ACCOUNT_NOT_FOUND', `account ${accountId} does not exist`);
      }
      if ((await tx.accessKeys.countForAccount(accountId)) >= MAX_ACCESS_KEYS_PER_ACCOUNT) {
        throw new DomainError(
          'ACCESS_KEY_LIMIT_REACHED',
          `an account may hold at most ${MAX_ACCESS_KEYS_PER_ACCOUNT} access keys; delete one first`,
        );
      }
      const id = newAccessKeyId();
      const secret = newSecretAccessKey();
      const sealed = this.cipher.seal(secret, associatedData(id, accountId));
      const key: StoredAccessKey = {
        id,
        accountId,
        secretCiphertext: sealed.ciphertext,
        secretNonce: sealed.nonce,
        createdAt: this.clock.now().toISOString(),
        lastUsedAt: null,
      };
      await tx.accessKeys.insert(key);
      return { ...toAccessKeyView(key), secretAccessKey: secret };
    });
  }

  /** An account's keys, oldest first, without secrets. */
  async list(accountId: string): Promise<AccessKeyView[]> {
    return (await this.store.accessKeys.listForAccount(accountId)).map(toAccessKeyView);
  }

  /** Deletes a key of the caller's account; operators may delete any account's key. */
  async delete(caller: Account, accessKeyId: string): Promise<void> {
    const owner = caller.roles.includes('operator') ? null : caller.id;
    if (!(await this.store.accessKeys.delete(owner, accessKeyId))) {
      throw new DomainError('ACCESS_KEY_NOT_FOUND', `access key ${accessKeyId} does not exist`);
    }
  }

  /** The key's owner and decrypted secret, or undefined for an unknown key id. */
  async secretOf(accessKeyId: string): Promise<AccessKeySecret | undefined> {
    const key = await this.store.accessKeys.get(accessKeyId);
    if (key === undefined) return undefined;
    const secretAccessKey = this.cipher.open(
      { ciphertext: key.secretCiphertext, nonce: key.secretNonce },
      associatedData(key.id, key.accountId),
    );
    return { accessKeyId: key.id, accountId: key.accountId, secretAccessKey };
  }

  /** Records that a key just signed an accepted request. */
  async markUsed(accessKeyId: string): Promise<void> {
    await this.store.accessKeys.markUsed(accessKeyId, this.clock.now().toISOString());
  }
}

function associatedData(accessKeyId: string, accountId: string): string {
  return `goldsmith-access-key:${accessKeyId}:${accountId}`;
}
