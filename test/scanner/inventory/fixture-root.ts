import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { repoRoot, tempDir } from '../../support/paths.js';

/** The inventory fixtures' directory. */
export const FIXTURES = path.join(repoRoot, 'test/fixtures/inventory');

/**
 * Writes a root filesystem from a txtar-style text file (as trivy's testdata): text before the
 * first `-- path --` line is a comment, then each file's contents follow its marker line.
 */
export function writeTxtarRoot(fixture: string, root = tempDir('inventory-root')): string {
  const text = readFileSync(path.join(FIXTURES, fixture), 'utf8');
  let current: { file: string; lines: string[] } | undefined;
  const flush = (): void => {
    if (current === undefined) return;
    const target = path.join(root, current.file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, current.lines.join('\n'));
  };
  for (const line of text.split('\n')) {
    const marker = /^-- (.+) --$/.exec(line);
    if (marker !== null) {
      flush();
      current = { file: marker[1] ?? '', lines: [] };
    } else {
      current?.lines.push(line);
    }
  }
  flush();
  return root;
}

/**
 * Turns every directory named `*.jar`, `*.war` or `*.ear` under `dir` into a zip archive of its
 * contents, innermost first, so nested jars are built from text fixtures too.
 */
export function zipArchiveDirs(dir: string): void {
  for (const name of readdirSync(dir)) {
    const child = path.join(dir, name);
    if (!statSync(child).isDirectory()) continue;
    zipArchiveDirs(child);
    if (!/\.(?:jar|war|ear)$/.test(name)) continue;
    const archive = `${child}.zip-tmp`;
    // -X: no extra attributes; -D: no directory entries, as `jar` leaves some out too.
    execFileSync('zip', ['-q', '-r', '-X', '-D', archive, '.'], { cwd: child });
    rmSync(child, { recursive: true });
    renameSync(archive, child);
  }
}
