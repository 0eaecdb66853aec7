import { createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

import { SecretCipher, type SealedSecret } from '../../domain/access-keys/secret-cipher.js';
import type { Clock } from '../../domain/clock.js';
import type { ConsoleSessionRepository } from '../../store/store.js';

/** A signed-in console session; only the server ever sees the API token it holds. */
export interface ConsoleSession {
  /** The API token the user signed in with; re-checked on every request so revoking it ends the session. */
  readonly apiToken: string;
  /** Sent back in `X-CSRF-Token` on every request that changes something. */
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
}

export interface ConsoleSessionLimits {
  /** A session unused for this long ends. */
  readonly idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  readonly maxAgeMs: number;
  /**
   * A session's last use is written at most this often: a page load makes several requests,
   * and one write per request would cost more than the idle limit's precision is worth.
   */
  readonly touchEveryMs: number;
}

const DEFAULT_LIMITS: ConsoleSessionLimits = {
  idleMs: 8 * 60 * 60 * 1000,
  maxAgeMs: 24 * 60 * 60 * 1000,
  touchEveryMs: 60 * 1000,
};

/**
 * Console sessions kept in the database, so every API server on the database accepts them and
 * a restart signs no one out. The cookie is a random id; a row is keyed by its SHA-256 and
 * holds the API token sealed with a key derived from the cookie value, so a copy of the table
 * yields neither a working cookie nor a token, and no server needs a shared key for it.
 */
export class ConsoleSessionStore {
  constructor(
    private readonly sessions: ConsoleSessionRepository,
    private readonly clock: Clock,
    private readonly limits: ConsoleSessionLimits = DEFAULT_LIMITS,
  ) {}

  /** Starts a session for an API token; returns the cookie value (the session id) and the session. */
  async create(apiToken: string): Promise<{ id: string; session: ConsoleSession }> {
    const now = this.clock.now();
    // Sign-ins are rare enough to sweep expired sessions on each.
    await this.sessions.deleteExpired(
      new Date(now.getTime() - this.limits.idleMs).toISOString(),
      new Date(now.getTime() - this.limits.maxAgeMs).toISOString(),
    );
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const idHash = keyOf(id);
    await this.sessions.insert({
      idHash,
      sealedApiToken: JSON.stringify(cipherOf(id).seal(apiToken, idHash)),
      csrfToken,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
    });
    const at = now.getTime();
    return { id, session: { apiToken, csrfToken, createdAt: at, lastSeenAt: at } };
  }

  /** The live session a cookie value names, marking it used; undefined when unknown or expired. */
  async find(id: string): Promise<ConsoleSession | undefined> {
    const key = keyOf(id);
    const stored = await this.sessions.get(key);
    if (stored === undefined) return undefined;
    const now = this.clock.now().getTime();
    const createdAt = Date.parse(stored.createdAt);
    const lastSeenAt = Date.parse(stored.lastSeenAt);
    if (now - lastSeenAt > this.limits.idleMs || now - createdAt > this.limits.maxAgeMs) {
      await this.sessions.delete(key);
      return undefined;
    }
    if (now - lastSeenAt >= this.limits.touchEveryMs) {
      await this.sessions.touch(key, new Date(now).toISOString());
    }
    return {
      apiToken: cipherOf(id).open(JSON.parse(stored.sealedApiToken) as SealedSecret, key),
      csrfToken: stored.csrfToken,
      createdAt,
      lastSeenAt: now,
    };
  }

  /** Ends the session a cookie value names, if any. */
  async delete(id: string): Promise<void> {
    await this.sessions.delete(keyOf(id));
  }
}

/** True when `candidate` is the session's CSRF token, compared in constant time. */
export function csrfTokenMatches(session: ConsoleSession, candidate: string | undefined): boolean {
  if (candidate === undefined) return false;
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(candidate);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function keyOf(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** The cipher of one session's API token: its key comes from the cookie value (HKDF, RFC 5869). */
function cipherOf(id: string): SecretCipher {
  const key = hkdfSync('sha256', id, '', 'goldsmith console session api token', 32);
  return new SecretCipher(Buffer.from(key));
}
