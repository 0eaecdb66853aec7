import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import type { Clock } from '../../domain/clock.js';

/** A signed-in console session; only the server ever sees the API token it holds. */
export interface ConsoleSession {
  /** The API token the user signed in with; re-checked on every request so revoking it ends the session. */
  readonly apiToken: string;
  /** Sent back in `X-CSRF-Token` on every request that changes something. */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
}

export interface ConsoleSessionLimits {
  /** A session unused for this long ends. */
  readonly idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  readonly maxAgeMs: number;
  /** Past this many live sessions, the least recently used one ends. */
  readonly maxSessions: number;
}

const DEFAULT_LIMITS: ConsoleSessionLimits = {
  idleMs: 8 * 60 * 60 * 1000,
  maxAgeMs: 24 * 60 * 60 * 1000,
  maxSessions: 10_000,
};

/**
 * Console sessions kept in this process's memory, keyed by the SHA-256 of the
 * cookie value. The cookie is a random id, so a stolen cookie never reveals
 * the API token; a restart signs everyone out, which only costs a sign-in.
 */
export class ConsoleSessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: ConsoleSessionLimits = DEFAULT_LIMITS,
  ) {}

  /** Starts a session for an API token; returns the cookie value (the session id) and the session. */
  create(apiToken: string): { id: string; session: ConsoleSession } {
    const now = this.clock.now().getTime();
    const id = randomBytes(32).toString('base64url');
    const session: ConsoleSession = {
      apiToken,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    this.evictIfFull();
    this.sessions.set(keyOf(id), session);
    return { id, session };
  }

  /** The live session a cookie value names, marking it used; undefined when unknown or expired. */
  find(id: string): ConsoleSession | undefined {
    const key = keyOf(id);
    const session = this.sessions.get(key);
    if (session === undefined) return undefined;
    const now = this.clock.now().getTime();
    if (
      now - session.lastSeenAt > this.limits.idleMs ||
      now - session.createdAt > this.limits.maxAgeMs
    ) {
      this.sessions.delete(key);
      return undefined;
    }
    session.lastSeenAt = now;
    // Re-inserting keeps the map in least-recently-used order for eviction.
    this.sessions.delete(key);
    this.sessions.set(key, session);
    return session;
  }

  /** Ends the session a cookie value names, if any. */
  delete(id: string): void {
    this.sessions.delete(keyOf(id));
  }

  private evictIfFull(): void {
    while (this.sessions.size >= this.limits.maxSessions) {
      const oldest = this.sessions.keys().next();
      if (oldest.done === true) return;
      this.sessions.delete(oldest.value);
    }
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
