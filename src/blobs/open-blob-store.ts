import type { BlobLocation } from './blob-location.js';
import type { BlobStore } from './blob-store.js';
import { FsBlobStore } from './fs-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';
import type { S3Connection } from './s3-blob-store.js';

export interface BlobStoreConfig {
  readonly location: BlobLocation;
  /** Used only for s3:// locations. */
  readonly s3?: S3Connection;
}

/** Opens the blob store implementation that the configured location names. */
export function openBlobStore(config: BlobStoreConfig): BlobStore {
  const { location } = config;
  switch (location.kind) {
    case 'fs':
      return new FsBlobStore(location.dir);
    case 's3':
      return new S3BlobStore({
        bucket: location.bucket,
        prefix: location.prefix,
        connection: config.s3 ?? {},
      });
  }
}
