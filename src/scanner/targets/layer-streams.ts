import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Duplex, Readable, Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { BlobDigestMismatchError } from '../../blobs/blob-store.js';
import { throughStream } from '../../image/oci-layer-extractor.js';

/** How a tar (a layer, a root filesystem, an archive) is compressed. */
export type Compression = 'none' | 'gzip' | 'xz' | 'zstd';

/** Magic numbers: RFC 1952 (gzip), the xz file format 1.0.4, RFC 8878 (zstd frame). */
const MAGIC: readonly { readonly compression: Compression; readonly bytes: Buffer }[] = [
  { compression: 'gzip', bytes: Buffer.from([0x1f, 0x8b]) },
  { compression: 'xz', bytes: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) },
  { compression: 'zstd', bytes: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]) },
];

/** The compression of `file`, from its first bytes; `none` for anything else. */
export async function sniffCompression(file: string): Promise<Compression> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const found = MAGIC.find(({ bytes }) =>
      head.subarray(0, bytesRead).subarray(0, bytes.length).equals(bytes),
    );
    return found?.compression ?? 'none';
  } finally {
    await handle.close();
  }
}

/** `source` decompressed: gzip in-process, xz and zstd by their command-line tools. */
export function decompressed(source: Readable, compression: Compression): Readable {
  switch (compression) {
    case 'none':
      return source;
    case 'gzip':
      return throughStream(source, createGunzip());
    case 'xz':
    case 'zstd':
      return throughStream(source, decompressorProcess(compression));
  }
}

/** `source`, ending in BlobDigestMismatchError when its bytes do not hash to `expected`. */
export function verifiedStream(source: Readable, expected: string): Readable {
  const hash = createHash('sha256');
  const verifier = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback): void {
      const actual = `sha256:${hash.digest('hex')}`;
      callback(actual === expected ? null : new BlobDigestMismatchError(expected, actual));
    },
  });
  return throughStream(source, verifier);
}

/** The `sha256:...` digest of a file's bytes. */
export async function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return `sha256:${hash.digest('hex')}`;
}

/** `xz -dc` or `zstd -dc` as a stream; a non-zero exit ends the output with an error. */
function decompressorProcess(command: 'xz' | 'zstd'): Duplex {
  const child = spawn(command, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  // Seen only once the output ends; until then a spawn error surfaces through stdin.
  exited.catch(() => undefined);
  async function* output(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of child.stdout) yield chunk as Buffer;
      const code = await exited;
      if (code !== 0) {
        const message = Buffer.concat(stderr).toString().trim();
        throw new Error(`${command} -dc exited with ${code}: ${message}`);
      }
    } finally {
      // A reader that stops early (a refused entry) must not leave the process behind.
      if (child.exitCode === null) child.kill();
    }
  }
  return Duplex.from({ writable: child.stdin, readable: Readable.from(output()) });
}
