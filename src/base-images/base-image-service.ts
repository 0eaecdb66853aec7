import { mkdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { BlobStore, Digest } from '../blobs/blob-store.js';
import type { Clock } from '../domain/clock.js';
import type { OsVersion } from '../domain/catalog/os-catalog.js';
import type { BaseImage, Image, ImageLayer } from '../domain/types.js';
import { extractLayer } from '../image/oci-layer-extractor.js';
import { writeLayer } from '../image/oci-layer-writer.js';
import { imageIdFromManifestDigest, writeImage } from '../image/oci-image-writer.js';
import { OCI_LAYER_GZIP_MEDIA_TYPE } from '../image/oci-types.js';
import type { Store } from '../store/store.js';
import type { DebianMirrors } from './apt-sources.js';
import type { DebianRootCache } from './debian-root-cache.js';
import { withStoreLease } from './store-lease.js';

/** The account that owns the operator's base images. */
export const SYSTEM_ACCOUNT_ID = '000000000000';

/** A base image ready for a build: its record, its image and its root on this host. */
export interface ResolvedBase {
  readonly base: BaseImage;
  readonly image: Image;
  readonly rootDir: string;
}

export interface BaseImageServiceDeps {
  readonly store: Store;
  readonly blobs: BlobStore;
  /** Blob store of the host cache, so a cached root is tarred once per host, not once per database. */
  readonly cacheBlobs: BlobStore;
  readonly rootCache: DebianRootCache;
  readonly cacheDir: string;
  readonly mirrors: () => Promise<DebianMirrors>;
  readonly clock: Clock;
  readonly leaseMs: number;
}

type Progress = (line: string) => void;

/**
 * The base image catalog's builder: makes a base on first use (once, even
 * when many builds ask at the same time, across processes), and finds or
 * fetches its root on this host by digest.
 */
export class BaseImageService {
  constructor(private readonly deps: BaseImageServiceDeps) {}

  /** The newest base of `os`, created first if there is none. */
  async ensure(os: OsVersion, progress: Progress, signal?: AbortSignal): Promise<ResolvedBase> {
    const existing = await this.deps.store.baseImages.latest(os.id);
    if (existing !== undefined) return this.resolve(existing, progress);
    return this.create(os, false, progress, signal);
  }

  /** The base whose image is `imageId` with its root on this host; undefined when it is no base. */
  async resolveImage(imageId: string, progress: Progress): Promise<ResolvedBase | undefined> {
    const base = (await this.deps.store.baseImages.list()).find((b) => b.imageId === imageId);
    return base === undefined ? undefined : this.resolve(base, progress);
  }

  /** Builds a new base of `os` from the current archive, giving it a new digest. */
  async refresh(os: OsVersion, progress: Progress, signal?: AbortSignal): Promise<ResolvedBase> {
    return this.create(os, true, progress, signal);
  }

  private async create(
    os: OsVersion,
    refresh: boolean,
    progress: Progress,
    signal?: AbortSignal,
  ): Promise<ResolvedBase> {
    const before = await this.deps.store.baseImages.latest(os.id);
    return this.withLease(`base:${os.id}`, progress, signal, async () => {
      // Someone else may have made it while we waited for the lease.
      const latest = await this.deps.store.baseImages.latest(os.id);
      if (latest !== undefined && (!refresh || latest.imageId !== before?.imageId)) {
        return this.resolve(latest, progress);
      }
      progress(`creating base image ${os.id}${refresh ? ' (refresh)' : ''}`);
      const root = await this.deps.rootCache.obtain(os, {
        mirrors: await this.deps.mirrors(),
        refresh,
        onProgress: progress,
        ...(signal === undefined ? {} : { signal }),
      });
      progress(
        root.reused
          ? `reusing the cached ${os.id} root of ${root.createdAt}`
          : `${os.id} root created`,
      );
      const layer = await this.cachedLayer(root.rootDir, progress);
      await this.copyBlob(layer.digest as Digest);
      const created = this.deps.clock.now().toISOString();
      const written = await writeImage(
        {
          layers: [layer],
          created,
          history: [
            {
              created: root.createdAt,
              createdBy: `mmdebstrap ${os.id}`,
              comment: 'Goldsmith base image',
            },
          ],
          labels: { 'org.goldsmith.os-version': os.id, 'org.goldsmith.image-kind': 'base' },
          architecture: 'amd64',
          os: 'linux',
        },
        this.deps.blobs,
      );
      const image: Image = {
        id: imageIdFromManifestDigest(written.manifestDigest),
        accountId: SYSTEM_ACCOUNT_ID,
        kind: 'base',
        osVersion: os.id,
        manifestDigest: written.manifestDigest,
        configDigest: written.configDigest,
        layers: [layer],
        parentImageId: null,
        sbomDigest: null,
        scanReportDigest: null,
        createdAt: created,
      };
      const base: BaseImage = {
        imageId: image.id,
        osVersion: os.id,
        rootDigest: layer.diffId,
        recipe: { ...root.recipe, recipeKey: root.recipeKey },
        createdAt: created,
      };
      await this.deps.store.transaction(async (tx) => {
        if ((await tx.images.get(null, image.id)) === undefined) await tx.images.insert(image);
        await tx.baseImages.insert(base);
      });
      await this.linkRoot(layer.diffId, root.rootDir);
      progress(`base image ${image.id} (${os.id}) ready, root ${layer.diffId}`);
      return { base, image, rootDir: root.rootDir };
    });
  }

  /** Finds the base's root on this host, or unpacks it from its layer. */
  private async resolve(base: BaseImage, progress: Progress): Promise<ResolvedBase> {
    const image = await this.deps.store.images.get(null, base.imageId);
    if (image === undefined)
      throw new Error(`base image ${base.imageId} of ${base.osVersion} has no image record`);
    const link = this.digestPath(base.rootDigest);
    if (await exists(path.join(link, 'etc'))) return { base, image, rootDir: link };
    return this.withLease(`root:${base.rootDigest}`, progress, undefined, async () => {
      if (await exists(path.join(link, 'etc'))) return { base, image, rootDir: link };
      const layer = image.layers[0];
      if (layer === undefined) throw new Error(`base image ${base.imageId} has no layer`);
      progress(`fetching the root of base image ${base.imageId} onto this host`);
      const target = `${link}.partial-${process.pid}`;
      await rm(target, { recursive: true, force: true });
      await mkdir(target, { recursive: true });
      await extractLayer(this.deps.blobs, layer, target);
      await rename(target, link);
      return { base, image, rootDir: link };
    });
  }

  /** The root's layer from the host cache, written there first if need be. */
  private async cachedLayer(rootDir: string, progress: Progress): Promise<ImageLayer> {
    const metaPath = path.join(path.dirname(rootDir), 'layer.json');
    try {
      const layer = JSON.parse(await readFile(metaPath, 'utf8')) as ImageLayer;
      if ((await this.deps.cacheBlobs.stat(layer.digest as Digest)) !== undefined) return layer;
    } catch {
      // No layer recorded yet for this root: write it below.
    }
    progress('writing the base root as an OCI layer');
    const layer = await writeLayer(rootDir, this.deps.cacheBlobs, { overlayWhiteouts: false });
    if (layer.mediaType !== OCI_LAYER_GZIP_MEDIA_TYPE)
      throw new Error(`unexpected layer type ${layer.mediaType}`);
    await writeFile(metaPath, JSON.stringify(layer));
    return layer;
  }

  private async copyBlob(digest: Digest): Promise<void> {
    if ((await this.deps.blobs.stat(digest)) !== undefined) return;
    await this.deps.blobs.put(await this.deps.cacheBlobs.get(digest), { expectedDigest: digest });
  }

  private digestPath(diffId: string): string {
    return path.join(this.deps.cacheDir, 'by-digest', diffId.replace('sha256:', ''));
  }

  private async linkRoot(diffId: string, rootDir: string): Promise<void> {
    const link = this.digestPath(diffId);
    await mkdir(path.dirname(link), { recursive: true });
    await rm(link, { force: true, recursive: false }).catch(() => undefined);
    await symlink(rootDir, link).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }

  private withLease<T>(
    name: string,
    progress: Progress,
    signal: AbortSignal | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    return withStoreLease(this.deps, name, progress, signal, work);
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
