import { Type } from 'typebox';

import { DomainError } from '../../errors/domain-error.js';
import type { AppServices } from '../app-services.js';
import { AccountSchema } from '../api-schemas.js';
import { caller } from '../auth.js';
import type { TypedApp } from '../typed-app.js';
import type { ConsoleSessionStore } from './console-session-store.js';
import { setSessionCookie } from './session-cookie.js';

const SessionSchema = Type.Object({
  account: AccountSchema,
  csrfToken: Type.Optional(
    Type.String({
      description:
        'Send in `X-CSRF-Token` with every non-GET request authenticated by the session cookie. Absent for bearer-token callers.',
    }),
  ),
});

/** Sign-in, the current session and sign-out for the web console's session cookie. */
export function sessionRoutes(
  app: TypedApp,
  services: AppServices,
  sessions: ConsoleSessionStore,
): void {
  app.post(
    '/v1/session',
    {
      schema: {
        tags: ['session'],
        summary:
          'Sign in to the web console with an API token; sets an HttpOnly session cookie and returns a CSRF token',
        security: [],
        body: Type.Object(
          { token: Type.String({ minLength: 1, maxLength: 512 }) },
          { additionalProperties: false },
        ),
        response: { 201: SessionSchema },
      },
      // The body carries the credential; an old cookie must not get in the way.
      config: { bearerAuth: false },
    },
    async (request, reply) => {
      const account = await services.accounts.authenticate(request.body.token);
      if (account === undefined)
        throw new DomainError('UNAUTHENTICATED', 'the API token is not valid');
      const { id, session } = await sessions.create(request.body.token);
      setSessionCookie(request, reply, id);
      return reply.status(201).send({ account, csrfToken: session.csrfToken });
    },
  );

  app.get(
    '/v1/session',
    {
      schema: {
        tags: ['session'],
        summary: 'The signed-in account, and the CSRF token of a cookie session',
        response: { 200: SessionSchema },
      },
    },
    async (request) => {
      const account = caller(request);
      const csrfToken = request.consoleSession?.session.csrfToken;
      return csrfToken === undefined ? { account } : { account, csrfToken };
    },
  );

  app.delete(
    '/v1/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Sign out: ends the cookie session at once and clears the cookie',
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      caller(request);
      if (request.consoleSession !== undefined) await sessions.delete(request.consoleSession.id);
      setSessionCookie(request, reply, undefined);
      return reply.status(204).send(null);
    },
  );
}
