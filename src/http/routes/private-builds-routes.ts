import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';

import type { PrivateImageBuild } from '../../domain/private-builds/private-build.js';
import { PRIVATE_BUILD_STATUSES } from '../../domain/private-builds/private-build.js';
import type { LogLine } from '../../domain/types.js';
import type { AppServices } from '../app-services.js';
import { FindingSchema, ImageSchema } from '../api-schemas.js';
import { caller } from '../auth.js';
import { requestBaseUrl } from '../request-base-url.js';
import type { TypedApp } from '../typed-app.js';

const PrivateBuildSchema = Type.Object({
  id: Type.String({ description: '`bld-` and 16 hex digits' }),
  fulfillmentOptionIds: Type.Array(Type.String()),
  sourceImageId: Type.String(),
  destinationImage: Type.Object({
    id: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
  }),
  tags: Type.Record(Type.String(), Type.String()),
  webhookUrl: Type.Union([Type.String(), Type.Null()]),
  clientToken: Type.Union([Type.String(), Type.Null()]),
  status: Type.Enum(PRIVATE_BUILD_STATUSES),
  errorDetail: Type.Union([
    Type.Object({ code: Type.String(), message: Type.String() }),
    Type.Null(),
  ]),
  findings: Type.Array(FindingSchema),
  products: Type.Array(
    Type.Object({ id: Type.String(), version: Type.String(), title: Type.String() }),
  ),
  standardOutputUrl: Type.String({ description: 'Expiring link to the installer’s stdout' }),
  standardErrorUrl: Type.String({ description: 'Expiring link to the installer’s stderr' }),
  startTime: Type.String({ format: 'date-time' }),
  lastUpdateTime: Type.String({ format: 'date-time' }),
});

const StartBody = Type.Object({
  fulfillmentOptionIds: Type.Array(Type.String(), { minItems: 1 }),
  sourceImageId: Type.String(),
  destinationImageName: Type.String(),
  destinationImageDescription: Type.Optional(Type.String()),
  tags: Type.Optional(
    Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.String({ maxLength: 256 })),
  ),
  webhookUrl: Type.Optional(Type.String()),
  clientToken: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

const Stream = Type.Enum(['stdout', 'stderr'] as const, { default: 'stdout' });

/** Buyers' private image builds and the private images they made; only the caller's own. */
export function privateBuildsRoutes(app: TypedApp, services: AppServices): void {
  const view = (request: FastifyRequest, build: PrivateImageBuild) => {
    const links = services.privateBuilds.logLinks(build, requestBaseUrl(request));
    return {
      id: build.id,
      fulfillmentOptionIds: [...build.fulfillmentOptionIds],
      sourceImageId: build.sourceImageId,
      destinationImage: {
        id: build.imageId,
        name: build.destinationName,
        description: build.destinationDescription,
      },
      tags: { ...build.tags },
      webhookUrl: build.webhookUrl,
      clientToken: build.clientToken,
      status: build.status,
      errorDetail: build.errorDetail,
      findings: [...build.findings],
      products: [...build.products],
      standardOutputUrl: links.stdout,
      standardErrorUrl: links.stderr,
      startTime: build.startTime,
      lastUpdateTime: build.lastUpdateTime,
    };
  };

  app.post(
    '/v1/private-image-builds',
    {
      schema: {
        tags: ['private-images'],
        summary:
          'Start a private image build (the same client token and parameters return the first build)',
        body: StartBody,
        response: { 201: PrivateBuildSchema, 200: PrivateBuildSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { build, created } = await services.privateBuilds.start(caller(request), {
        fulfillmentOptionIds: body.fulfillmentOptionIds,
        sourceImageId: body.sourceImageId,
        destinationName: body.destinationImageName,
        ...(body.destinationImageDescription === undefined
          ? {}
          : { destinationDescription: body.destinationImageDescription }),
        ...(body.tags === undefined ? {} : { tags: body.tags }),
        ...(body.webhookUrl === undefined ? {} : { webhookUrl: body.webhookUrl }),
        ...(body.clientToken === undefined ? {} : { clientToken: body.clientToken }),
      });
      return reply.status(created ? 201 : 200).send(view(request, build));
    },
  );

  app.get(
    '/v1/private-image-builds',
    {
      schema: {
        tags: ['private-images'],
        summary: 'The caller’s private image builds, newest first',
        querystring: Type.Object({
          ids: Type.Optional(Type.String({ description: 'Comma-separated build ids' })),
          status: Type.Optional(Type.Enum(PRIVATE_BUILD_STATUSES)),
          fulfillmentOptionId: Type.Optional(Type.String()),
          maxResults: Type.Optional(Type.Integer()),
          nextToken: Type.Optional(Type.String()),
        }),
        response: {
          200: Type.Object({
            builds: Type.Array(PrivateBuildSchema),
            nextToken: Type.Optional(Type.String()),
          }),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const filters = [
        ...(q.status === undefined
          ? []
          : [
              {
                name: 'status',
                values: [q.status.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()],
              },
            ]),
        ...(q.fulfillmentOptionId === undefined
          ? []
          : [{ name: 'fulfillment-option-id', values: [q.fulfillmentOptionId] }]),
      ];
      const page = await services.privateBuilds.describe(caller(request), {
        ...(q.ids === undefined ? {} : { buildIds: q.ids.split(',').filter((id) => id !== '') }),
        filters,
        ...(q.maxResults === undefined ? {} : { maxResults: q.maxResults }),
        ...(q.nextToken === undefined ? {} : { nextToken: q.nextToken }),
      });
      return {
        builds: page.builds.map((b) => view(request, b)),
        ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
      };
    },
  );

  app.get(
    '/v1/private-image-builds/:buildId',
    {
      schema: {
        tags: ['private-images'],
        summary: 'One of the caller’s private image builds',
        params: Type.Object({ buildId: Type.String() }),
        response: { 200: PrivateBuildSchema },
      },
    },
    async (request) =>
      view(request, await services.privateBuilds.get(caller(request), request.params.buildId)),
  );

  app.get(
    '/v1/private-image-builds/:buildId/logs',
    {
      schema: {
        tags: ['private-images'],
        summary:
          'The installer’s stdout or stderr as text: with an API token, or with the expiring link’s expires and signature',
        security: [],
        params: Type.Object({ buildId: Type.String() }),
        querystring: Type.Object({
          stream: Stream,
          expires: Type.Optional(Type.Integer()),
          signature: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const { buildId } = request.params;
      const { stream, expires, signature } = request.query;
      const lines: LogLine[] =
        request.account === undefined && expires !== undefined && signature !== undefined
          ? await services.privateBuilds.logsByLink(buildId, stream, expires, signature)
          : await services.privateBuilds.logs(caller(request), buildId, stream);
      return reply
        .type('text/plain; charset=utf-8')
        .send(lines.map((line) => `${line.text}\n`).join(''));
    },
  );

  app.get(
    '/v1/private-images',
    {
      schema: {
        tags: ['private-images'],
        summary: 'The caller’s private images, newest first',
        response: { 200: Type.Object({ images: Type.Array(ImageSchema) }) },
      },
    },
    async (request) => ({ images: await services.privateBuilds.images(caller(request)) }),
  );

  app.get(
    '/v1/private-images/:imageId',
    {
      schema: {
        tags: ['private-images'],
        summary: 'One of the caller’s private images',
        params: Type.Object({ imageId: Type.String() }),
        response: { 200: ImageSchema },
      },
    },
    async (request) => services.privateBuilds.image(caller(request), request.params.imageId),
  );
}
