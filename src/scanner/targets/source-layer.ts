import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobDigestMismatchError, BlobNotFoundError } from '../../blobs/blob-store.js';
import {
  LayerDiffIdMismatchError,
  UnsafeLayerEntryError,
  extractLayerTar,
} from '../../image/oci-layer-extractor.js';
import { decompressed, verifiedStream } from './layer-streams.js';
import type { Compression } from './layer-streams.js';
import { ScanSourceError } from './scan-source-error.js';
import type { ScanSourceProblem } from './scan-source-error.js';
import type { LayerChanges, SourceLayer } from './scan-source.js';

/** Layer media types we extract (image-spec media-types.md, Docker image manifest v2.2). */
const LAYER_COMPRESSION: ReadonlyMap<string, Compression> = new Map([
  ['application/vnd.oci.image.layer.v1.tar', 'none'],
  ['application/vnd.oci.image.layer.v1.tar+gzip', 'gzip'],
  ['application/vnd.oci.image.layer.v1.tar+zstd', 'zstd'],
  ['application/vnd.oci.image.layer.nondistributable.v1.tar', 'none'],
  ['application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', 'gzip'],
  ['application/vnd.oci.image.layer.nondistributable.v1.tar+zstd', 'zstd'],
  ['application/vnd.docker.image.rootfs.diff.tar', 'none'],
  ['application/vnd.docker.image.rootfs.diff.tar.gzip', 'gzip'],
  ['application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', 'gzip'],
]);

/** The compression a layer media type implies; ScanSourceError for one we cannot extract. */
export function layerCompression(spec: string, mediaType: string, digest: string): Compression {
  const compression = LAYER_COMPRESSION.get(mediaType);
  if (compression === undefined) {
    throw new ScanSourceError(
      spec,
      'unsupported-media-type',
      `layer ${digest} has media type ${mediaType}, which the scanner cannot extract`,
    );
  }
  return compression;
}

/** A layer's bytes as stored, and what they must hash to. */
export interface LayerBlob {
  /** sha256 of the bytes `open` yields: checked as they stream, before anything is written. */
  readonly digest: string;
  readonly compression: Compression;
  /** sha256 of the uncompressed tar, when a config names it. */
  readonly diffId?: string;
  /** False for a root filesystem tar, whose `.wh.` names are ordinary files. */
  readonly applyWhiteouts: boolean;
  open(): Promise<Readable>;
}

/** A SourceLayer that checks and extracts `blob`; errors name `spec` and the layer. */
export function sourceLayer(spec: string, blob: LayerBlob): SourceLayer {
  return {
    digest: blob.digest,
    async extractOnto(rootDir: string): Promise<LayerChanges> {
      try {
        return await extractLayerTar(
          async () =>
            decompressed(verifiedStream(await blob.open(), blob.digest), blob.compression),
          rootDir,
          { applyWhiteouts: blob.applyWhiteouts, diffId: blob.diffId, skipDevices: true },
        );
      } catch (error) {
        // A corrupt blob often fails to decompress before its digest check ends the stream.
        if (problemOf(error) === undefined && !(await hasDigest(blob))) {
          const detail = `layer ${blob.digest}: the blob's digest differs`;
          throw new ScanSourceError(spec, 'digest-mismatch', detail, { cause: error });
        }
        throw layerError(spec, blob.digest, error);
      }
    },
  };
}

/** Whether the blob's bytes hash to its digest. */
async function hasDigest(blob: LayerBlob): Promise<boolean> {
  try {
    const hash = createHash('sha256');
    await pipeline(await blob.open(), hash);
    return `sha256:${hash.digest('hex')}` === blob.digest;
  } catch {
    return false;
  }
}

function layerError(spec: string, digest: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const problem = problemOf(error);
  if (problem === undefined) {
    return new Error(`${spec}: cannot extract layer ${digest}: ${message}`, { cause: error });
  }
  return new ScanSourceError(spec, problem, `layer ${digest}: ${message}`, { cause: error });
}

function problemOf(error: unknown): ScanSourceProblem | undefined {
  if (error instanceof UnsafeLayerEntryError) return 'unsafe-entry';
  if (error instanceof BlobDigestMismatchError || error instanceof LayerDiffIdMismatchError) {
    return 'digest-mismatch';
  }
  if (error instanceof BlobNotFoundError) return 'missing-blob';
  // tar-stream's complaints about what is not a tar.
  if (error instanceof Error && /tar header|unexpected end of data/i.test(error.message)) {
    return 'not-a-tar';
  }
  return undefined;
}
