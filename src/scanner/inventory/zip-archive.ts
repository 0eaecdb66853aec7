import { inflateRawSync } from 'node:zlib';

/** One member of a zip archive, from its central directory entry. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

/** The archive is not a zip this reader can read; the message says why. */
export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** End of central directory record: 22 bytes plus a comment of up to 65535. */
const EOCD_SEARCH = 22 + 0xffff;

/**
 * Lists a zip archive's members from its central directory (APPNOTE.TXT 4.3.12, 4.3.16).
 * ZIP64 archives (over 4 GiB or 65535 members) are refused; no jar is that large here.
 */
export function listZipEntries(zip: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - EOCD_SEARCH); at -= 1) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    throw new ZipFormatError('ZIP64 archives are not supported');
  }
  if (offset + size > eocd) throw new ZipFormatError('central directory outside the archive');
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > eocd || zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw new ZipFormatError(`central directory entry ${i} is malformed`);
    }
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      uncompressedSize: zip.readUInt32LE(at + 24),
      localHeaderOffset: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** A member's contents (stored or deflated), refusing more than `maxBytes` uncompressed. */
export function readZipEntry(zip: Buffer, entry: ZipEntry, maxBytes: number): Buffer {
  if (entry.uncompressedSize > maxBytes) {
    throw new ZipFormatError(`${entry.name} is larger than ${maxBytes} bytes`);
  }
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_SIGNATURE) {
    throw new ZipFormatError(`${entry.name}: no local file header`);
  }
  // The local header's own name and extra lengths, which may differ from the central ones.
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > zip.length) throw new ZipFormatError(`${entry.name} extends past the archive`);
  const data = zip.subarray(start, end);
  if (entry.method === 0) return data;
  if (entry.method !== 8)
    throw new ZipFormatError(`${entry.name}: compression method ${entry.method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (error) {
    throw new ZipFormatError(`${entry.name}: ${(error as Error).message}`);
  }
}
