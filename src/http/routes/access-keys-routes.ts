import { Type } from 'typebox';

import type { AppServices } from '../app-services.js';
import { caller } from '../auth.js';
import type { TypedApp } from '../typed-app.js';

const AccessKeySchema = Type.Object({
  accessKeyId: Type.String(),
  accountId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** Access keys for the AWS-compatible API: each account manages its own; operators see any. */
export function accessKeysRoutes(app: TypedApp, services: AppServices): void {
  app.post(
    '/v1/access-keys',
    {
      schema: {
        tags: ['access-keys'],
        summary: 'Create an access key for SigV4; the secret is shown in this reply only',
        response: {
          201: Type.Object({
            accessKeyId: Type.String(),
            secretAccessKey: Type.String(),
            accountId: Type.String(),
            createdAt: Type.String({ format: 'date-time' }),
            lastUsedAt: Type.Null(),
          }),
        },
      },
    },
    async (request, reply) => {
      const account = caller(request);
      const issued = await services.accessKeys.create(account.id);
      return reply.status(201).send({ ...issued, lastUsedAt: null });
    },
  );

  app.get(
    '/v1/access-keys',
    {
      schema: {
        tags: ['access-keys'],
        summary: "List the caller's access keys (operators: any account's), never their secrets",
        querystring: Type.Object({ accountId: Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ accessKeys: Type.Array(AccessKeySchema) }) },
      },
    },
    async (request) => {
      const account = caller(request);
      const accountId = request.query.accountId ?? account.id;
      if (accountId !== account.id) caller(request, 'operator');
      return { accessKeys: await services.accessKeys.list(accountId) };
    },
  );

  app.delete(
    '/v1/access-keys/:accessKeyId',
    {
      schema: {
        tags: ['access-keys'],
        summary: 'Delete an access key of the caller (operators: of any account)',
        params: Type.Object({ accessKeyId: Type.String() }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await services.accessKeys.delete(caller(request), request.params.accessKeyId);
      return reply.status(204).send(null);
    },
  );
}
