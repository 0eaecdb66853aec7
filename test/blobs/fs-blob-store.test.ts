import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobDigestMismatchError, BlobTooLargeError } from '../../src/blobs/blob-store.js';
import type { Digest } from '../../src/blobs/blob-store.js';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { tempDir } from '../support/paths.js';
import { blobStoreContract } from './blob-store-contract.js';

const dirs: string[] = [];

/** A fresh store directory, removed when the file's tests are done. */
function storeDir(): string {
  const dir = tempDir('fs-blob-store');
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

blobStoreContract('FsBlobStore', () => new FsBlobStore(storeDir()));

describe('FsBlobStore on disk', () => {
  it('keeps blobs at <dir>/sha256/<hex> and reports that path', async () => {
    const dir = storeDir();
    const store = new FsBlobStore(dir);
    const info = await store.put(Readable.from([Buffer.from('layout')]));
    const expected = path.join(dir, 'sha256', info.digest.slice('sha256:'.length));
    expect(await store.localPath(info.digest)).toBe(expected);
  });

  it('fails a read whose bytes were changed on disk', async () => {
    const store = new FsBlobStore(storeDir());
    const info = await store.put(Readable.from([Buffer.from('original content')]));
    const file = await store.localPath(info.digest);
    writeFileSync(file ?? '', 'tampered content');
    const stream = await store.get(info.digest);
    const error: unknown = await drain(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlobDigestMismatchError);
  });

  it('leaves no temporary file after a refused put', async () => {
    const dir = storeDir();
    const store = new FsBlobStore(dir);
    const big = Readable.from([Buffer.alloc(4096), Buffer.alloc(4096)]);
    await expect(store.put(big, { maxBytes: 5000 })).rejects.toBeInstanceOf(BlobTooLargeError);
    const wrong = `sha256:${'0'.repeat(64)}` as Digest;
    await expect(
      store.put(Readable.from([Buffer.from('x')]), { expectedDigest: wrong }),
    ).rejects.toBeInstanceOf(BlobDigestMismatchError);
    expect(readdirSync(path.join(dir, 'tmp'))).toEqual([]);
    expect(readdirSync(path.join(dir, 'sha256'))).toEqual([]);
  });

  it('never shows a crashed writer’s temporary file as a blob', async () => {
    const dir = storeDir();
    const store = new FsBlobStore(dir);
    await store.put(Readable.from([Buffer.from('first')]));
    const orphan = Buffer.from('half-written by a writer that died');
    const hex = createHash('sha256').update(orphan).digest('hex');
    writeFileSync(path.join(dir, 'tmp', `${hex}.partial`), orphan);
    expect(await store.stat(`sha256:${hex}`)).toBeUndefined();
    expect(await store.localPath(`sha256:${hex}`)).toBeUndefined();
  });
});

/** Reads to the end, which is when the digest is checked. */
async function drain(stream: Readable): Promise<void> {
  stream.resume();
  await finished(stream);
}
