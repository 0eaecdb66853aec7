import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';

import type { BlobStore, Digest } from '../../blobs/blob-store.js';
import { DomainError } from '../../errors/domain-error.js';
import type { DiskFormat } from '../../image/disk/disk-layout.js';
import { writeDiskImage } from '../../image/disk/disk-image-writer.js';
import { streamOciArchive } from '../../image/oci-layout-exporter.js';
import type { ScanReport } from '../../scanner/scan/scan-report.js';
import type { Store } from '../../store/store.js';
import { systemClock, type Clock } from '../clock.js';
import { readScanReport } from '../scans/scan-report-store.js';
import type { Account, Image } from '../types.js';
import {
  exportContentType,
  exportFileName,
  type ImageExport,
  type ImageExportFormat,
} from './image-export.js';

/** How links to downloadable exports are made. */
export interface ExportLinkOptions {
  /** How long a presigned object-store link stays valid. */
  readonly ttlSeconds: number;
  readonly clock: Clock;
}

/** An image's stored export and, when the blob store can sign one, a link straight to it. */
export interface ImageExportLink {
  readonly export: ImageExport;
  /** Undefined when the blob store cannot sign links: the API serves the export instead. */
  readonly presigned: { readonly url: string; readonly expiresAt: string } | undefined;
}

/**
 * Images an account may read: its own, and base images, which everyone may. Operators may read
 * sellers' test images and buyers' gold images (to investigate builds), but a private image is
 * its buyer's alone: no other account, operators included, may see it.
 */
export class ImageService {
  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
    /** Where disk exports are built; each is deleted once its stream is opened. */
    private readonly diskWorkDir: string = path.join(tmpdir(), 'goldsmith-disk-exports'),
    private readonly exportLinks: ExportLinkOptions = { ttlSeconds: 3600, clock: systemClock },
  ) {}

  /** One image the viewer may see. */
  async get(viewer: Account, imageId: string): Promise<Image> {
    const image = await this.store.images.get(null, imageId);
    const visible =
      image !== undefined &&
      (image.accountId === viewer.id ||
        image.kind === 'base' ||
        (viewer.roles.includes('operator') && image.kind !== 'private'));
    if (!visible) throw new DomainError('IMAGE_NOT_FOUND', `image ${imageId} not found`);
    return image;
  }

  /** The image's SBOM (CycloneDX JSON). */
  async sbom(viewer: Account, imageId: string): Promise<Readable> {
    const image = await this.get(viewer, imageId);
    if (image.sbomDigest === null)
      throw new DomainError('IMAGE_NOT_FOUND', `image ${imageId} has no SBOM`);
    return this.blobs.get(image.sbomDigest as Digest);
  }

  /** The gated scan report of the image, from the build that made it. */
  async scanReport(viewer: Account, imageId: string): Promise<ScanReport> {
    const image = await this.get(viewer, imageId);
    if (image.scanReportDigest === null) {
      throw new DomainError(
        'SCAN_REPORT_NOT_FOUND',
        `image ${image.id} has no scan report: it is a ${image.kind} image that was not scanned`,
      );
    }
    return readScanReport(this.blobs, image.scanReportDigest);
  }

  /** The image as an OCI archive (a tar of an OCI layout), for skopeo, podman or Docker. */
  async ociArchive(viewer: Account, imageId: string): Promise<Readable> {
    return this.openOciArchive(await this.get(viewer, imageId));
  }

  private async openOciArchive(image: Image): Promise<Readable> {
    return streamOciArchive(this.blobs, image.manifestDigest as Digest, image.id);
  }

  /**
   * The image as a raw or qcow2 disk (MBR, one ext4 partition of its files). Written to a
   * temporary file first; the file is unlinked once open, so it goes when the stream closes.
   */
  async diskImage(viewer: Account, imageId: string, format: DiskFormat): Promise<Readable> {
    return this.openDiskImage(await this.get(viewer, imageId), format);
  }

  private async openDiskImage(image: Image, format: DiskFormat): Promise<Readable> {
    await mkdir(this.diskWorkDir, { recursive: true });
    const work = await mkdtemp(path.join(this.diskWorkDir, `${image.id}-`));
    try {
      const disk = await writeDiskImage(this.blobs, image, {
        format,
        outputFile: path.join(work, `disk.${format}`),
        workDir: work,
      });
      const handle = await open(disk.file, 'r');
      return handle.createReadStream();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /**
   * The image's export in `format`, made into the blob store on the first request (which waits
   * for it: a large disk takes a while) and reused by later ones, with a presigned link to it
   * when the blob store can sign one.
   */
  async exportLink(
    viewer: Account,
    imageId: string,
    format: ImageExportFormat,
  ): Promise<ImageExportLink> {
    const image = await this.get(viewer, imageId);
    const stored = await this.store.imageExports.get(image.id, format);
    // A blob removed behind the record's back (a cleaned bucket) is exported again.
    const reusable =
      stored !== undefined && (await this.blobs.stat(stored.digest as Digest)) !== undefined;
    const made = reusable ? stored : await this.makeExport(image, format);
    if (this.blobs.presignedGetUrl === undefined) return { export: made, presigned: undefined };
    const { ttlSeconds, clock } = this.exportLinks;
    const signedAt = clock.now();
    const url = await this.blobs.presignedGetUrl(made.digest as Digest, ttlSeconds, {
      filename: exportFileName(image.id, format),
      contentType: exportContentType(format),
    });
    const expiresAt = new Date(signedAt.getTime() + ttlSeconds * 1000).toISOString();
    return { export: made, presigned: { url, expiresAt } };
  }

  /** The stored export of the image in `format`, as made by `exportLink`. */
  async exportDownload(
    viewer: Account,
    imageId: string,
    format: ImageExportFormat,
  ): Promise<{ readonly export: ImageExport; readonly stream: Readable }> {
    const image = await this.get(viewer, imageId);
    const stored = await this.store.imageExports.get(image.id, format);
    if (stored === undefined) {
      throw new DomainError(
        'IMAGE_NOT_FOUND',
        `image ${image.id} has no ${format} export yet: create it first`,
      );
    }
    return { export: stored, stream: await this.blobs.get(stored.digest as Digest) };
  }

  private async makeExport(image: Image, format: ImageExportFormat): Promise<ImageExport> {
    const stream =
      format === 'oci-archive'
        ? await this.openOciArchive(image)
        : await this.openDiskImage(image, format);
    try {
      const blob = await this.blobs.put(stream);
      const made: ImageExport = {
        imageId: image.id,
        format,
        digest: blob.digest,
        size: blob.size,
        createdAt: this.exportLinks.clock.now().toISOString(),
      };
      await this.store.imageExports.save(made);
      return made;
    } finally {
      // Closes the disk's file also when the upload failed half-way.
      stream.destroy();
    }
  }
}
