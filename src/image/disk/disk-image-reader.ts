import { mkdir, mkdtemp, open, readdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DiskToolError, atOffset, runDiskTool } from './disk-tool.js';
import {
  GPT_SIGNATURE,
  LINUX_PARTITION_TYPES,
  MBR_SIGNATURE_OFFSET,
  QCOW2_MAGIC,
  SECTOR_BYTES,
} from './disk-layout.js';
import type { DiskFormat } from './disk-layout.js';

/** A disk image that cannot be read: not a disk, no usable partition, a damaged filesystem. */
export class DiskImageError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'DiskImageError';
  }
}

/** How readDiskImage reads a disk. */
export interface ReadDiskImageOptions {
  /** Where a qcow2 disk is converted to raw; the system temp directory unless told. */
  readonly workDir?: string;
  /** Refuse a disk whose virtual size is larger (a qcow2 can expand a lot). */
  readonly maxVirtualBytes?: number;
}

/** The partition readDiskImage extracted. */
export interface ReadDiskImage {
  readonly format: DiskFormat;
  readonly partitionTable: 'dos' | 'gpt';
  /** 1-based number of the partition in the table. */
  readonly partitionNumber: number;
  readonly partitionStart: number;
  readonly partitionBytes: number;
}

interface Partition {
  readonly number: number;
  readonly start: number;
  readonly bytes: number;
  readonly type: string;
}

/** The superblock starts 1024 bytes in; ext2, ext3 and ext4 share its magic (at 0x38). */
const EXT_SUPERBLOCK_OFFSET = 1024;
const EXT_SUPERBLOCK_BYTES = 1024;
const EXT_MAGIC = 0xef53;

/**
 * Extracts the root filesystem of a raw or qcow2 disk into `targetDir` (created; must not hold
 * anything): the ext4 Linux partition holding /etc/os-release, else the largest ext4 Linux
 * partition, read with `debugfs rdump` in place. Nothing is mounted and no loop device is used.
 * Refuses (DiskImageError) a file that is not a disk, a qcow2 with a backing or data file, a
 * table without a Linux ext partition, or a filesystem `e2fsck -fn` finds damaged.
 */
export async function readDiskImage(
  file: string,
  targetDir: string,
  options: ReadDiskImageOptions = {},
): Promise<ReadDiskImage> {
  const head = await readRange(file, 0, 2 * SECTOR_BYTES);
  const isQcow2 = head.subarray(0, 4).equals(QCOW2_MAGIC);
  let work: string | undefined;
  try {
    let raw = file;
    if (isQcow2) {
      await checkQcow2(file, options.maxVirtualBytes);
      const workDir = options.workDir ?? tmpdir();
      await mkdir(workDir, { recursive: true });
      work = await mkdtemp(path.join(workDir, 'disk-read-'));
      raw = path.join(work, 'disk.raw');
      await runDiskTool('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', file, raw]);
    }
    const read = await readRawDisk(raw, file, targetDir, options.maxVirtualBytes);
    return { format: isQcow2 ? 'qcow2' : 'raw', ...read };
  } finally {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  }
}

async function readRawDisk(
  raw: string,
  shownAs: string,
  targetDir: string,
  maxVirtualBytes: number | undefined,
): Promise<Omit<ReadDiskImage, 'format'>> {
  const head = await readRange(raw, 0, 2 * SECTOR_BYTES);
  if (head.length < 2 * SECTOR_BYTES || head.readUInt16LE(MBR_SIGNATURE_OFFSET) !== 0xaa55) {
    throw new DiskImageError(shownAs, 'not a disk image: no MBR or GPT partition table');
  }
  const fileBytes = (await fileSize(raw)) ?? 0;
  if (maxVirtualBytes !== undefined && fileBytes > maxVirtualBytes) {
    throw new DiskImageError(shownAs, `disk of ${fileBytes} bytes is over ${maxVirtualBytes}`);
  }
  const table = await partitionTable(raw, shownAs);
  if (
    table.label === 'dos' &&
    head.subarray(SECTOR_BYTES, SECTOR_BYTES + 8).equals(GPT_SIGNATURE)
  ) {
    throw new DiskImageError(shownAs, 'GPT header behind an MBR that is not protective');
  }
  if (table.partitions.length === 0) throw new DiskImageError(shownAs, 'no partitions');
  for (const part of table.partitions) {
    if (part.start < SECTOR_BYTES || part.start + part.bytes > fileBytes) {
      throw new DiskImageError(shownAs, `partition ${part.number} lies outside the disk`);
    }
  }
  const candidates: Partition[] = [];
  for (const part of table.partitions) {
    if (LINUX_PARTITION_TYPES.has(part.type.toUpperCase()) && (await isExt(raw, part))) {
      candidates.push(part);
    }
  }
  if (candidates.length === 0) {
    throw new DiskImageError(shownAs, 'no Linux partition holds an ext2/3/4 filesystem');
  }
  let chosen: Partition | undefined;
  for (const part of candidates) {
    if (await hasOsRelease(raw, part)) {
      chosen = part;
      break;
    }
  }
  chosen ??= candidates.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  await checkFilesystem(raw, shownAs, chosen);
  await extract(raw, shownAs, chosen, targetDir);
  return {
    partitionTable: table.label,
    partitionNumber: chosen.number,
    partitionStart: chosen.start,
    partitionBytes: chosen.bytes,
  };
}

/** A backing or external data file would make qemu-img read host files named by the upload. */
async function checkQcow2(file: string, maxVirtualBytes: number | undefined): Promise<void> {
  let info: unknown;
  try {
    const { stdout } = await runDiskTool('qemu-img', [
      'info',
      '--output=json',
      '-f',
      'qcow2',
      file,
    ]);
    info = JSON.parse(stdout);
  } catch (error) {
    if (error instanceof DiskToolError) {
      throw new DiskImageError(file, `not a readable qcow2: ${error.stderr.trim()}`);
    }
    throw error;
  }
  if (!isRecord(info)) throw new DiskImageError(file, 'qemu-img info gave no object');
  if (info['backing-filename'] !== undefined || info['full-backing-filename'] !== undefined) {
    throw new DiskImageError(file, 'qcow2 with a backing file is refused');
  }
  const specific = info['format-specific'];
  const data = isRecord(specific) ? specific['data'] : undefined;
  if (isRecord(data) && data['data-file'] !== undefined) {
    throw new DiskImageError(file, 'qcow2 with an external data file is refused');
  }
  const virtualSize = info['virtual-size'];
  if (typeof virtualSize !== 'number') throw new DiskImageError(file, 'qcow2 has no virtual size');
  if (maxVirtualBytes !== undefined && virtualSize > maxVirtualBytes) {
    throw new DiskImageError(file, `disk of ${virtualSize} bytes is over ${maxVirtualBytes}`);
  }
}

async function partitionTable(
  raw: string,
  shownAs: string,
): Promise<{ label: 'dos' | 'gpt'; partitions: Partition[] }> {
  let parsed: unknown;
  try {
    const { stdout } = await runDiskTool('sfdisk', ['--json', raw]);
    parsed = JSON.parse(stdout);
  } catch (error) {
    if (error instanceof DiskToolError || error instanceof SyntaxError) {
      throw new DiskImageError(shownAs, `unreadable partition table: ${error.message}`);
    }
    throw error;
  }
  const table = isRecord(parsed) ? parsed['partitiontable'] : undefined;
  if (!isRecord(table)) throw new DiskImageError(shownAs, 'sfdisk found no partition table');
  const label = table['label'];
  if (label !== 'dos' && label !== 'gpt') {
    throw new DiskImageError(shownAs, `unsupported partition table ${String(label)}`);
  }
  const sectorSize = table['sectorsize'] ?? SECTOR_BYTES;
  if (sectorSize !== SECTOR_BYTES) {
    throw new DiskImageError(shownAs, `sector size ${String(sectorSize)} is not 512`);
  }
  const list = table['partitions'] ?? [];
  if (!Array.isArray(list)) throw new DiskImageError(shownAs, 'malformed partition list');
  const partitions = list.map((entry: unknown, index): Partition => {
    if (
      !isRecord(entry) ||
      !Number.isSafeInteger(entry['start']) ||
      !Number.isSafeInteger(entry['size']) ||
      typeof entry['type'] !== 'string' ||
      typeof entry['node'] !== 'string'
    ) {
      throw new DiskImageError(shownAs, `malformed partition entry ${index + 1}`);
    }
    const number = Number(/(\d+)$/.exec(entry['node'])?.[1] ?? index + 1);
    return {
      number,
      start: (entry['start'] as number) * SECTOR_BYTES,
      bytes: (entry['size'] as number) * SECTOR_BYTES,
      type: entry['type'],
    };
  });
  return { label, partitions };
}

/** The ext superblock magic, and a filesystem no larger than its partition. */
async function isExt(raw: string, part: Partition): Promise<boolean> {
  if (part.bytes < 2 * EXT_SUPERBLOCK_BYTES) return false;
  const superblock = await readRange(raw, part.start + EXT_SUPERBLOCK_OFFSET, EXT_SUPERBLOCK_BYTES);
  if (superblock.length < EXT_SUPERBLOCK_BYTES) return false;
  if (superblock.readUInt16LE(0x38) !== EXT_MAGIC) return false;
  const logBlockSize = superblock.readUInt32LE(24);
  if (logBlockSize > 6) return false;
  const incompat = superblock.readUInt32LE(0x60);
  const blocksLo = superblock.readUInt32LE(4);
  const blocksHi = (incompat & 0x80) !== 0 ? superblock.readUInt32LE(0x150) : 0;
  const fsBytes = (blocksHi * 2 ** 32 + blocksLo) * 1024 * 2 ** logBlockSize;
  return fsBytes <= part.bytes;
}

async function hasOsRelease(raw: string, part: Partition): Promise<boolean> {
  const { stderr } = await runDiskTool('debugfs', [
    '-R',
    'stat /etc/os-release',
    atOffset(raw, part.start),
  ]).catch(() => ({ stderr: 'error' }));
  return !/not found|error|bad magic|corrupt/i.test(debugfsComplaints(stderr));
}

async function checkFilesystem(raw: string, shownAs: string, part: Partition): Promise<void> {
  try {
    await runDiskTool('e2fsck', ['-fn', atOffset(raw, part.start)]);
  } catch (error) {
    if (error instanceof DiskToolError) {
      const found = error.stderr.trim().split('\n').slice(-3).join(' ');
      throw new DiskImageError(
        shownAs,
        `the filesystem of partition ${part.number} is damaged (e2fsck -fn): ${found}`,
      );
    }
    throw error;
  }
}

async function extract(
  raw: string,
  shownAs: string,
  part: Partition,
  targetDir: string,
): Promise<void> {
  // debugfs parses its command line itself: the path goes in double quotes, so none inside.
  if (/["\n\r]/.test(targetDir)) throw new Error(`unusable target directory: ${targetDir}`);
  await mkdir(targetDir, { recursive: true });
  if ((await readdir(targetDir)).length > 0) {
    throw new Error(`${targetDir} must be empty to extract a disk into it`);
  }
  const { stderr } = await runDiskTool('debugfs', [
    '-R',
    `rdump / "${targetDir}"`,
    atOffset(raw, part.start),
  ]);
  // debugfs exits 0 even when a command fails; what it says besides its banner is an error.
  const complaints = debugfsComplaints(stderr);
  if (complaints !== '') {
    throw new DiskImageError(shownAs, `extracting partition ${part.number}: ${complaints}`);
  }
  // mkfs.ext4 makes lost+found; it is the filesystem's, not one of the image's files.
  await rmdir(path.join(targetDir, 'lost+found')).catch(() => undefined);
}

function debugfsComplaints(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^debugfs \d/.test(line))
    .join(' ');
}

async function readRange(file: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function fileSize(file: string): Promise<number | undefined> {
  const handle = await open(file, 'r');
  try {
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
