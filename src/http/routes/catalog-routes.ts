import { Type } from 'typebox';

import type { AppServices } from '../app-services.js';
import { OsVersionSchema } from '../api-schemas.js';
import { caller } from '../auth.js';
import type { TypedApp } from '../typed-app.js';

/** The OS catalog and, for operators, its base images. */
export function catalogRoutes(app: TypedApp, services: AppServices): void {
  app.get(
    '/v1/os-versions',
    {
      schema: {
        tags: ['catalog'],
        summary: 'OS versions a package group may choose, with their newest base image',
        response: { 200: Type.Object({ osVersions: Type.Array(OsVersionSchema) }) },
      },
    },
    async (request) => {
      caller(request);
      return { osVersions: await services.baseImages.list() };
    },
  );

  app.get(
    '/v1/base-images',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Every base image made, newest first (operators)',
        response: {
          200: Type.Object({
            baseImages: Type.Array(
              Type.Object({
                imageId: Type.String(),
                osVersion: Type.String(),
                rootDigest: Type.String(),
                recipe: Type.Record(Type.String(), Type.Unknown()),
                createdAt: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      caller(request, 'operator');
      return { baseImages: await services.baseImages.history() };
    },
  );

  app.post(
    '/v1/base-images/:osVersion/refresh',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Rebuild an OS version’s base image from the current archive (operators)',
        params: Type.Object({ osVersion: Type.String() }),
        response: { 202: Type.Object({ jobId: Type.String() }) },
      },
    },
    async (request, reply) => {
      caller(request, 'operator');
      const jobId = await services.baseImages.requestRefresh(request.params.osVersion);
      return reply.status(202).send({ jobId });
    },
  );
}
