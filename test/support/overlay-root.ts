import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { tempDir } from './paths.js';

/** Writes a file under a root, making its directories. */
export function writeRootFile(root: string, relPath: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, relPath)), { recursive: true });
  writeFileSync(path.join(root, relPath), text);
}

/** A real overlay mount: an empty base, its upper directory and the merged view. */
export interface OverlayRoot {
  readonly base: string;
  readonly upper: string;
  readonly merged: string;
  unmount(): void;
}

/**
 * Mounts an overlay over a fresh base that `fillBase` writes first; the merged view is then
 * edited as an installer would edit it, and the upper directory holds what changed.
 */
export function mountOverlayRoot(fillBase: (base: string) => void): OverlayRoot {
  const dir = tempDir('overlay-root');
  const [base, upper, work, merged] = ['base', 'upper', 'work', 'merged'].map((d) =>
    path.join(dir, d),
  ) as [string, string, string, string];
  for (const d of [base, upper, work, merged]) mkdirSync(d, { recursive: true });
  fillBase(base);
  execFileSync('mount', [
    '-t',
    'overlay',
    'overlay',
    '-o',
    `lowerdir=${base},upperdir=${upper},workdir=${work}`,
    merged,
  ]);
  return { base, upper, merged, unmount: () => execFileSync('umount', [merged]) };
}
