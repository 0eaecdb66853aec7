import type { Readable } from 'node:stream';

import { Type } from 'typebox';

import type { AppServices } from '../app-services.js';
import { PackageSchema } from '../api-schemas.js';
import { caller } from '../auth.js';
import type { TypedApp } from '../typed-app.js';

/** Package uploads: the body is the file itself, streamed to the blob store. */
export function packagesRoutes(app: TypedApp, services: AppServices): void {
  // Leave octet-stream bodies unparsed so uploads stream instead of buffering.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) =>
    done(null, payload),
  );

  app.post(
    '/v1/packages',
    {
      bodyLimit: Number.MAX_SAFE_INTEGER,
      schema: {
        tags: ['packages'],
        summary: 'Upload a package file (body: the file, Content-Type: application/octet-stream)',
        querystring: Type.Object({
          fileName: Type.String({ description: 'The file name, e.g. install.sh' }),
        }),
        response: { 201: PackageSchema },
      },
    },
    async (request, reply) => {
      const account = caller(request, 'seller');
      const body = request.body as Readable;
      const pkg = await services.packages.upload(account.id, request.query.fileName, body);
      return reply.status(201).send(pkg);
    },
  );

  app.get(
    '/v1/packages',
    {
      schema: {
        tags: ['packages'],
        summary: 'List the account’s packages',
        response: { 200: Type.Object({ packages: Type.Array(PackageSchema) }) },
      },
    },
    async (request) => ({ packages: await services.packages.list(caller(request, 'seller').id) }),
  );

  app.get(
    '/v1/packages/:packageId',
    {
      schema: {
        tags: ['packages'],
        summary: 'One package',
        params: Type.Object({ packageId: Type.String() }),
        response: { 200: PackageSchema },
      },
    },
    async (request) =>
      services.packages.get(caller(request, 'seller').id, request.params.packageId),
  );
}
