import { lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

import type { BlobStore, Digest } from '../../blobs/blob-store.js';
import { DomainError } from '../../errors/domain-error.js';
import { imageIdFromManifestDigest, writeImage } from '../../image/oci-image-writer.js';
import { writeLayer } from '../../image/oci-layer-writer.js';
import { openScanSource, ScanSourceError } from '../../scanner/targets/scan-source.js';
import type { ScanSource } from '../../scanner/targets/scan-source.js';
import type { Store } from '../../store/store.js';
import { findOsVersion } from '../catalog/os-catalog.js';
import type { Clock } from '../clock.js';
import type { Account, Image } from '../types.js';
import { DiskImageError, readDiskImage } from '../../image/disk/disk-image-reader.js';
import { detectDiskImage } from './disk-image-detector.js';
import { detectGoldImageOs } from './gold-image-os.js';
import { checkUploadSize, spoolUpload, UploadTooLargeError } from './upload-spool.js';

/** Where the bytes of an import come from. */
export type GoldImageData =
  | { readonly kind: 'stream'; readonly body: Readable }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'blob'; readonly digest: Digest };

/** What a buyer imports. */
export interface GoldImageImport {
  /** The uploaded file's name, for messages and the default image name. */
  readonly fileName: string;
  readonly name?: string;
  readonly data: GoldImageData;
}

/** An image a buyer can build on, as the buyer sees it. */
export interface GoldImageView {
  readonly id: string;
  readonly name: string;
  readonly kind: Image['kind'];
  readonly osVersion: string;
  /** `self` for the buyer's own images, `shared` for images shared with it (base images). */
  readonly owner: 'self' | 'shared';
  readonly createdAt: string;
  /** Compressed size of the image's layers. */
  readonly sizeBytes: number;
}

/** Limits and places of the import. */
export interface GoldImageServiceOptions {
  /** Where each import unpacks, in its own fresh directory removed afterwards. */
  readonly stagingDir: string;
  /** Largest upload (the server's package size limit). */
  readonly maxUploadBytes: number;
  /** Largest total size of the extracted files. */
  readonly maxExtractedBytes: number;
}

/** The labels Goldsmith gives a gold image (image-spec annotations.md for the title). */
export const IMAGE_KIND_LABEL = 'org.goldsmith.image-kind';
export const OS_VERSION_LABEL = 'org.goldsmith.os-version';
export const TITLE_LABEL = 'org.opencontainers.image.title';

/** Largest image config we read back for its labels. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Buyers' gold images: imports of images they own (root filesystem tars, OCI and `docker
 * save` archives), checked and flattened into one layer, and the images they can build on.
 */
export class GoldImageService {
  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
    private readonly clock: Clock,
    private readonly options: GoldImageServiceOptions,
  ) {}

  /** Imports an image the buyer owns; every temporary file is gone when it returns or throws. */
  async import(buyer: Account, request: GoldImageImport): Promise<GoldImageView> {
    await mkdir(this.options.stagingDir, { recursive: true });
    const work = await mkdtemp(path.join(this.options.stagingDir, 'gold-import-'));
    try {
      const upload = await this.receive(request, work);
      if ((await detectDiskImage(upload)) !== undefined) {
        return await this.importDisk(buyer, request, upload, work);
      }
      const source = await openSource(upload, request.fileName, work);
      try {
        return await this.importSource(buyer, request, source, path.join(work, 'root'));
      } finally {
        await source.close();
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** The images the viewer can use as a build source: its own gold images, then shared ones. */
  async list(viewer: Account): Promise<GoldImageView[]> {
    const own = await this.store.images.listByKind(viewer.id, 'gold');
    const shared = await this.store.images.listByKind(null, 'base');
    return Promise.all([
      ...own.map((image) => this.view(viewer, image)),
      ...shared.map((image) => this.view(viewer, image)),
    ]);
  }

  /** One image the viewer can build on; another account's gold image is not found. */
  async get(viewer: Account, imageId: string): Promise<GoldImageView> {
    const image = await this.store.images.get(null, imageId);
    const usable =
      image !== undefined &&
      (image.kind === 'base' || (image.kind === 'gold' && image.accountId === viewer.id));
    if (!usable) throw new DomainError('IMAGE_NOT_FOUND', `image ${imageId} not found`);
    return this.view(viewer, image);
  }

  /** The upload as a local file inside `work` (or the caller's file), within the size limit. */
  private async receive(request: GoldImageImport, work: string): Promise<string> {
    const { data, fileName } = request;
    const max = this.options.maxUploadBytes;
    try {
      if (data.kind === 'file') {
        await checkUploadSize(data.path, max);
        return data.path;
      }
      const file = path.join(work, 'upload');
      const body = data.kind === 'stream' ? data.body : await this.blobs.get(data.digest);
      await spoolUpload(body, file, max);
      return file;
    } catch (error) {
      if (error instanceof UploadTooLargeError) {
        throw new DomainError(
          'GOLD_IMAGE_TOO_LARGE',
          `${fileName} is larger than the upload limit of ${max} bytes`,
        );
      }
      throw error;
    }
  }

  private async importSource(
    buyer: Account,
    request: GoldImageImport,
    source: ScanSource,
    root: string,
  ): Promise<GoldImageView> {
    const platform = source.platform;
    if (platform !== undefined && (platform.os !== 'linux' || platform.architecture !== 'amd64')) {
      const found = `${platform.os}/${platform.architecture}${platform.variant === undefined ? '' : `/${platform.variant}`}`;
      throw new DomainError(
        'GOLD_IMAGE_PLATFORM_UNSUPPORTED',
        `${request.fileName} is an image for ${found}; Goldsmith builds only linux/amd64 images`,
      );
    }
    if (source.layers.length === 0) {
      throw new DomainError('GOLD_IMAGE_INVALID', `${request.fileName} holds no layers`);
    }
    await mkdir(root);
    let extracted = 0;
    for (const layer of source.layers) {
      let changes;
      try {
        changes = await layer.extractOnto(root);
      } catch (error) {
        throw invalid(request.fileName, error);
      }
      // Counted per layer: a file a later layer replaces still counted, erring on the safe side.
      extracted += changes.paths.reduce((sum, entry) => sum + entry.size, 0);
      this.checkExtractedSize(request, extracted);
    }
    return this.storeRoot(buyer, request, root);
  }

  /**
   * A raw or qcow2 disk image: its Linux partition's ext4 files, read without mounting (see
   * readDiskImage), become the root; the disk may be at most twice the extracted size limit.
   */
  private async importDisk(
    buyer: Account,
    request: GoldImageImport,
    upload: string,
    work: string,
  ): Promise<GoldImageView> {
    const root = path.join(work, 'root');
    await mkdir(root);
    try {
      await readDiskImage(upload, root, {
        workDir: work,
        // A disk also holds free space and filesystem structures: twice the files' limit.
        maxVirtualBytes: 2 * this.options.maxExtractedBytes,
      });
    } catch (error) {
      if (!(error instanceof DiskImageError)) throw error;
      throw new DomainError('GOLD_IMAGE_INVALID', `${request.fileName}: ${error.message}`);
    }
    this.checkExtractedSize(request, await treeSize(root));
    return this.storeRoot(buyer, request, root);
  }

  /** Refuses an import whose files add up to more than the extracted size limit. */
  private checkExtractedSize(request: GoldImageImport, bytes: number): void {
    if (bytes > this.options.maxExtractedBytes) {
      throw new DomainError(
        'GOLD_IMAGE_TOO_LARGE',
        `${request.fileName} extracts to more than the limit of ` +
          `${this.options.maxExtractedBytes} bytes`,
      );
    }
  }

  /** Detects the root's OS and stores it as a one-layer gold image of the buyer's. */
  private async storeRoot(
    buyer: Account,
    request: GoldImageImport,
    root: string,
  ): Promise<GoldImageView> {
    const os = await detectGoldImageOs(root);
    const name = request.name ?? path.basename(request.fileName);
    const created = this.clock.now().toISOString();
    const layer = await writeLayer(root, this.blobs);
    const written = await writeImage(
      {
        layers: [layer],
        created,
        history: [
          {
            created,
            createdBy: 'goldsmith gold-image import',
            comment: `${request.fileName} (${os.prettyName})`,
          },
        ],
        labels: {
          [IMAGE_KIND_LABEL]: 'gold',
          [OS_VERSION_LABEL]: os.osVersion,
          [TITLE_LABEL]: name,
        },
        architecture: 'amd64',
        os: 'linux',
      },
      this.blobs,
    );
    const image: Image = {
      id: imageIdFromManifestDigest(written.manifestDigest),
      accountId: buyer.id,
      kind: 'gold',
      osVersion: os.osVersion,
      manifestDigest: written.manifestDigest,
      configDigest: written.configDigest,
      layers: [layer],
      parentImageId: null,
      sbomDigest: null,
      scanReportDigest: null,
      createdAt: created,
    };
    await this.store.images.insert(image);
    return { ...viewOf(image, 'self'), name };
  }

  private async view(viewer: Account, image: Image): Promise<GoldImageView> {
    const owner = image.accountId === viewer.id && image.kind !== 'base' ? 'self' : 'shared';
    const title = image.kind === 'base' ? undefined : await this.title(image);
    const name = title ?? findOsVersion(image.osVersion)?.name ?? image.osVersion;
    return { ...viewOf(image, owner), name };
  }

  /** The image's title label; undefined when it has none or its config cannot be read. */
  private async title(image: Image): Promise<string | undefined> {
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of await this.blobs.get(image.configDigest as Digest)) {
        size += (chunk as Buffer).length;
        if (size > MAX_CONFIG_BYTES) return undefined;
        chunks.push(chunk as Buffer);
      }
      const config = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        config?: { Labels?: Record<string, unknown> };
      };
      const title = config.config?.Labels?.[TITLE_LABEL];
      return typeof title === 'string' ? title : undefined;
    } catch {
      return undefined;
    }
  }
}

async function openSource(upload: string, fileName: string, work: string): Promise<ScanSource> {
  try {
    return await openScanSource(upload, { tempDir: work });
  } catch (error) {
    throw invalid(fileName, error);
  }
}

/** A ScanSourceError as GOLD_IMAGE_INVALID naming the upload; other errors are ours. */
function invalid(fileName: string, error: unknown): unknown {
  if (!(error instanceof ScanSourceError)) return error;
  // The message names the staging path; the buyer knows the upload by its file name.
  const detail = error.message.startsWith(`${error.spec}: `)
    ? error.message.slice(error.spec.length + 2)
    : error.message;
  return new DomainError('GOLD_IMAGE_INVALID', `${fileName}: ${detail}`, {
    problem: error.problem,
  });
}

function viewOf(image: Image, owner: 'self' | 'shared'): Omit<GoldImageView, 'name'> {
  return {
    id: image.id,
    kind: image.kind,
    osVersion: image.osVersion,
    owner,
    createdAt: image.createdAt,
    sizeBytes: image.layers.reduce((sum, layer) => sum + layer.size, 0),
  };
}

/** Bytes of the regular files under `dir`, symlinks not followed. */
async function treeSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await treeSize(full);
    else if (entry.isFile()) total += (await lstat(full)).size;
  }
  return total;
}
