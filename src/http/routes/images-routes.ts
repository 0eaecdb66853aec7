import { Type } from 'typebox';

import type { AppServices } from '../app-services.js';
import { ImageSchema } from '../api-schemas.js';
import { caller } from '../auth.js';
import { ScanReportQuery, sendScanReport } from '../scan-report-reply.js';
import type { TypedApp } from '../typed-app.js';

/** Images: metadata, SBOM, scan report and the image itself as an OCI archive or a disk. */
export function imagesRoutes(app: TypedApp, services: AppServices): void {
  const params = Type.Object({ imageId: Type.String() });
  const diskQuery = Type.Object({
    format: Type.Enum(['raw', 'qcow2'], { default: 'qcow2', description: 'The disk format' }),
  });

  app.get(
    '/v1/images/:imageId',
    { schema: { tags: ['images'], summary: 'One image', params, response: { 200: ImageSchema } } },
    async (request) => services.images.get(caller(request), request.params.imageId),
  );

  app.get(
    '/v1/images/:imageId/sbom',
    { schema: { tags: ['images'], summary: 'The image’s SBOM as CycloneDX 1.6 JSON', params } },
    async (request, reply) => {
      const stream = await services.images.sbom(caller(request), request.params.imageId);
      return reply.type('application/vnd.cyclonedx+json').send(stream);
    },
  );

  app.get(
    '/v1/images/:imageId/scan-report',
    {
      schema: {
        tags: ['images'],
        summary: 'The image’s scan report as table, JSON, CycloneDX, SPDX or SARIF',
        params,
        querystring: ScanReportQuery,
      },
    },
    async (request, reply) => {
      const { imageId } = request.params;
      return sendScanReport(reply, request.query, imageId, () =>
        services.images.scanReport(caller(request), imageId),
      );
    },
  );

  app.get(
    '/v1/images/:imageId/oci-archive',
    {
      schema: {
        tags: ['images'],
        summary: 'The image as an OCI archive (tar of an OCI layout)',
        params,
      },
    },
    async (request, reply) => {
      const { imageId } = request.params;
      const stream = await services.images.ociArchive(caller(request), imageId);
      return reply
        .type('application/x-tar')
        .header('content-disposition', `attachment; filename="${imageId}.oci.tar"`)
        .send(stream);
    },
  );

  app.get(
    '/v1/images/:imageId/disk',
    {
      schema: {
        tags: ['images'],
        summary:
          'The image as a raw or qcow2 disk: an MBR with one ext4 partition of its files (not bootable)',
        params,
        querystring: diskQuery,
      },
    },
    async (request, reply) => {
      const { imageId } = request.params;
      const { format } = request.query;
      const stream = await services.images.diskImage(caller(request), imageId, format);
      return reply
        .type(format === 'qcow2' ? 'application/x-qemu-disk' : 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${imageId}.${format}"`)
        .send(stream);
    },
  );
}
