import { lstatSync, readdirSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { FileInfo } from './analyzer.js';
import type { InventoryWarning } from './inventory-types.js';

/** Kernel filesystems mounted at run time: never part of an image, possibly huge or endless. */
export const VIRTUAL_DIRS: readonly string[] = ['proc', 'sys', 'dev'];

/** Counts of what one walk saw. */
export interface WalkStats {
  readonly directories: number;
  readonly files: number;
}

/**
 * Visits every regular file under `root` once, in sorted order, without following symlinks
 * (a symlink is neither a file nor a directory here). Top-level `skipDirs` are not entered.
 * An unreadable directory is a warning; other errors fail the walk.
 *
 * Directories are read with synchronous calls, yielding to the event loop every 64 of them:
 * the thread pool's round trips made an asynchronous walk several times slower.
 */
export async function walkRoot(
  root: string,
  visit: (relPath: string, info: FileInfo) => void,
  warnings: InventoryWarning[],
  skipDirs: readonly string[] = VIRTUAL_DIRS,
): Promise<WalkStats> {
  let directories = 0;
  let files = 0;
  const pending: string[] = [''];
  while (pending.length > 0) {
    const dir = pending.pop() ?? '';
    if (directories % 64 === 63) await yieldToEventLoop();
    let entries: Dirent[];
    try {
      entries = readdirSync(path.join(root, dir), { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      if (code !== 'EACCES' && code !== 'EPERM') throw error;
      warnings.push({ file: dir, line: 0, message: `directory not readable: ${code}` });
      continue;
    }
    directories += 1;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    const regular: string[] = [];
    for (const entry of entries) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!(dir === '' && skipDirs.includes(entry.name))) subdirs.push(rel);
      } else if (entry.isFile()) {
        regular.push(rel);
      }
    }
    // lstat, not stat: a file swapped for a symlink since readdir is skipped, never followed.
    for (const rel of regular) {
      let stat: Stats | undefined;
      try {
        stat = lstatSync(path.join(root, rel));
      } catch {
        continue; // removed since readdir
      }
      if (!stat.isFile()) continue;
      files += 1;
      visit(rel, { size: stat.size, mode: stat.mode });
    }
    // Reversed onto the stack, so directories are entered in sorted order.
    pending.push(...subdirs.reverse());
  }
  return { directories, files };
}
