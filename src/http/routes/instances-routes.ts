import { Type } from 'typebox';

import type { Instance } from '../../domain/instances/instance.js';
import { INSTANCE_STATES } from '../../domain/instances/instance.js';
import type { AppServices } from '../app-services.js';
import { LogLineSchema, LogPageQuerySchema } from '../api-schemas.js';
import { caller } from '../auth.js';
import type { TypedApp } from '../typed-app.js';

const InstanceSchema = Type.Object({
  id: Type.String({ description: '`i-` and 17 hex digits' }),
  imageId: Type.String(),
  command: Type.Union([Type.Array(Type.String()), Type.Null()], {
    description: 'The argv run; null while the default is being chosen',
  }),
  defaultCommand: Type.Boolean({
    description: 'The image’s `/sbin/init` runs, or a shell that says there is none and sleeps',
  }),
  state: Type.Enum(INSTANCE_STATES),
  stateReason: Type.Union([Type.String(), Type.Null()]),
  exitCode: Type.Union([Type.Integer(), Type.Null()]),
  launchedAt: Type.String({ format: 'date-time' }),
  stoppedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  terminatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const ConsolePageSchema = Type.Object({
  lines: Type.Array(LogLineSchema),
  nextSeq: Type.Integer(),
  complete: Type.Boolean({
    description: 'The instance has ended and every line has been read.',
  }),
});

const LaunchBody = Type.Object({
  imageId: Type.String(),
  command: Type.Optional(
    Type.Array(Type.String({ maxLength: 4096 }), {
      minItems: 1,
      maxItems: 256,
      description: 'argv; without it the image’s init runs',
    }),
  ),
});

const params = Type.Object({ instanceId: Type.String() });

/** Images launched as instances on the Goldsmith host; only the caller's own. */
export function instancesRoutes(app: TypedApp, services: AppServices): void {
  const view = (instance: Instance) => ({
    id: instance.id,
    imageId: instance.imageId,
    command: instance.command === null ? null : [...instance.command],
    defaultCommand: instance.defaultCommand,
    state: instance.state,
    stateReason: instance.stateReason,
    exitCode: instance.exitCode,
    launchedAt: instance.launchedAt,
    stoppedAt: instance.stoppedAt,
    terminatedAt: instance.terminatedAt,
  });

  app.post(
    '/v1/instances',
    {
      schema: {
        tags: ['instances'],
        summary: 'Launch an image as an instance (it starts pending, then runs)',
        body: LaunchBody,
        response: { 201: InstanceSchema },
      },
    },
    async (request, reply) => {
      const { imageId, command } = request.body;
      const instance = await services.instances.launch(caller(request), {
        imageId,
        ...(command === undefined ? {} : { command }),
      });
      return reply.status(201).send(view(instance));
    },
  );

  app.get(
    '/v1/instances',
    {
      schema: {
        tags: ['instances'],
        summary: 'The caller’s instances, terminated ones included, newest first',
        response: { 200: Type.Object({ instances: Type.Array(InstanceSchema) }) },
      },
    },
    async (request) => ({
      instances: (await services.instances.list(caller(request))).map(view),
    }),
  );

  app.get(
    '/v1/instances/:instanceId',
    {
      schema: {
        tags: ['instances'],
        summary: 'One instance',
        params,
        response: { 200: InstanceSchema },
      },
    },
    async (request) =>
      view(await services.instances.get(caller(request), request.params.instanceId)),
  );

  app.get(
    '/v1/instances/:instanceId/console',
    {
      schema: {
        tags: ['instances'],
        summary: 'Console output (stdout, stderr and Goldsmith’s own lines) with timestamps',
        params,
        querystring: LogPageQuerySchema,
        response: { 200: ConsolePageSchema },
      },
    },
    async (request) =>
      services.instances.console(
        caller(request),
        request.params.instanceId,
        request.query.after,
        request.query.limit,
      ),
  );

  app.post(
    '/v1/instances/:instanceId/stop',
    {
      schema: {
        tags: ['instances'],
        summary: 'Stop the instance: its processes are killed, its files stay until terminate',
        params,
        response: { 200: InstanceSchema },
      },
    },
    async (request) =>
      view(await services.instances.stop(caller(request), request.params.instanceId)),
  );

  app.post(
    '/v1/instances/:instanceId/terminate',
    {
      schema: {
        tags: ['instances'],
        summary: 'Terminate the instance: stopped if need be, its sandbox and files removed',
        params,
        response: { 200: InstanceSchema },
      },
    },
    async (request) =>
      view(await services.instances.terminate(caller(request), request.params.instanceId)),
  );
}
