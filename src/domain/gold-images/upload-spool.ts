import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The upload was larger than the limit; what was written is left for the caller to remove. */
export class UploadTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the upload is larger than the limit of ${maxBytes} bytes`);
    this.name = 'UploadTooLargeError';
  }
}

/** Streams `body` into `file`, failing with UploadTooLargeError past `maxBytes`; returns its size. */
export async function spoolUpload(body: Readable, file: string, maxBytes: number): Promise<number> {
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > maxBytes) callback(new UploadTooLargeError(maxBytes));
      else callback(null, chunk);
    },
  });
  await pipeline(body, limit, createWriteStream(file, { mode: 0o600 }));
  return size;
}

/** The size of `file`, failing with UploadTooLargeError past `maxBytes`. */
export async function checkUploadSize(file: string, maxBytes: number): Promise<number> {
  const { size } = await stat(file);
  if (size > maxBytes) throw new UploadTooLargeError(maxBytes);
  return size;
}
