import { Type } from 'typebox';

import {
  exportContentType,
  exportFileName,
  IMAGE_EXPORT_FORMATS,
} from '../../domain/images/image-export.js';
import type { AppServices } from '../app-services.js';
import { ImageSchema } from '../api-schemas.js';
import { caller } from '../auth.js';
import { requestBaseUrl } from '../request-base-url.js';
import { ScanReportQuery, sendScanReport } from '../scan-report-reply.js';
import type { TypedApp } from '../typed-app.js';

const ExportFormat = Type.Enum(IMAGE_EXPORT_FORMATS, { description: 'The export’s format' });

const ImageExportSchema = Type.Object({
  format: ExportFormat,
  digest: Type.String({ description: 'sha256 of the export’s bytes' }),
  size: Type.Integer({ description: 'Bytes' }),
  url: Type.String({
    description:
      'A presigned object-store link when blobs are on S3, else the API route that serves the export (with your credentials)',
  }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When a presigned link stops working; null for the API route',
  }),
});

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

  app.post(
    '/v1/images/:imageId/exports',
    {
      schema: {
        tags: ['images'],
        summary:
          'Make the image’s OCI archive or disk once into the blob store and link to it (the first request waits while it is built)',
        params,
        body: Type.Object({ format: ExportFormat }),
        response: { 200: ImageExportSchema },
      },
    },
    async (request) => {
      const { imageId } = request.params;
      const { format } = request.body;
      const link = await services.images.exportLink(caller(request), imageId, format);
      const route = `/v1/images/${encodeURIComponent(link.export.imageId)}/exports/${format}/download`;
      return {
        format,
        digest: link.export.digest,
        size: link.export.size,
        url: link.presigned?.url ?? `${requestBaseUrl(request)}${route}`,
        expiresAt: link.presigned?.expiresAt ?? null,
      };
    },
  );

  app.get(
    '/v1/images/:imageId/exports/:format/download',
    {
      schema: {
        tags: ['images'],
        summary: 'An export made by POST /v1/images/{imageId}/exports, served by the API',
        params: Type.Object({ imageId: Type.String(), format: ExportFormat }),
      },
    },
    async (request, reply) => {
      const { imageId, format } = request.params;
      const download = await services.images.exportDownload(caller(request), imageId, format);
      return reply
        .type(exportContentType(format))
        .header('content-length', download.export.size)
        .header(
          'content-disposition',
          `attachment; filename="${exportFileName(download.export.imageId, format)}"`,
        )
        .send(download.stream);
    },
  );
}
