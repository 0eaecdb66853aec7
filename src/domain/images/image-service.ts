import type { Readable } from 'node:stream';

import type { BlobStore, Digest } from '../../blobs/blob-store.js';
import { DomainError } from '../../errors/domain-error.js';
import { streamOciArchive } from '../../image/oci-layout-exporter.js';
import type { ScanReport } from '../../scanner/scan/scan-report.js';
import type { Store } from '../../store/store.js';
import { readScanReport } from '../scans/scan-report-store.js';
import type { Account, Image } from '../types.js';

/** Images an account may read: its own, and base images, which everyone may. */
export class ImageService {
  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
  ) {}

  /** One image the viewer may see. */
  async get(viewer: Account, imageId: string): Promise<Image> {
    const image = await this.store.images.get(null, imageId);
    const visible =
      image !== undefined &&
      (image.accountId === viewer.id || image.kind === 'base' || viewer.roles.includes('operator'));
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
}
