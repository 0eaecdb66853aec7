import type { FastifyRequest } from 'fastify';

import type { AccountService } from '../../domain/accounts/account-service.js';
import type { Account } from '../../domain/types.js';
import { DomainError } from '../../errors/domain-error.js';
import {
  csrfTokenMatches,
  type ConsoleSession,
  type ConsoleSessionStore,
} from './console-session-store.js';
import { CSRF_HEADER, sessionCookieOf } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The console session the request authenticated with, when it used the cookie. */
    consoleSession: { readonly id: string; readonly session: ConsoleSession } | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The account of a /v1 request's session cookie, or undefined without a live
 * session. A request that changes something must echo the session's CSRF
 * token in `X-CSRF-Token`: a header another site's page cannot set.
 */
export async function authenticateSessionCookie(
  request: FastifyRequest,
  accounts: AccountService,
  sessions: ConsoleSessionStore,
): Promise<Account | undefined> {
  if (!request.url.startsWith('/v1/')) return undefined;
  const id = sessionCookieOf(request);
  if (id === undefined) return undefined;
  const session = await sessions.find(id);
  if (session === undefined) return undefined;
  const account = await accounts.authenticate(session.apiToken);
  if (account === undefined) {
    // The API token was revoked: the session goes with it.
    await sessions.delete(id);
    return undefined;
  }
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers[CSRF_HEADER];
    if (!csrfTokenMatches(session, typeof header === 'string' ? header : undefined)) {
      throw new DomainError(
        'CSRF_TOKEN_INVALID',
        `a request authenticated by the session cookie must send the session's CSRF token in the ${CSRF_HEADER} header`,
      );
    }
  }
  request.consoleSession = { id, session };
  return account;
}
