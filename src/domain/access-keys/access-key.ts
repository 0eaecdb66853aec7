import { randomBytes, randomInt } from 'node:crypto';

/** An access key as stored: its secret only as AES-256-GCM ciphertext. */
export interface StoredAccessKey {
  /** `GSKA` + 16 upper-case base32 characters: 20 characters, like AWS's `AKIA…` ids. */
  readonly id: string;
  readonly accountId: string;
  /** Base64 of the ciphertext followed by the 16-byte GCM tag. */
  readonly secretCiphertext: string;
  /** Base64 of the 12-byte GCM nonce. */
  readonly secretNonce: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

/** An access key as its owner sees it: never the secret. */
export interface AccessKeyView {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

export const ACCESS_KEY_ID_PREFIX = 'GSKA';
export const ACCESS_KEY_ID_PATTERN = /^GSKA[A-Z2-7]{16}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new access key id: `GSKA` and 16 random base32 characters (80 bits). */
export function newAccessKeyId(): string {
  let id = ACCESS_KEY_ID_PREFIX;
  for (let i = 0; i < 16; i++) id += BASE32[randomInt(BASE32.length)];
  return id;
}

/** A new secret access key: 40 base64url characters (240 bits), shown to its owner once. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64url');
}

/** The owner's view of a stored key. */
export function toAccessKeyView(key: StoredAccessKey): AccessKeyView {
  return {
    accessKeyId: key.id,
    accountId: key.accountId,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
  };
}
