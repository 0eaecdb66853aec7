/** The forms an image is exported in: an OCI archive, or a raw or qcow2 disk. */
export const IMAGE_EXPORT_FORMATS = ['oci-archive', 'raw', 'qcow2'] as const;

export type ImageExportFormat = (typeof IMAGE_EXPORT_FORMATS)[number];

/** An export made once and kept in the blob store, content-addressed, per image and format. */
export interface ImageExport {
  readonly imageId: string;
  readonly format: ImageExportFormat;
  readonly digest: string;
  readonly size: number;
  readonly createdAt: string;
}

/** The file name a download of the export is offered under. */
export function exportFileName(imageId: string, format: ImageExportFormat): string {
  return format === 'oci-archive' ? `${imageId}.oci.tar` : `${imageId}.${format}`;
}

/** The media type a download of the export is served with. */
export function exportContentType(format: ImageExportFormat): string {
  switch (format) {
    case 'oci-archive':
      return 'application/x-tar';
    case 'qcow2':
      return 'application/x-qemu-disk';
    case 'raw':
      return 'application/octet-stream';
  }
}
