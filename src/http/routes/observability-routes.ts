import { Type } from 'typebox';

import type { AppServices } from '../app-services.js';
import type { TypedApp } from '../typed-app.js';

/**
 * Liveness, readiness and Prometheus metrics, for load balancers, orchestrators and scrapers.
 * None needs a token: they tell nothing about any account.
 */
export function observabilityRoutes(
  app: TypedApp,
  services: Pick<AppServices, 'metrics' | 'readiness'>,
  version: string,
): void {
  app.get(
    '/v1/health',
    {
      schema: {
        tags: ['service'],
        summary: 'Liveness: the process answers',
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String() }) },
      },
    },
    async () => ({ status: 'ok' as const, version }),
  );

  app.get(
    '/v1/ready',
    {
      schema: {
        tags: ['service'],
        summary: 'Readiness: the database and the blob store answer (503 with the problems if not)',
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal('ready') }),
          503: Type.Object({
            status: Type.Literal('not-ready'),
            problems: Type.Array(Type.String()),
          }),
        },
      },
    },
    async (_request, reply) => {
      const problems = await services.readiness();
      return problems.length === 0
        ? reply.send({ status: 'ready' as const })
        : reply.status(503).send({ status: 'not-ready' as const, problems });
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['service'],
        summary: 'Prometheus metrics: queue depth and age, build phases, HTTP latencies, workers',
        security: [],
        produces: ['text/plain'],
      },
    },
    async (_request, reply) => {
      const { contentType, body } = await services.metrics.exposition();
      return reply.type(contentType).send(body);
    },
  );
}
