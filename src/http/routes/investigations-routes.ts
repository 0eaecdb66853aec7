import { Type } from 'typebox';

import type { AppServices } from '../app-services.js';
import { BuildSchema, SupportCaseSchema } from '../api-schemas.js';
import { caller } from '../auth.js';
import type { TypedApp } from '../typed-app.js';

/** Builds that failed on our side: the operators' queue and the sellers' support cases. */
export function investigationsRoutes(app: TypedApp, services: AppServices): void {
  const params = Type.Object({ buildId: Type.String() });
  const messageBody = Type.Object(
    { message: Type.String({ minLength: 1, maxLength: 4000 }) },
    { additionalProperties: false },
  );

  app.get(
    '/v1/operator/investigations',
    {
      schema: {
        tags: ['operators'],
        summary: 'Every build in Investigating, oldest first, with its internal error',
        response: {
          200: Type.Object({
            builds: Type.Array(BuildSchema),
            owners: Type.Array(
              Type.Object({
                buildId: Type.String(),
                accountId: Type.String(),
                accountName: Type.Union([Type.String(), Type.Null()]),
                packageGroupName: Type.Union([Type.String(), Type.Null()]),
              }),
              { description: 'Whose each build is, for the console: one entry per build' },
            ),
          }),
        },
      },
    },
    async (request) => {
      const builds = await services.investigations.list(caller(request, 'operator'));
      return { builds, owners: await services.investigations.owners(builds) };
    },
  );

  app.post(
    '/v1/operator/builds/:buildId/retry',
    {
      schema: {
        tags: ['operators'],
        summary: 'Run an Investigating build again from the start',
        params,
        response: { 200: BuildSchema },
      },
    },
    async (request) =>
      services.investigations.retry(caller(request, 'operator'), request.params.buildId),
  );

  app.post(
    '/v1/operator/builds/:buildId/close',
    {
      schema: {
        tags: ['operators'],
        summary: 'Close an Investigating build as IssuesFound with a note to the seller',
        params,
        body: messageBody,
        response: { 200: BuildSchema },
      },
    },
    async (request) =>
      services.investigations.close(
        caller(request, 'operator'),
        request.params.buildId,
        request.body.message,
      ),
  );

  app.post(
    '/v1/builds/:buildId/support-cases',
    {
      schema: {
        tags: ['builds'],
        summary: 'Contact the operators about a build Investigating for four business days or more',
        params,
        body: messageBody,
        response: { 201: SupportCaseSchema },
      },
    },
    async (request, reply) => {
      const supportCase = await services.investigations.contactOperations(
        caller(request),
        request.params.buildId,
        request.body.message,
      );
      return reply.status(201).send(supportCase);
    },
  );

  app.get(
    '/v1/support-cases',
    {
      schema: {
        tags: ['builds'],
        summary: 'Support cases: operators see every one, others their own',
        response: { 200: Type.Object({ supportCases: Type.Array(SupportCaseSchema) }) },
      },
    },
    async (request) => ({
      supportCases: await services.investigations.supportCases(caller(request)),
    }),
  );
}
