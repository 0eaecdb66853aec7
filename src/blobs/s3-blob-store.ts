import { createHash, randomBytes } from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  BlobDigestMismatchError,
  BlobNotFoundError,
  BlobTooLargeError,
  isDigest,
} from './blob-store.js';
import type { BlobInfo, BlobStore, Digest, PresignedGetOptions, PutOptions } from './blob-store.js';
import { DigestVerifier, toBytes } from './digest-stream.js';

/** How to reach an S3-compatible server; unset fields fall back to the AWS SDK's defaults. */
export interface S3Connection {
  /** e.g. `http://127.0.0.1:9000` for a self-hosted server; unset means AWS itself. */
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** Address buckets as `<endpoint>/<bucket>` rather than `<bucket>.<endpoint>`. */
  readonly forcePathStyle?: boolean;
}

export interface S3BlobStoreOptions {
  readonly bucket: string;
  /** Key prefix without leading or trailing slashes; '' for the bucket's root. */
  readonly prefix: string;
  readonly connection: S3Connection;
  /** Multipart part size; S3 requires at least 5 MiB. */
  readonly partSize?: number;
  /** Largest blob accepted; defaults to the largest object a single CopyObject can copy. */
  readonly maxObjectBytes?: number;
}

const MIB = 1024 * 1024;
const MIN_PART_SIZE = 5 * MIB;
/** CopyObject copies at most 5 GiB in one request (larger objects need UploadPartCopy). */
export const S3_MAX_COPY_BYTES = 5 * 1024 * MIB;
/** SigV4 presigned URLs live at most seven days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/**
 * A BlobStore over an S3 bucket: blobs live at `<prefix>/blobs/sha256/<hex>`; a put
 * streams to `<prefix>/uploads/<random>` first and is copied to its final key only once
 * its size and digest are verified, so a blob key never holds partial or wrong content.
 */
export class S3BlobStore implements BlobStore {
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly root: string;
  private readonly partSize: number;
  private readonly maxObjectBytes: number;

  constructor(options: S3BlobStoreOptions) {
    const { connection } = options;
    this.client = new S3Client({
      ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
      ...(connection.region === undefined ? {} : { region: connection.region }),
      ...(connection.credentials === undefined ? {} : { credentials: connection.credentials }),
      forcePathStyle: connection.forcePathStyle ?? false,
      // The store checks sha256 end to end itself; the SDK's default CRC32 trailers use
      // aws-chunked uploads that several S3-compatible servers store verbatim or refuse.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    this.bucket = options.bucket;
    this.root = options.prefix === '' ? '' : `${options.prefix.replace(/^\/+|\/+$/g, '')}/`;
    this.partSize = options.partSize ?? MIN_PART_SIZE;
    if (this.partSize < MIN_PART_SIZE) {
      throw new RangeError(`S3 multipart parts must be at least ${MIN_PART_SIZE} bytes`);
    }
    this.maxObjectBytes = Math.min(options.maxObjectBytes ?? S3_MAX_COPY_BYTES, S3_MAX_COPY_BYTES);
  }

  /** Streams `source` to a temporary key, then publishes it under its digest once verified. */
  async put(
    source: Readable | AsyncIterable<Uint8Array>,
    options: PutOptions = {},
  ): Promise<BlobInfo> {
    const limit = Math.min(options.maxBytes ?? Infinity, this.maxObjectBytes);
    const hash = createHash('sha256');
    let size = 0;
    let sourceError: unknown;
    async function* measured(): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of source as AsyncIterable<unknown>) {
          const bytes = toBytes(chunk);
          size += bytes.byteLength;
          if (size > limit) throw new BlobTooLargeError(limit);
          hash.update(bytes);
          yield bytes;
        }
      } catch (error) {
        sourceError = error;
        throw error;
      }
    }
    // Temporaries live outside blobs/, so a crashed writer's leftovers are never read as blobs.
    const tempKey = `${this.root}uploads/${randomBytes(16).toString('hex')}`;
    const body = Readable.from(measured(), { objectMode: false });
    // leavePartsOnError=false: on any failure lib-storage sends AbortMultipartUpload, so no
    // parts linger (and keep costing storage) after a refused or broken upload.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: tempKey, Body: body },
      partSize: this.partSize,
      leavePartsOnError: false,
    });
    try {
      try {
        await upload.done();
      } catch (error) {
        // The source's own failure (too large, broken) is the useful one, even when the
        // abort lib-storage then attempted failed as well.
        throw sourceError ?? error;
      } finally {
        // If the upload failed on the S3 side, stop reading (and release) the source too.
        body.destroy();
      }
      const digest: Digest = `sha256:${hash.digest('hex')}`;
      if (options.expectedDigest !== undefined && options.expectedDigest !== digest) {
        throw new BlobDigestMismatchError(options.expectedDigest, digest);
      }
      const finalKey = this.keyOf(digest);
      // Content-addressed: an existing final key already holds these bytes.
      if ((await this.head(finalKey)) === undefined) {
        await this.client.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: finalKey,
            CopySource: copySource(this.bucket, tempKey),
          }),
        );
      }
      return { digest, size };
    } finally {
      // Best effort: a leftover under uploads/ is invisible to readers, and a bucket
      // lifecycle rule on that prefix reclaims it.
      await this.client
        .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: tempKey }))
        .catch(() => undefined);
    }
  }

  /** Opens a blob; the stream fails with BlobDigestMismatchError if the stored bytes changed. */
  async get(digest: Digest): Promise<Readable> {
    if (!isDigest(digest)) throw new BlobNotFoundError(digest);
    let body: unknown;
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(digest) }),
      );
      body = response.Body;
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(digest);
      throw error;
    }
    if (!(body instanceof Readable)) {
      throw new Error(`S3 returned no readable body for blob ${digest}`);
    }
    const verifier = new DigestVerifier(digest);
    // pipeline() destroys the HTTP response (freeing the socket) if the reader stops early.
    pipeline(body, verifier, () => undefined);
    return verifier;
  }

  /** The blob's digest and size, or undefined when absent. */
  async stat(digest: Digest): Promise<BlobInfo | undefined> {
    if (!isDigest(digest)) return undefined;
    const size = await this.head(this.keyOf(digest));
    return size === undefined ? undefined : { digest, size };
  }

  /** Always undefined: an object store has no local file; callers stream with get(). */
  localPath(digest: Digest): Promise<string | undefined> {
    void digest;
    return Promise.resolve(undefined);
  }

  /** A URL that downloads the blob for `expiresInSeconds` (1 s to 7 days) without credentials. */
  async presignedGetUrl(
    digest: Digest,
    expiresInSeconds: number,
    options: PresignedGetOptions = {},
  ): Promise<string> {
    if (
      !Number.isInteger(expiresInSeconds) ||
      expiresInSeconds < 1 ||
      expiresInSeconds > MAX_PRESIGN_SECONDS
    ) {
      throw new RangeError(`expiresInSeconds must be an integer from 1 to ${MAX_PRESIGN_SECONDS}`);
    }
    // Signing is offline; checking first avoids handing out links that can only 404.
    if ((await this.stat(digest)) === undefined) throw new BlobNotFoundError(digest);
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.keyOf(digest),
      ...(options.filename === undefined
        ? {}
        : { ResponseContentDisposition: attachmentDisposition(options.filename) }),
      ...(options.contentType === undefined ? {} : { ResponseContentType: options.contentType }),
    });
    return getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
  }

  /** Asks for the bucket (HeadBucket): a missing bucket or refused credentials fail here. */
  async checkAccess(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new Error(`cannot use S3 bucket ${this.bucket}: ${reason}`, { cause: error });
    }
  }

  /** Closes the client's idle sockets; the store is unusable afterwards. */
  close(): void {
    this.client.destroy();
  }

  /** The object key of a blob, for tests and operators inspecting the bucket. */
  keyOf(digest: Digest): string {
    return `${this.root}blobs/sha256/${digest.slice('sha256:'.length)}`;
  }

  private async head(key: string): Promise<number | undefined> {
    try {
      const response = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      return response.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

/** `bucket/key` with each key segment URL-encoded, as CopyObject's x-amz-copy-source wants. */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** Content-Disposition per RFC 6266: an ASCII fallback plus the exact name in RFC 8187 form. */
function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'NoSuchKey' || error.name === 'NotFound') return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 404;
}
