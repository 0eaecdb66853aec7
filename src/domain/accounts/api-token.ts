import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'gs_';

/** A new API token secret; shown to its owner once and never stored. */
export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** The stored form of a token secret: sha256, hex. Tokens are random, so no salt is needed. */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
