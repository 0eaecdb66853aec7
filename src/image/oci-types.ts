import type { ImageLayer } from '../domain/types.js';

export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_GZIP_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface HistoryEntry {
  readonly created: string;
  readonly createdBy: string;
  readonly comment?: string;
  readonly emptyLayer?: boolean;
}

/** What an image is made of: its layers in order (base first) and its metadata. */
export interface ImageSpec {
  readonly layers: readonly ImageLayer[];
  readonly created: string;
  readonly history: readonly HistoryEntry[];
  readonly labels: Readonly<Record<string, string>>;
  readonly architecture: 'amd64';
  readonly os: 'linux';
}

export interface WrittenImage {
  readonly manifestDigest: string;
  readonly configDigest: string;
  readonly manifestSize: number;
}
