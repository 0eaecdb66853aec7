import { randomBytes, randomInt } from 'node:crypto';

/** A random id with a readable prefix: `pg-3f9a0c1d2e4b5a6c`. */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

/** A 12-digit account id, never starting with 0. */
export function newAccountId(): string {
  return String(randomInt(100_000, 1_000_000)) + String(randomInt(0, 1_000_000)).padStart(6, '0');
}
