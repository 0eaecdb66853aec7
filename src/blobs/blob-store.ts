import type { Readable } from 'node:stream';

/** A blob's address: `sha256:<64 hex>`, as in OCI descriptors. */
export type Digest = `sha256:${string}`;

export interface BlobInfo {
  readonly digest: Digest;
  readonly size: number;
}

export interface PutOptions {
  /** Refuse (with BlobTooLargeError) a source longer than this many bytes. */
  readonly maxBytes?: number;
  /** Refuse (with BlobDigestMismatchError) content whose digest differs. */
  readonly expectedDigest?: Digest;
}

/**
 * Content-addressed blob storage. Writes are atomic: a blob is visible only
 * once complete and verified. Reads verify the digest as they stream and end
 * the stream with BlobDigestMismatchError on corruption.
 */
export interface BlobStore {
  put(source: Readable | AsyncIterable<Uint8Array>, options?: PutOptions): Promise<BlobInfo>;
  get(digest: Digest): Promise<Readable>;
  stat(digest: Digest): Promise<BlobInfo | undefined>;
  /** A local file holding the blob, when the store has one (filesystem stores do). */
  localPath(digest: Digest): Promise<string | undefined>;
  /**
   * A time-limited URL that downloads the blob without Goldsmith credentials, when the
   * store can sign one (object stores can; the filesystem store cannot, so callers stream).
   */
  presignedGetUrl?(
    digest: Digest,
    expiresInSeconds: number,
    options?: PresignedGetOptions,
  ): Promise<string>;
  /** Fails when the store cannot be used (a missing bucket, wrong credentials), so a start fails early. */
  checkAccess?(): Promise<void>;
  /** Releases connections; the store is unusable afterwards. */
  close?(): void;
}

export interface PresignedGetOptions {
  /** Offered to the browser as the download's file name (Content-Disposition). */
  readonly filename?: string;
  /** Served as the download's Content-Type. */
  readonly contentType?: string;
}

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`blob exceeds the limit of ${maxBytes} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

export class BlobNotFoundError extends Error {
  constructor(readonly digest: string) {
    super(`blob ${digest} not found`);
    this.name = 'BlobNotFoundError';
  }
}

export class BlobDigestMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`blob content has digest ${actual}, expected ${expected}`);
    this.name = 'BlobDigestMismatchError';
  }
}

/** True for a well-formed sha256 digest string. */
export function isDigest(value: string): value is Digest {
  return /^sha256:[0-9a-f]{64}$/.test(value);
}
