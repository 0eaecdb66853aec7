import { execFile } from 'node:child_process';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

import type { LayerChangeSet } from '../../image/oci-layer-extractor.js';

/**
 * What one layer changed, relative to the image root: files it adds or replaces, paths it
 * deletes, directories whose lower contents it hides (`''` is the root). Layer extraction
 * produces it for image layers; overlayUpperChanges for a build's overlay.
 */
export type LayerChanges = LayerChangeSet;

/** True when `relPath` is `dir` or lies under it; `a.war!/x` counts as under `a.war`. */
export function isUnder(relPath: string, dir: string): boolean {
  if (dir === '') return true;
  return relPath === dir || relPath.startsWith(`${dir}/`) || relPath.startsWith(`${dir}!`);
}

/** Whether a layer removes or hides what lower layers had at `relPath`. */
export function hidesLower(changes: LayerChanges, relPath: string): boolean {
  return (
    changes.deleted.some((d) => isUnder(relPath, d)) ||
    changes.opaqueDirs.some((d) => relPath !== d && isUnder(relPath, d))
  );
}

/**
 * What an overlayfs upper directory changed: every non-directory entry in it, its whiteouts
 * (0/0 character devices) and its opaque directories (`trusted.overlay.opaque=y`).
 */
export async function overlayUpperChanges(upperDir: string): Promise<LayerChanges> {
  const paths: { relPath: string; size: number; mode: number }[] = [];
  const deleted: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const relPath = path.relative(upperDir, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        await walk(full);
        continue;
      }
      const info = await lstat(full);
      if (entry.isCharacterDevice() && info.rdev === 0) deleted.push(relPath);
      else paths.push({ relPath, size: info.size, mode: info.mode });
    }
  };
  await walk(upperDir);
  return { paths, deleted, opaqueDirs: await opaqueDirectories(upperDir) };
}

/** Directories of an upper dir that carry overlayfs's opaque mark. */
function opaqueDirectories(upperDir: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // getfattr exits non-zero when some files lack the attribute; what it prints is what counts.
    execFile(
      'getfattr',
      ['-R', '--absolute-names', '-n', 'trusted.overlay.opaque', upperDir],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        if (error !== null && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(error);
          return;
        }
        const dirs: string[] = [];
        let file: string | undefined;
        for (const line of stdout.split('\n')) {
          if (line.startsWith('# file: ')) file = line.slice('# file: '.length);
          else if (line === 'trusted.overlay.opaque="y"' && file !== undefined) {
            dirs.push(path.relative(upperDir, file).split(path.sep).join('/'));
          }
        }
        resolve(dirs);
      },
    );
  });
}
