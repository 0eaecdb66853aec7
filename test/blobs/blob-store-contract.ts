import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  BlobDigestMismatchError,
  BlobNotFoundError,
  BlobTooLargeError,
} from '../../src/blobs/blob-store.js';
import type { BlobStore, Digest } from '../../src/blobs/blob-store.js';

/** Builds a fresh, empty store for one test. */
export type BlobStoreFactory = () => BlobStore | Promise<BlobStore>;

/** The behaviour every BlobStore implementation must show; each implementation's test runs it. */
export function blobStoreContract(name: string, factory: BlobStoreFactory): void {
  describe(`BlobStore contract: ${name}`, () => {
    it('stores content under its sha256 digest and reads it back', async () => {
      const store = await factory();
      const content = Buffer.from('hello, goldsmith\n');
      const info = await store.put(Readable.from([content]));
      expect(info).toEqual({ digest: digestOf(content), size: content.length });
      expect(await readAll(await store.get(info.digest))).toEqual(content);
      expect(await store.stat(info.digest)).toEqual(info);
    });

    it('accepts an async iterable of many chunks', async () => {
      const store = await factory();
      const chunks = Array.from({ length: 64 }, (_, i) => Buffer.alloc(64 * 1024, i));
      const info = await store.put(generate(chunks));
      const whole = Buffer.concat(chunks);
      expect(info).toEqual({ digest: digestOf(whole), size: whole.length });
      expect((await readAll(await store.get(info.digest))).equals(whole)).toBe(true);
    });

    it('stores an empty blob', async () => {
      const store = await factory();
      const info = await store.put(generate([]));
      expect(info).toEqual({ digest: digestOf(Buffer.alloc(0)), size: 0 });
      expect((await readAll(await store.get(info.digest))).length).toBe(0);
    });

    it('is idempotent: the same content twice, even concurrently, gives one blob', async () => {
      const store = await factory();
      const content = Buffer.alloc(300_000, 7);
      const infos = await Promise.all([
        store.put(Readable.from([content])),
        store.put(Readable.from([content])),
        store.put(Readable.from([content])),
      ]);
      expect(new Set(infos.map((info) => info.digest)).size).toBe(1);
      const again = await store.put(Readable.from([content]));
      expect(again).toEqual(infos[0]);
      expect((await readAll(await store.get(again.digest))).equals(content)).toBe(true);
    });

    it('refuses a source longer than maxBytes and keeps nothing', async () => {
      const store = await factory();
      const content = Buffer.alloc(1025, 1);
      await expect(store.put(Readable.from([content]), { maxBytes: 1024 })).rejects.toBeInstanceOf(
        BlobTooLargeError,
      );
      expect(await store.stat(digestOf(content))).toBeUndefined();
    });

    it('accepts a source of exactly maxBytes', async () => {
      const store = await factory();
      const content = Buffer.alloc(1024, 2);
      const info = await store.put(Readable.from([content]), { maxBytes: 1024 });
      expect(info.size).toBe(1024);
    });

    it('checks expectedDigest and keeps nothing on a mismatch', async () => {
      const store = await factory();
      const content = Buffer.from('actual content');
      const wrong = digestOf(Buffer.from('other content'));
      const error: unknown = await store
        .put(Readable.from([content]), { expectedDigest: wrong })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlobDigestMismatchError);
      expect(error).toMatchObject({ expected: wrong, actual: digestOf(content) });
      expect(await store.stat(digestOf(content))).toBeUndefined();
      expect(await store.stat(wrong)).toBeUndefined();
      const right = await store.put(Readable.from([content]), {
        expectedDigest: digestOf(content),
      });
      expect(right.digest).toBe(digestOf(content));
    });

    it('reports a missing blob as BlobNotFoundError on get and undefined on stat', async () => {
      const store = await factory();
      const missing = digestOf(Buffer.from('never stored'));
      await expect(store.get(missing)).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await store.stat(missing)).toBeUndefined();
      expect(await store.localPath(missing)).toBeUndefined();
    });

    it('treats a malformed digest as absent', async () => {
      const store = await factory();
      const malformed = 'sha256:../../etc/passwd' as Digest;
      await expect(store.get(malformed)).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await store.stat(malformed)).toBeUndefined();
    });

    it('propagates a failing source and keeps nothing', async () => {
      const store = await factory();
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield Buffer.from('partial');
        throw new Error('source broke');
      }
      await expect(store.put(failing())).rejects.toThrow('source broke');
      expect(await store.stat(digestOf(Buffer.from('partial')))).toBeUndefined();
    });
  });
}

function digestOf(content: Buffer): Digest {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

async function* generate(chunks: readonly Buffer[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
