import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runHostTool } from './host-tool.js';

/** The directories of one overlay mount. */
export interface OverlayDirs {
  /** Read-only lower roots, uppermost first. */
  readonly lowerDirs: readonly string[];
  readonly upperDir: string;
  readonly workDir: string;
  readonly mergedDir: string;
}

/**
 * The overlay mount options. redirect_dir and metacopy stay off whatever the kernel's default, so
 * the upper directory alone holds every change (a renamed directory is copied, a chmod copies the
 * data): it must be a complete OCI layer.
 */
export function overlayOptions(dirs: OverlayDirs): string {
  for (const dir of [...dirs.lowerDirs, dirs.upperDir, dirs.workDir]) {
    // overlay(5 in the kernel docs): `:` separates lower dirs, `,` options; escaping is fragile.
    if (!path.isAbsolute(dir) || /[:,\\\s]/.test(dir)) {
      throw new Error(
        `Overlay directories must be absolute without ':', ',', '\\' or spaces: ${dir}`,
      );
    }
  }
  return [
    `lowerdir=${dirs.lowerDirs.join(':')}`,
    `upperdir=${dirs.upperDir}`,
    `workdir=${dirs.workDir}`,
    'redirect_dir=off',
    'metacopy=off',
  ].join(',');
}

/** Mounts an overlay on `mergedDir`. */
export async function mountOverlay(dirs: OverlayDirs): Promise<void> {
  await runHostTool('mount', [
    '-t',
    'overlay',
    'overlay',
    '-o',
    overlayOptions(dirs),
    dirs.mergedDir,
  ]);
}

/** Mount points at or below `dir` in this process's mount namespace, deepest first. */
export async function mountPointsUnder(dir: string): Promise<string[]> {
  const base = path.resolve(dir);
  const mountInfo = await readFile('/proc/self/mountinfo', 'utf8');
  const points = mountInfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((field): field is string => field !== undefined)
    // proc(5): spaces, tabs, newlines and backslashes in the mount point are octal escapes.
    .map((field) =>
      field.replace(/\\([0-7]{3})/g, (_m, octal: string) =>
        String.fromCharCode(parseInt(octal, 8)),
      ),
    )
    .filter((point) => point === base || point.startsWith(`${base}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Unmounts everything at or below `dir`, lazily where a plain unmount is refused (busy). */
export async function unmountAllUnder(dir: string): Promise<void> {
  for (const point of await mountPointsUnder(dir)) {
    try {
      await runHostTool('umount', [point]);
    } catch {
      await runHostTool('umount', ['--lazy', point]);
    }
  }
  const left = await mountPointsUnder(dir);
  if (left.length > 0) throw new Error(`Still mounted after unmounting: ${left.join(', ')}`);
}

/**
 * Removes a directory tree without ever crossing into a mount point, so a mount that outlived its
 * session cannot take host files with it.
 */
export async function removeTreeOnOneFileSystem(dir: string): Promise<void> {
  await runHostTool('rm', ['-rf', '--one-file-system', '--', dir]);
}
