import path from 'node:path';

import { FsBlobStore } from '../../../src/blobs/fs-blob-store.js';
import type { Image } from '../../../src/domain/types.js';
import type { Harness } from '../../support/goldsmith-harness.js';
import { writeSmallImage } from './disk-image-fixtures.js';

/**
 * Writes the small two-layer image into the harness server's blobs (its sources under
 * `work/src`) and stores it as an image of `accountId`.
 */
export async function storeSmallImage(
  harness: Harness,
  accountId: string,
  work: string,
): Promise<Image> {
  const blobs = new FsBlobStore(path.join(harness.dataDir, 'blobs'));
  const image = { ...(await writeSmallImage(blobs, path.join(work, 'src'))), accountId };
  await harness.server.store.images.insert(image);
  return image;
}
