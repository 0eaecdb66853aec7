import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { BlobStore } from '../blobs/blob-store.js';
import type { ImageLayer } from '../domain/types.js';
import { OCI_LAYER_GZIP_MEDIA_TYPE } from './oci-types.js';

/** How writeLayer turns a directory into a layer. */
export interface WriteLayerOptions {
  /** Turn overlayfs whiteouts (0/0 character devices) and opaque directories into OCI whiteouts. */
  readonly overlayWhiteouts?: boolean;
  /** ISO date: no entry gets a later mtime, so rebuilding the same tree gives the same digest. */
  readonly mtimeClamp?: string;
  /** Refuse (BlobTooLargeError from the store) a compressed layer larger than this. */
  readonly maxBytes?: number;
}

/** Extended attributes of one file: name and raw value, sorted by name. */
type Xattrs = readonly (readonly [string, Buffer])[];

interface LayerContext {
  readonly root: string;
  readonly overlayWhiteouts: boolean;
  readonly mtimeClampSeconds: number | undefined;
  readonly xattrs: ReadonlyMap<string, Xattrs>;
  /** First path written for each multiply-linked inode (`dev:ino`), for hardlink entries. */
  readonly linkTargets: Map<string, string>;
}

/** The OCI whiteout prefix and opaque marker (image-spec, layer.md "Whiteouts"). */
const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
const OVERLAY_XATTR_PREFIX = 'trusted.overlay.';
const READ_CHUNK = 1024 * 1024;
const BATCH_BYTES = 1024 * 1024;

/**
 * Writes the tree under `dir` as a gzip OCI layer into `blobs` and returns its descriptor
 * (digest and size of the gzip blob, diffId of the tar). Entries are relative (`etc/`,
 * `usr/bin/x`), sorted by byte order, with numeric owners, and reproducible for the same tree.
 */
export async function writeLayer(
  dir: string,
  blobs: BlobStore,
  options: WriteLayerOptions = {},
): Promise<ImageLayer> {
  const context: LayerContext = {
    root: dir,
    overlayWhiteouts: options.overlayWhiteouts ?? false,
    mtimeClampSeconds: parseClamp(options.mtimeClamp),
    xattrs: await readXattrs(dir),
    linkTargets: new Map(),
  };
  const diffHash = createHash('sha256');
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of coalesce(tarChunks(context))) {
      diffHash.update(chunk);
      yield chunk;
    }
  }
  // Node's gzip header always carries mtime 0 and no file name (like `gzip -n`), so equal
  // tars give equal blobs.
  const gzip = createGzip({ level: 6, chunkSize: BATCH_BYTES });
  const tar = Readable.from(hashed(), { objectMode: false, highWaterMark: 4 * BATCH_BYTES });
  const piping = pipeline(tar, gzip);
  const putOptions = options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes };
  const [stored, piped] = await Promise.allSettled([blobs.put(gzip, putOptions), piping]);
  if (stored.status === 'rejected') throw stored.reason;
  if (piped.status === 'rejected') throw piped.reason;
  return {
    mediaType: OCI_LAYER_GZIP_MEDIA_TYPE,
    digest: stored.value.digest,
    diffId: `sha256:${diffHash.digest('hex')}`,
    size: stored.value.size,
  };
}

/**
 * Joins small pieces (headers, small files) into batches of about BATCH_BYTES: each write to
 * zlib is a round trip to its thread, which dominated the time for trees of many small files.
 */
async function* coalesce(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    pending.push(chunk);
    size += chunk.length;
    if (size >= BATCH_BYTES) {
      yield Buffer.concat(pending, size);
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(pending, size);
}

async function* tarChunks(context: LayerContext): AsyncGenerator<Buffer> {
  yield* directoryChunks(context, '');
  // End of archive: two zero blocks (POSIX ustar).
  yield Buffer.alloc(1024);
}

async function* directoryChunks(context: LayerContext, relDir: string): AsyncGenerator<Buffer> {
  const absDir = path.join(context.root, relDir);
  const rawNames = await readdir(absDir, { encoding: 'buffer' });
  rawNames.sort(Buffer.compare);
  // All at once: the stats are independent, and one syscall round trip per file adds up.
  const children = await Promise.all(
    rawNames.map(async (raw) => {
      const name = utf8Name(raw, path.join(relDir, raw.toString('utf8')));
      const stats = await lstat(path.join(absDir, name), { bigint: true });
      const whiteout = context.overlayWhiteouts && stats.isCharacterDevice() && stats.rdev === 0n;
      return { name, stats, whiteout };
    }),
  );
  // Whiteouts go before their siblings, as the image spec asks of layer writers.
  const ordered = [...children.filter((c) => c.whiteout), ...children.filter((c) => !c.whiteout)];
  for (const child of ordered) {
    const rel = relDir === '' ? child.name : `${relDir}/${child.name}`;
    if (child.whiteout) {
      const name = relDir === '' ? '' : `${relDir}/`;
      yield encodeEntry({
        ...ownership(child.stats, context),
        name: `${name}${WHITEOUT_PREFIX}${child.name}`,
        type: '0',
        mode: 0o600,
        size: 0,
      });
    } else {
      yield* entryChunks(context, rel, child.stats);
    }
  }
}

async function* entryChunks(
  context: LayerContext,
  rel: string,
  stats: BigIntStats,
): AsyncGenerator<Buffer> {
  const absPath = path.join(context.root, rel);
  if (context.overlayWhiteouts) refuseOverlayIndirection(rel, context.xattrs.get(rel));
  const base = {
    ...ownership(stats, context),
    mode: Number(stats.mode) & 0o7777,
    size: 0,
    xattrs: carriedXattrs(context.xattrs.get(rel)),
  };
  if (stats.isDirectory()) {
    yield encodeEntry({ ...base, name: `${rel}/`, type: '5' });
    if (context.overlayWhiteouts && isOpaque(context.xattrs.get(rel))) {
      // Like moby's overlay converter: the marker inherits the directory's owner and mode.
      yield encodeEntry({
        ...base,
        name: `${rel}/${OPAQUE_MARKER}`,
        type: '0',
        mode: base.mode & 0o777,
        xattrs: [],
      });
    }
    yield* directoryChunks(context, rel);
    return;
  }
  if (stats.isSocket()) return; // A tar cannot hold a socket; GNU tar skips them too.
  if (stats.nlink > 1n) {
    const key = `${stats.dev}:${stats.ino}`;
    const first = context.linkTargets.get(key);
    if (first !== undefined) {
      yield encodeEntry({ ...base, name: rel, type: '1', linkname: first });
      return;
    }
    context.linkTargets.set(key, rel);
  }
  if (stats.isFile()) {
    const size = Number(stats.size);
    yield encodeEntry({ ...base, name: rel, type: '0', size });
    yield* fileContentChunks(absPath, stats);
    const padding = (512 - (size % 512)) % 512;
    if (padding > 0) yield Buffer.alloc(padding);
  } else if (stats.isSymbolicLink()) {
    const target = await readlink(absPath, { encoding: 'buffer' });
    yield encodeEntry({ ...base, name: rel, type: '2', linkname: utf8Name(target, rel) });
  } else if (stats.isCharacterDevice() || stats.isBlockDevice()) {
    const { major, minor } = splitDevice(stats.rdev);
    const type = stats.isCharacterDevice() ? '3' : '4';
    yield encodeEntry({ ...base, name: rel, type, devmajor: major, devminor: minor });
  } else if (stats.isFIFO()) {
    yield encodeEntry({ ...base, name: rel, type: '6' });
  }
}

async function* fileContentChunks(absPath: string, stats: BigIntStats): AsyncGenerator<Buffer> {
  // O_NONBLOCK: should the file have been swapped for a FIFO since lstat, open must not hang.
  const flags = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;
  const handle = await open(absPath, flags);
  try {
    const size = Number(stats.size);
    let position = 0;
    // One byte more than expected is asked for, so a file that grew is noticed without a stat.
    while (position <= size) {
      const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK, size - position + 1));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      position += bytesRead;
      if (position > size) throw new Error(`${absPath} grew while the layer was being written`);
      if (bytesRead > 0) yield buffer.subarray(0, bytesRead);
      // A short read of a regular file is its end.
      if (bytesRead < buffer.length) break;
    }
    if (position < size) throw new Error(`${absPath} shrank while the layer was being written`);
  } finally {
    await handle.close();
  }
}

function ownership(
  stats: BigIntStats,
  context: LayerContext,
): { uid: number; gid: number; mtime: number } {
  // Tar's octal mtime cannot be negative; files dated before 1970 are stored at the epoch.
  let mtime = Math.max(0, Number(stats.mtimeNs / 1_000_000_000n));
  if (context.mtimeClampSeconds !== undefined) mtime = Math.min(mtime, context.mtimeClampSeconds);
  return { uid: Number(stats.uid), gid: Number(stats.gid), mtime };
}

function parseClamp(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) throw new RangeError(`mtimeClamp is not a date: ${iso}`);
  return Math.max(0, Math.floor(millis / 1000));
}

/** Linux's dev_t layout (glibc gnu_dev_major/gnu_dev_minor). */
function splitDevice(rdev: bigint): { major: number; minor: number } {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return { major: Number(major), minor: Number(minor) };
}

/** Tar paths are text (PAX says UTF-8); a name that is not UTF-8 would be silently altered. */
function utf8Name(raw: Buffer, where: string): string {
  const text = raw.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(raw)) {
    throw new Error(`${where}: name is not valid UTF-8 and cannot be stored in the layer`);
  }
  return text;
}

function isOpaque(xattrs: Xattrs | undefined): boolean {
  // Only "y" means opaque; since Linux 6.7 "x" marks a directory holding xwhiteouts instead.
  const value = xattrs?.find(([name]) => name === `${OVERLAY_XATTR_PREFIX}opaque`)?.[1];
  return value !== undefined && value.equals(Buffer.from('y'));
}

/**
 * With redirect_dir or metacopy on, an upper entry is a pointer into the lower layers rather
 * than the file itself; such a layer would be silently wrong, so it is refused.
 */
function refuseOverlayIndirection(rel: string, xattrs: Xattrs | undefined): void {
  for (const [name] of xattrs ?? []) {
    if (name === `${OVERLAY_XATTR_PREFIX}redirect` || name === `${OVERLAY_XATTR_PREFIX}metacopy`) {
      throw new Error(
        `${rel} carries ${name}: mount the overlay with redirect_dir=off,metacopy=off`,
      );
    }
  }
}

/** overlayfs bookkeeping (origin, impure, opaque...) must never reach a layer. */
function carriedXattrs(xattrs: Xattrs | undefined): Xattrs {
  return (xattrs ?? []).filter(([name]) => !name.startsWith(OVERLAY_XATTR_PREFIX));
}

// ---------------------------------------------------------------------------------------------
// Extended attributes. Node has no xattr API, so one `getfattr` (Debian package `attr`) run
// dumps every attribute of the tree; without it, layers would silently lose file capabilities
// and opaque markers, so its absence is an error rather than a skip.

async function readXattrs(root: string): Promise<Map<string, Xattrs>> {
  const output = await runGetfattr(root);
  const result = new Map<string, [string, Buffer][]>();
  let current: [string, Buffer][] | undefined;
  const fileMarker = Buffer.from('# file: ');
  let start = 0;
  while (start < output.length) {
    let end = output.indexOf(0x0a, start);
    if (end === -1) end = output.length;
    const line = output.subarray(start, end);
    start = end + 1;
    if (line.length === 0) continue;
    if (line.subarray(0, fileMarker.length).equals(fileMarker)) {
      const file = unescapeGetfattr(line.subarray(fileMarker.length)).toString('utf8');
      current = [];
      result.set(file.replace(/^\.\//, ''), current);
      continue;
    }
    const equals = line.lastIndexOf(0x3d);
    if (current === undefined || equals === -1) {
      throw new Error(`unexpected getfattr output line: ${line.toString('utf8')}`);
    }
    const name = unescapeGetfattr(line.subarray(0, equals)).toString('utf8');
    const hex = line.subarray(equals + 1).toString('latin1');
    if (!hex.startsWith('0x')) throw new Error(`unexpected getfattr value for ${name}: ${hex}`);
    current.push([name, Buffer.from(hex.slice(2), 'hex')]);
  }
  for (const list of result.values()) list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return result;
}

function runGetfattr(root: string): Promise<Buffer> {
  // -R -P: walk the tree without following symlinks; -h: a symlink's own attributes;
  // -m -: every namespace (security.capability, trusted.overlay.*), values in hex.
  const args = ['-R', '-P', '-h', '-d', '-m', '-', '-e', 'hex', '.'];
  return new Promise((resolve, reject) => {
    const child = spawn('getfattr', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error('getfattr not found: install the Debian package "attr" to write layers')
          : error,
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(stdout));
      else reject(new Error(`getfattr failed (${code}): ${Buffer.concat(stderr).toString()}`));
    });
  });
}

/** getfattr writes `\`, `=`, newline and other unsafe bytes as a backslash and three octal digits. */
function unescapeGetfattr(text: Buffer): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const byte = text[i] ?? 0;
    const octal = text.subarray(i + 1, i + 4).toString('latin1');
    if (byte === 0x5c && /^[0-7]{3}$/.test(octal)) {
      bytes.push(parseInt(octal, 8));
      i += 3;
    } else {
      bytes.push(byte);
    }
  }
  return Buffer.from(bytes);
}

// ---------------------------------------------------------------------------------------------
// Tar headers. Written here rather than with tar-stream's packer because tar-stream encodes PAX
// values as UTF-8 text, which would corrupt binary xattrs such as security.capability.

interface TarEntry {
  readonly name: string;
  /** POSIX typeflag: 0 file, 1 hardlink, 2 symlink, 3 char, 4 block, 5 dir, 6 fifo. */
  readonly type: '0' | '1' | '2' | '3' | '4' | '5' | '6';
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number;
  readonly linkname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
  readonly xattrs?: Xattrs;
}

const MAX_ID = 0o7777777;
const MAX_SIZE = 0o77777777777;

/** The header blocks of one entry: a PAX extended header (when needed) and a ustar header. */
function encodeEntry(entry: TarEntry): Buffer {
  const records: [string, Buffer][] = [];
  const fitsUstar = (text: string): boolean => /^[\x20-\x7e]{0,100}$/.test(text);
  if (!fitsUstar(entry.name)) records.push(['path', Buffer.from(entry.name, 'utf8')]);
  if (entry.linkname !== undefined && !fitsUstar(entry.linkname)) {
    records.push(['linkpath', Buffer.from(entry.linkname, 'utf8')]);
  }
  if (entry.uid > MAX_ID) records.push(['uid', Buffer.from(String(entry.uid))]);
  if (entry.gid > MAX_ID) records.push(['gid', Buffer.from(String(entry.gid))]);
  if (entry.size > MAX_SIZE) records.push(['size', Buffer.from(String(entry.size))]);
  for (const [name, value] of entry.xattrs ?? []) records.push([`SCHILY.xattr.${name}`, value]);
  const header = ustarHeader(entry);
  if (records.length === 0) return header;
  const pax = Buffer.concat(records.map(([key, value]) => paxRecord(key, value)));
  const paxHeader = ustarHeader({
    name: 'PaxHeader',
    type: 'x',
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: pax.length,
    mtime: entry.mtime,
  });
  return Buffer.concat([paxHeader, pax, Buffer.alloc((512 - (pax.length % 512)) % 512), header]);
}

/** One PAX record, `"<length> <key>=<value>\n"`, whose length counts its own digits. */
function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.byteLength(key) + value.length + 3; // space, '=', newline
  let length = body + String(body).length;
  if (String(length).length !== String(body).length) length = body + String(length).length;
  return Buffer.concat([Buffer.from(`${length} ${key}=`), value, Buffer.from('\n')]);
}

function ustarHeader(
  entry: Omit<TarEntry, 'type' | 'xattrs'> & { readonly type: TarEntry['type'] | 'x' },
): Buffer {
  const block = Buffer.alloc(512);
  // Fields that overflow were moved to PAX records; the ustar copy is then a placeholder.
  block.write(entry.name, 0, 100, 'utf8');
  writeOctal(block, entry.mode, 100, 8);
  writeOctal(block, entry.uid > MAX_ID ? 0 : entry.uid, 108, 8);
  writeOctal(block, entry.gid > MAX_ID ? 0 : entry.gid, 116, 8);
  writeOctal(block, entry.size > MAX_SIZE ? 0 : entry.size, 124, 12);
  writeOctal(block, entry.mtime, 136, 12);
  block.fill(0x20, 148, 156);
  block.write(entry.type, 156, 1, 'latin1');
  if (entry.linkname !== undefined) block.write(entry.linkname, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 8, 'latin1');
  writeOctal(block, entry.devmajor ?? 0, 329, 8);
  writeOctal(block, entry.devminor ?? 0, 337, 8);
  let checksum = 0;
  for (const byte of block) checksum += byte;
  block.write(`${checksum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return block;
}

function writeOctal(block: Buffer, value: number, offset: number, width: number): void {
  block.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'latin1');
}
