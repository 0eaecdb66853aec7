import { Type } from 'typebox';

import { ROLES } from '../../domain/types.js';
import type { AppServices } from '../app-services.js';
import { AccountSchema, IssuedTokenSchema, RoleSchema } from '../api-schemas.js';
import { caller } from '../auth.js';
import type { TypedApp } from '../typed-app.js';

/** Accounts and API tokens: operators create them, everyone reads their own. */
export function accountsRoutes(app: TypedApp, services: AppServices): void {
  app.post(
    '/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create an account with a first API token (operators)',
        body: Type.Object(
          {
            name: Type.String(),
            roles: Type.Array(RoleSchema, { minItems: 1, maxItems: ROLES.length }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            account: AccountSchema,
            accountId: Type.String(),
            tokenId: Type.String(),
            token: Type.String(),
          }),
        },
      },
    },
    async (request, reply) => {
      caller(request, 'operator');
      const created = await services.accounts.create(request.body.name, request.body.roles);
      return reply.status(201).send({ ...created, accountId: created.account.id });
    },
  );

  app.get(
    '/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'List accounts (operators)',
        response: { 200: Type.Object({ accounts: Type.Array(AccountSchema) }) },
      },
    },
    async (request) => {
      caller(request, 'operator');
      return { accounts: await services.accounts.list() };
    },
  );

  app.get(
    '/v1/accounts/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The calling account',
        response: { 200: AccountSchema },
      },
    },
    async (request) => caller(request),
  );

  app.post(
    '/v1/accounts/:accountId/tokens',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Issue another API token (operators for any account, others for their own)',
        params: Type.Object({ accountId: Type.String() }),
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: { 201: IssuedTokenSchema },
      },
    },
    async (request, reply) => {
      const account = caller(request);
      const { accountId } = request.params;
      if (accountId !== account.id) caller(request, 'operator');
      const issued = await services.accounts.issueToken(accountId, request.body.name);
      return reply.status(201).send({ ...issued, accountId });
    },
  );

  app.get(
    '/v1/accounts/:accountId/tokens',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'List API tokens without their secrets (operators for any account, others their own)',
        params: Type.Object({ accountId: Type.String() }),
        response: {
          200: Type.Object({
            tokens: Type.Array(
              Type.Object({
                tokenId: Type.String(),
                accountId: Type.String(),
                name: Type.String(),
                createdAt: Type.String({ format: 'date-time' }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const account = caller(request);
      const { accountId } = request.params;
      if (accountId !== account.id) caller(request, 'operator');
      await services.accounts.get(accountId);
      const tokens = await services.accounts.listTokens(accountId);
      return {
        tokens: tokens.map((t) => ({
          tokenId: t.id,
          accountId: t.accountId,
          name: t.name,
          createdAt: t.createdAt,
        })),
      };
    },
  );

  app.delete(
    '/v1/accounts/:accountId/tokens/:tokenId',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Revoke an API token (operators for any account, others their own)',
        params: Type.Object({ accountId: Type.String(), tokenId: Type.String() }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const account = caller(request);
      const { accountId, tokenId } = request.params;
      if (accountId !== account.id) caller(request, 'operator');
      await services.accounts.revokeToken(accountId, tokenId);
      return reply.status(204).send(null);
    },
  );
}
