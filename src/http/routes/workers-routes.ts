import { Type } from 'typebox';

import { ISOLATION_KINDS } from '../../domain/jobs/job-requirements.js';
import { PLATFORMS } from '../../domain/types.js';
import { PROCESS_ROLES } from '../../domain/workers/worker-record.js';
import type { AppServices } from '../app-services.js';
import { caller } from '../auth.js';
import type { TypedApp } from '../typed-app.js';

const WorkerSchema = Type.Object({
  id: Type.String({ description: 'The worker pool’s name; running jobs carry it as their owner' }),
  host: Type.String(),
  pid: Type.Integer(),
  role: Type.Enum(PROCESS_ROLES),
  capabilities: Type.Object({
    platforms: Type.Array(Type.Enum(PLATFORMS)),
    osFamilies: Type.Array(Type.String()),
    isolation: Type.Array(Type.Enum(ISOLATION_KINDS)),
  }),
  concurrency: Type.Integer({ description: 'Jobs it runs at once' }),
  busy: Type.Integer({ description: 'Jobs it ran at its last refresh' }),
  draining: Type.Boolean({ description: 'Finishing its running jobs before it stops' }),
  startedAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
});

/** The workers registry, for operators: which processes build, with what, and how busy. */
export function workersRoutes(app: TypedApp, services: AppServices): void {
  app.get(
    '/v1/workers',
    {
      schema: {
        tags: ['operators'],
        summary:
          'Live build worker processes of the cluster, with their capabilities and load (operators)',
        response: { 200: Type.Object({ workers: Type.Array(WorkerSchema) }) },
      },
    },
    async (request) => {
      const workers = await services.workers.list(caller(request, 'operator'));
      return {
        workers: workers.map((worker) => ({
          ...worker,
          capabilities: {
            platforms: [...worker.capabilities.platforms],
            osFamilies: [...worker.capabilities.osFamilies],
            isolation: [...worker.capabilities.isolation],
          },
        })),
      };
    },
  );
}
