import { open } from 'node:fs/promises';

/** A disk image format, told by its magic bytes. */
export type DiskImageFormat = 'qcow2' | 'gpt' | 'mbr';

/** gzip, zstd and xz magic: compressed archives, whose bytes 510-511 are arbitrary. */
const COMPRESSED = [
  Buffer.from([0x1f, 0x8b]),
  Buffer.from([0x28, 0xb5, 0x2f, 0xfd]),
  Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]),
];

/**
 * The disk image format of `file`, or undefined when it is none: qcow2 starts with `QFI\xfb`,
 * a GPT disk has `EFI PART` at LBA 1 (offset 512), an MBR disk 0x55 0xAA at offset 510.
 */
export async function detectDiskImage(file: string): Promise<DiskImageFormat | undefined> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(520);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead >= 4 && head.subarray(0, 4).equals(Buffer.from([0x51, 0x46, 0x49, 0xfb]))) {
      return 'qcow2';
    }
    if (bytesRead >= 520 && head.subarray(512, 520).toString('latin1') === 'EFI PART') return 'gpt';
    if (COMPRESSED.some((magic) => head.subarray(0, magic.length).equals(magic))) return undefined;
    // A ustar header never ends its first block with 0x55AA: those bytes lie in its zero padding.
    if (bytesRead >= 512 && head[510] === 0x55 && head[511] === 0xaa && hasPartition(head)) {
      return 'mbr';
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/** Whether one of the four MBR partition entries (16 bytes each from offset 446) has a type. */
function hasPartition(sector: Buffer): boolean {
  return [0, 1, 2, 3].some((i) => sector[446 + i * 16 + 4] !== 0);
}
