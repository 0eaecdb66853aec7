import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { AccountService } from '../domain/accounts/account-service.js';
import { requireRole } from '../domain/accounts/account-service.js';
import type { Account, Role } from '../domain/types.js';
import { DomainError } from '../errors/domain-error.js';
import type { ConsoleSessionStore } from './console/console-session-store.js';
import { authenticateSessionCookie } from './console/session-authentication.js';

declare module 'fastify' {
  interface FastifyRequest {
    account: Account | undefined;
  }
  interface FastifyContextConfig {
    /** false for routes that authenticate otherwise (the AWS protocol signs with SigV4). */
    bearerAuth?: boolean;
  }
}

/**
 * Resolves `Authorization: Bearer <token>` to the request's account on every
 * /v1 request; without that header, the web console's session cookie (which
 * needs a CSRF token on requests that change something).
 */
export function registerAuthentication(
  app: FastifyInstance,
  accounts: AccountService,
  sessions: ConsoleSessionStore,
): void {
  app.decorateRequest('account', undefined);
  app.decorateRequest('consoleSession', undefined);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.bearerAuth === false) return;
    const header = request.headers.authorization;
    if (header === undefined) {
      request.account = await authenticateSessionCookie(request, accounts, sessions);
      return;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match === null)
      throw new DomainError('UNAUTHENTICATED', 'the Authorization header must be `Bearer <token>`');
    const account = await accounts.authenticate(match[1]!);
    if (account === undefined)
      throw new DomainError('UNAUTHENTICATED', 'the API token is not valid');
    request.account = account;
  });
}

/** The caller's account; throws UNAUTHENTICATED without one, FORBIDDEN_ROLE without `role`. */
export function caller(request: FastifyRequest, role?: Role): Account {
  const account = request.account;
  if (account === undefined)
    throw new DomainError('UNAUTHENTICATED', 'send an API token: `Authorization: Bearer <token>`');
  if (role !== undefined) requireRole(account, role);
  return account;
}
