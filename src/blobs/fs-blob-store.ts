import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import {
  BlobDigestMismatchError,
  BlobNotFoundError,
  BlobTooLargeError,
  isDigest,
} from './blob-store.js';
import type { BlobInfo, BlobStore, Digest, PutOptions } from './blob-store.js';
import { DigestVerifier, toBytes } from './digest-stream.js';

/**
 * A BlobStore over a local directory: blobs live at `<dir>/sha256/<hex>`,
 * writes go through `<dir>/tmp/` (same filesystem, so the final rename is atomic).
 */
export class FsBlobStore implements BlobStore {
  private readonly blobDir: string;
  private readonly tempDir: string;

  constructor(readonly dir: string) {
    this.blobDir = path.join(dir, 'sha256');
    this.tempDir = path.join(dir, 'tmp');
  }

  /** Streams `source` into the store, verifying size and digest before it becomes visible. */
  async put(
    source: Readable | AsyncIterable<Uint8Array>,
    options: PutOptions = {},
  ): Promise<BlobInfo> {
    await mkdir(this.tempDir, { recursive: true });
    await mkdir(this.blobDir, { recursive: true });
    // Temporaries live outside sha256/, so a crashed writer's leftovers are never read as blobs.
    const tempPath = path.join(this.tempDir, `${randomBytes(12).toString('hex')}.partial`);
    const handle = await open(tempPath, 'wx', 0o644);
    let kept = false;
    try {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of source as AsyncIterable<unknown>) {
        const bytes = toBytes(chunk);
        size += bytes.byteLength;
        if (options.maxBytes !== undefined && size > options.maxBytes) {
          throw new BlobTooLargeError(options.maxBytes);
        }
        hash.update(bytes);
        await writeAll(handle, bytes);
      }
      await handle.sync();
      await handle.close();
      const digest: Digest = `sha256:${hash.digest('hex')}`;
      if (options.expectedDigest !== undefined && options.expectedDigest !== digest) {
        throw new BlobDigestMismatchError(options.expectedDigest, digest);
      }
      const finalPath = this.pathOf(digest);
      if ((await statOrUndefined(finalPath)) === undefined) {
        await rename(tempPath, finalPath);
        kept = true;
        await syncDirectory(this.blobDir);
      }
      return { digest, size };
    } finally {
      await handle.close().catch(() => undefined);
      if (!kept) await unlink(tempPath).catch(() => undefined);
    }
  }

  /** Opens a blob; the stream fails with BlobDigestMismatchError if the bytes changed on disk. */
  async get(digest: Digest): Promise<Readable> {
    if (!isDigest(digest)) throw new BlobNotFoundError(digest);
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(digest), fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) throw new BlobNotFoundError(digest);
      throw error;
    }
    const verifier = new DigestVerifier(digest);
    // pipeline() destroys the file stream (closing the handle) if the reader stops early.
    pipeline(handle.createReadStream(), verifier, () => undefined);
    return verifier;
  }

  /** The blob's digest and size, or undefined when absent. */
  async stat(digest: Digest): Promise<BlobInfo | undefined> {
    if (!isDigest(digest)) return undefined;
    const info = await statOrUndefined(this.pathOf(digest));
    return info === undefined ? undefined : { digest, size: info.size };
  }

  /** The file holding the blob, or undefined when absent. */
  async localPath(digest: Digest): Promise<string | undefined> {
    if (!isDigest(digest)) return undefined;
    const file = this.pathOf(digest);
    return (await statOrUndefined(file)) === undefined ? undefined : file;
  }

  private pathOf(digest: Digest): string {
    return path.join(this.blobDir, digest.slice('sha256:'.length));
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Makes the rename durable: the directory entry must reach the disk too (fsync(2)). */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function statOrUndefined(file: string): Promise<{ size: number } | undefined> {
  try {
    return await stat(file);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
