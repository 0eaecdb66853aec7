import type { Readable } from 'node:stream';

import { Type } from 'typebox';

import type { AppServices } from '../app-services.js';
import { caller } from '../auth.js';
import type { TypedApp } from '../typed-app.js';

const GoldImageSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Enum(['base', 'test', 'gold', 'private'] as const),
  osVersion: Type.String({ description: 'e.g. debian-12' }),
  owner: Type.Enum(['self', 'shared'] as const, {
    description: 'self: the buyer’s own image; shared: shared with the buyer (base images)',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  sizeBytes: Type.Integer({ description: 'Compressed size of the image’s layers' }),
});

/** Buyers' gold images: import an image they own, and list the images they can build on. */
export function goldImagesRoutes(app: TypedApp, services: AppServices): void {
  // The application/octet-stream parser that leaves the body a stream is the packages routes'.
  app.post(
    '/v1/gold-images',
    {
      bodyLimit: Number.MAX_SAFE_INTEGER,
      schema: {
        tags: ['gold-images'],
        summary:
          'Import a gold image (body: a root filesystem tar, OCI archive or docker save archive, ' +
          'Content-Type: application/octet-stream)',
        querystring: Type.Object({
          fileName: Type.String({
            minLength: 1,
            maxLength: 255,
            description: 'e.g. rootfs.tar.zst',
          }),
          name: Type.Optional(
            Type.String({ minLength: 1, maxLength: 128, description: 'Defaults to fileName' }),
          ),
        }),
        response: { 201: GoldImageSchema },
      },
    },
    async (request, reply) => {
      const buyer = caller(request, 'buyer');
      const { fileName, name } = request.query;
      const image = await services.goldImages.import(buyer, {
        fileName,
        ...(name === undefined ? {} : { name }),
        data: { kind: 'stream', body: request.body as Readable },
      });
      return reply.status(201).send(image);
    },
  );

  app.get(
    '/v1/gold-images',
    {
      schema: {
        tags: ['gold-images'],
        summary: 'The images the buyer can build on: its own gold images and shared base images',
        response: { 200: Type.Object({ images: Type.Array(GoldImageSchema) }) },
      },
    },
    async (request) => ({ images: await services.goldImages.list(caller(request, 'buyer')) }),
  );

  app.get(
    '/v1/gold-images/:imageId',
    {
      schema: {
        tags: ['gold-images'],
        summary: 'One image the buyer can build on',
        params: Type.Object({ imageId: Type.String() }),
        response: { 200: GoldImageSchema },
      },
    },
    async (request) => services.goldImages.get(caller(request, 'buyer'), request.params.imageId),
  );
}
