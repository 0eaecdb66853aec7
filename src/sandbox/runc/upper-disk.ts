import { statfs, truncate, writeFile } from 'node:fs/promises';
import { runHostTool } from './host-tool.js';

/** ext4 needs room for its own metadata; below this a limit would leave nothing to install. */
export const MIN_DISK_LIMIT_BYTES = 16 * 1024 * 1024;
/** Free space below which the upper filesystem counts as full (ext4 keeps a few blocks back). */
const FULL_BELOW_BYTES = 1024 * 1024;

/**
 * Makes the size-limited filesystem that holds a session's upper and work directories: a sparse
 * file formatted ext4 and loop-mounted (about 45 ms here; a tmpfs costs 5 ms but would hold the
 * whole install in RAM, charged to the container's memory limit). No journal, no reserved blocks:
 * the filesystem lives as long as one build.
 */
export async function mountUpperDisk(
  imageFile: string,
  mountDir: string,
  sizeBytes: number,
): Promise<void> {
  await writeFile(imageFile, '', { flag: 'wx' });
  await truncate(imageFile, sizeBytes);
  await runHostTool('mkfs.ext4', [
    '-q',
    '-F',
    '-m',
    '0',
    '-O',
    '^has_journal',
    '-E',
    'nodiscard,lazy_itable_init=1',
    imageFile,
  ]);
  // util-linux sets autoclear on the loop device: the last unmount detaches it.
  await runHostTool('mount', ['-o', 'loop,noatime', imageFile, mountDir]);
}

/** Detaches loop devices still backed by `imageFile` (a mount lazily unmounted, a dead owner). */
export async function detachLoopDevices(imageFile: string): Promise<void> {
  const { stdout } = await runHostTool('losetup', ['--associated', imageFile]).catch(() => ({
    stdout: '',
  }));
  for (const line of stdout.split('\n')) {
    const device = /^(\/dev\/loop\d+):/.exec(line)?.[1];
    if (device !== undefined) await runHostTool('losetup', ['--detach', device]).catch(() => {});
  }
}

/** True when the filesystem holding `dir` has (almost) no free blocks or inodes left. */
export async function diskIsFull(dir: string): Promise<boolean> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize < FULL_BELOW_BYTES || stats.ffree === 0;
}
