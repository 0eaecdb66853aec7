import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { BlobDigestMismatchError } from './blob-store.js';
import type { Digest } from './blob-store.js';

/** Passes bytes through while hashing them, and fails at the end on a digest mismatch. */
export class DigestVerifier extends Transform {
  private readonly hash = createHash('sha256');

  constructor(private readonly expected: Digest) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const actual = `sha256:${this.hash.digest('hex')}`;
    callback(actual === this.expected ? null : new BlobDigestMismatchError(this.expected, actual));
  }
}

/** Normalises one chunk of a put source to bytes. */
export function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  // A Readable in string mode yields strings; store them as the UTF-8 they encode.
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError('blob source yielded a chunk that is neither bytes nor a string');
}
