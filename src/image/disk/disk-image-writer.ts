import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from '../../blobs/blob-store.js';
import type { Image } from '../../domain/types.js';
import { extractLayer } from '../oci-layer-extractor.js';
import { atOffset, runDiskTool } from './disk-tool.js';
import {
  EXT4_BLOCK_BYTES,
  MIB,
  PARTITION_START_BYTES,
  ROOT_LABEL,
  SECTOR_BYTES,
  roundUpToMib,
} from './disk-layout.js';
import type { DiskFormat } from './disk-layout.js';

/** Where and how writeDiskImage writes a disk. */
export interface WriteDiskImageOptions {
  readonly format: DiskFormat;
  /** The disk file; written beside it as `<file>.partial` and renamed when complete. */
  readonly outputFile: string;
  /** Where the image's root and (for qcow2) the raw disk are built; both are removed after. */
  readonly workDir: string;
  /** Free space to add on top of the files, as a fraction of them; 0.2 unless told. */
  readonly sizeSlack?: number;
}

/** The disk writeDiskImage wrote. */
export interface WrittenDiskImage {
  readonly format: DiskFormat;
  readonly file: string;
  /** Bytes of the file (a raw disk is sparse: fewer are allocated). */
  readonly fileBytes: number;
  /** Bytes the disk has as a block device. */
  readonly virtualBytes: number;
  /** Offset and length of the ext4 root partition. */
  readonly partitionStart: number;
  readonly partitionBytes: number;
}

/** Room for the journal (64 MiB from 2 GiB filesystems on) and the other ext4 metadata. */
const FIXED_OVERHEAD_BYTES = 64 * MIB;
const INODE_BYTES = 256;
/** Bytes of data per inode mke2fs would plan for (mke2fs.conf `inode_ratio`). */
const DEFAULT_INODE_RATIO = 16384;

/**
 * Writes `image` as a raw or qcow2 disk: an MBR with one Linux partition at 1 MiB holding an
 * ext4 filesystem (label goldsmith-root) made by `mkfs.ext4 -d` from the image's layers,
 * extracted in order with whiteouts applied. Owners, modes, symlinks, hardlinks and xattrs
 * are kept. Nothing is mounted. The disk is not bootable: it has no kernel or bootloader.
 */
export async function writeDiskImage(
  blobs: BlobStore,
  image: Image,
  options: WriteDiskImageOptions,
): Promise<WrittenDiskImage> {
  const slack = options.sizeSlack ?? 0.2;
  if (!(slack >= 0)) throw new RangeError(`sizeSlack must be 0 or more: ${slack}`);
  await mkdir(options.workDir, { recursive: true });
  const work = await mkdtemp(path.join(options.workDir, 'disk-'));
  const partial = `${options.outputFile}.partial`;
  try {
    const root = path.join(work, 'root');
    await mkdir(root, { mode: 0o755 });
    for (const layer of image.layers) {
      await extractLayer(blobs, layer, root, { applyWhiteouts: true });
    }
    const usage = await measureTree(root);
    const inodes = Math.max(
      Math.ceil(usage.inodes * 1.2) + 1024,
      Math.ceil(usage.bytes / DEFAULT_INODE_RATIO),
    );
    const partitionBytes = roundUpToMib(
      (usage.bytes + inodes * INODE_BYTES) * (1 + slack) + FIXED_OVERHEAD_BYTES,
    );
    const virtualBytes = PARTITION_START_BYTES + partitionBytes;
    const raw = options.format === 'raw' ? partial : path.join(work, 'disk.raw');
    await createSparseFile(raw, virtualBytes);
    const ids = idsOf(image.manifestDigest);
    await partition(raw, partitionBytes, ids.diskId);
    await runDiskTool(
      'mkfs.ext4',
      [
        '-q',
        '-F',
        '-b',
        String(EXT4_BLOCK_BYTES),
        '-N',
        String(inodes),
        '-L',
        ROOT_LABEL,
        '-U',
        ids.uuid,
        '-E',
        `offset=${PARTITION_START_BYTES},hash_seed=${ids.hashSeed}`,
        '-d',
        root,
        raw,
        `${partitionBytes / 1024}k`,
      ],
      // Ids from the digest and superblock times from the image, so every export of an image
      // has the same filesystem UUID (inode times still come from the extracted files).
      { env: { E2FSPROGS_FAKE_TIME: String(epochSeconds(image.createdAt)) } },
    );
    await runDiskTool('e2fsck', ['-fn', atOffset(raw, PARTITION_START_BYTES)]);
    if (options.format === 'qcow2') {
      await runDiskTool('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', raw, partial]);
      await runDiskTool('qemu-img', ['check', '-f', 'qcow2', partial]);
    }
    await rename(partial, options.outputFile);
    return {
      format: options.format,
      file: options.outputFile,
      fileBytes: (await stat(options.outputFile)).size,
      virtualBytes,
      partitionStart: PARTITION_START_BYTES,
      partitionBytes,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
}

/** Bytes (in whole ext4 blocks) and inodes a tree needs; each hardlinked inode counts once. */
async function measureTree(root: string): Promise<{ bytes: number; inodes: number }> {
  const seen = new Set<string>();
  let bytes = 0;
  let inodes = 0;
  const blocks = (size: number): number => Math.ceil(size / EXT4_BLOCK_BYTES) * EXT4_BLOCK_BYTES;
  const walk = async (dir: string): Promise<void> => {
    const names = await readdir(dir);
    // A directory entry takes 8 bytes plus the name, rounded to 4.
    bytes += blocks(names.reduce((sum, name) => sum + 8 + Math.ceil(name.length / 4) * 4, 24));
    inodes += 1;
    for (const name of names) {
      const file = path.join(dir, name);
      const stats = await lstat(file);
      if (stats.isDirectory()) {
        await walk(file);
        continue;
      }
      const key = `${stats.dev}:${stats.ino}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inodes += 1;
      // Symlinks of up to 59 bytes live in the inode itself.
      if (stats.isFile() || (stats.isSymbolicLink() && stats.size > 59)) {
        bytes += blocks(stats.size);
      }
    }
  };
  await walk(root);
  return { bytes, inodes };
}

async function createSparseFile(file: string, bytes: number): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.truncate(bytes);
  } finally {
    await handle.close();
  }
}

/**
 * An MBR (`label: dos`) rather than GPT: the disk then has nothing at its end, so growing it
 * (`qemu-img resize`, a larger cloud volume) needs no backup header moved, and every
 * firmware and tool reads it. Its 2 TiB limit is far above any image.
 */
async function partition(file: string, partitionBytes: number, diskId: string): Promise<void> {
  const script = [
    'label: dos',
    `label-id: ${diskId}`,
    'unit: sectors',
    '',
    `start=${PARTITION_START_BYTES / SECTOR_BYTES}, size=${partitionBytes / SECTOR_BYTES}, type=83`,
    '',
  ].join('\n');
  await runDiskTool('sfdisk', ['--quiet', '--no-reread', '--no-tell-kernel', file], {
    input: script,
  });
}

/** Disk id, filesystem UUID and directory hash seed derived from the manifest digest. */
function idsOf(manifestDigest: string): { diskId: string; uuid: string; hashSeed: string } {
  const hash = (purpose: string): string =>
    createHash('sha256').update(`${purpose}\0${manifestDigest}`).digest('hex');
  const asUuid = (hex: string): string => {
    // RFC 9562 version 8 (custom) with the RFC variant bits.
    const bytes = Buffer.from(hex.slice(0, 32), 'hex');
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    const h = bytes.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  return {
    diskId: `0x${hash('mbr').slice(0, 8)}`,
    uuid: asUuid(hash('fs-uuid')),
    hashSeed: asUuid(hash('hash-seed')),
  };
}

function epochSeconds(iso: string): number {
  const millis = Date.parse(iso);
  return Number.isNaN(millis) ? 0 : Math.max(0, Math.floor(millis / 1000));
}
