import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

import type { BlobStore } from '../blobs/blob-store.js';
import type { Image } from '../domain/types.js';
import { extractLayer } from '../image/oci-layer-extractor.js';
import { withStoreLease, type StoreLeaseDeps } from './store-lease.js';

export interface ImageRootCacheDeps extends StoreLeaseDeps {
  readonly blobs: BlobStore;
  /** The base cache directory; roots go to `<cacheDir>/images/<manifest digest hex>/rootfs`. */
  readonly cacheDir: string;
}

/**
 * Extracted root filesystems of any image (gold images, private images) on
 * this host, keyed by manifest digest: every layer applied in order with its
 * whiteouts into a temporary directory that is renamed into place, under a
 * store lease so two builds never extract the same image at once. Base images
 * keep their own cache (BaseImageService).
 */
export class ImageRootCache {
  constructor(private readonly deps: ImageRootCacheDeps) {}

  /** The root directory of `image` on this host, extracted first if need be. */
  async ensure(
    image: Image,
    progress: (line: string) => void,
    signal?: AbortSignal,
  ): Promise<string> {
    const hex = image.manifestDigest.replace(/^sha256:/, '');
    if (!/^[0-9a-f]{64}$/.test(hex))
      throw new Error(`image ${image.id} has a malformed manifest digest`);
    const dir = path.join(this.deps.cacheDir, 'images', hex);
    const root = path.join(dir, 'rootfs');
    if (await exists(root)) return root;
    return withStoreLease(this.deps, `image-root:${hex}`, progress, signal, async () => {
      if (await exists(root)) return root;
      progress(`extracting the root of image ${image.id} onto this host`);
      const partial = path.join(dir, `rootfs.partial-${process.pid}`);
      await rm(partial, { recursive: true, force: true });
      await mkdir(partial, { recursive: true });
      try {
        for (const layer of image.layers) {
          signal?.throwIfAborted();
          await extractLayer(this.deps.blobs, layer, partial, { applyWhiteouts: true });
        }
        await rename(partial, root);
      } catch (error) {
        await rm(partial, { recursive: true, force: true });
        throw error;
      }
      return root;
    });
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
