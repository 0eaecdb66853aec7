import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { repoRoot } from './paths.js';

/** ../shared/vulndata beside the repository, as the project's sessions and CI lay it out. */
export const VULNDATA_DIR = path.join(repoRoot, '..', 'shared', 'vulndata');

/** osv.dev's Debian export of 2025-02-12 (DSA, DLA, DTSA and CVE records). */
export const OSV_DEBIAN_EXPORT = path.join(VULNDATA_DIR, 'osv-debian-2025-02-12.jsonl.xz');

/** The JSON lines of a shared vulndata file whose records name any of these packages. */
export function osvLinesNaming(file: string, names: readonly string[]): string[] {
  const text = execFileSync('xz', ['-dc', file], { maxBuffer: 1024 * 1024 * 1024 }).toString(
    'utf8',
  );
  const wanted = names.map((n) => `"name":"${n}"`);
  return text.split('\n').filter((line) => wanted.some((w) => line.includes(w)));
}
