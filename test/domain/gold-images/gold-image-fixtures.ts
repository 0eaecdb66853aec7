import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { tempDir } from '../../support/paths.js';

/** os-release of Debian 12, as bookworm ships it. */
export const DEBIAN_12_OS_RELEASE = [
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
  'NAME="Debian GNU/Linux"',
  'VERSION_ID="12"',
  'VERSION="12 (bookworm)"',
  'VERSION_CODENAME=bookworm',
  'ID=debian',
  '',
].join('\n');

/** The regular files of the fixture root and their contents. */
export const ROOT_FILES: Readonly<Record<string, string>> = {
  'usr/lib/os-release': DEBIAN_12_OS_RELEASE,
  'etc/hostname': 'gold\n',
  'usr/bin/tool': '#!/bin/sh\necho tool\n',
  'opt/app/data.txt': 'data',
};

/**
 * A small root filesystem directory: Debian 12's os-release (reached through the
 * `etc/os-release` symlink, as on Debian; null leaves it out), some files, and symlinks inside it.
 */
export function writeRootDir(osRelease: string | null = DEBIAN_12_OS_RELEASE): string {
  const root = path.join(tempDir('gold-root'), 'root');
  for (const [relPath, content] of Object.entries(ROOT_FILES)) {
    if (relPath === 'usr/lib/os-release' && osRelease === null) continue;
    mkdirSync(path.dirname(path.join(root, relPath)), { recursive: true });
    writeFileSync(
      path.join(root, relPath),
      relPath === 'usr/lib/os-release' ? (osRelease ?? '') : content,
      { mode: relPath.startsWith('usr/bin/') ? 0o755 : 0o644 },
    );
  }
  symlinkSync('../usr/lib/os-release', path.join(root, 'etc/os-release'));
  symlinkSync('tool', path.join(root, 'usr/bin/tool-link'));
  return root;
}

/** Tars `root` into `file` with GNU tar; `compress` is tar's option (`--zstd`, `--xz`, `-z`). */
export function tarRoot(root: string, file: string, compress?: string): string {
  execFileSync('tar', [
    ...(compress === undefined ? [] : [compress]),
    '-C',
    root,
    '-cf',
    file,
    '.',
  ]);
  return file;
}
