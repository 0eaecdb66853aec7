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
import { readScanReport } from '../scans/scan-report-store.js';
import type { Account, Image } from '../types.js';

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
    const image = await this.get(viewer, imageId);
    return streamOciArchive(this.blobs, image.manifestDigest as Digest, image.id);
  }

  /**
   * The image as a raw or qcow2 disk (MBR, one ext4 partition of its files). Written to a
   * temporary file first; the file is unlinked once open, so it goes when the stream closes.
   */
  async diskImage(viewer: Account, imageId: string, format: DiskFormat): Promise<Readable> {
    const image = await this.get(viewer, imageId);
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
}
