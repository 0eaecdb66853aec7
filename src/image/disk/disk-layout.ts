/** Sizes and constants of the disks Goldsmith writes and reads. */

export const MIB = 1024 * 1024;
export const SECTOR_BYTES = 512;
/** The root partition starts at 1 MiB, the alignment fdisk and parted use since 2010. */
export const PARTITION_START_BYTES = MIB;
export const ROOT_LABEL = 'goldsmith-root';
/** ext4 block size: 4 KiB whatever the size, so small images are not made of 1 KiB blocks. */
export const EXT4_BLOCK_BYTES = 4096;
/** The MBR boot signature (at 510) and the GPT header signature (at LBA 1). */
export const MBR_SIGNATURE_OFFSET = 510;
export const GPT_SIGNATURE = Buffer.from('EFI PART', 'latin1');
/** qcow2 header magic, `QFI\xfb` (qemu docs/interop/qcow2.txt). */
export const QCOW2_MAGIC = Buffer.from([0x51, 0x46, 0x49, 0xfb]);
/** MBR partition type 83 and the GPT "Linux filesystem" type GUID. */
export const LINUX_PARTITION_TYPES: ReadonlySet<string> = new Set([
  '83',
  '0FC63DAF-8483-4772-8E79-3D69D8477DE4',
]);

/** The disk formats Goldsmith exports. */
export type DiskFormat = 'raw' | 'qcow2';

/** Rounds up to a whole MiB. */
export function roundUpToMib(bytes: number): number {
  return Math.ceil(bytes / MIB) * MIB;
}
