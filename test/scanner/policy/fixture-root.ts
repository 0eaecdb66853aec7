import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, tempDir } from '../../support/paths.js';

const FIXTURES = path.join(repoRoot, 'test/fixtures/policy');
const made: string[] = [];

/** A fresh temporary directory that removeTempRoots deletes. */
export function tempRoot(prefix: string): string {
  const dir = tempDir(prefix);
  made.push(dir);
  return dir;
}

/** Deletes every directory tempRoot and fixtureRoot made (call from afterAll). */
export function removeTempRoots(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Builds an image root in a temporary directory from a txtar fixture (as Trivy's testdata):
 * free text, then `-- relative/path --` headers each followed by that file's content.
 * `extra` adds files the test makes itself (generated keys, the EICAR string).
 */
export function fixtureRoot(name: string, extra: Record<string, string | Buffer> = {}): string {
  const root = tempRoot('policy');
  const files = { ...parseTxtar(readFileSync(path.join(FIXTURES, `${name}.txtar`), 'utf8')) };
  for (const [relPath, content] of Object.entries({ ...files, ...extra })) {
    writeRootFile(root, relPath, content);
  }
  return root;
}

/** Writes one file into a fixture root, creating its directories. */
export function writeRootFile(root: string, relPath: string, content: string | Buffer): void {
  const file = path.join(root, relPath);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

function parseTxtar(text: string): Record<string, string> {
  const files: Record<string, string> = {};
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const header = /^-- (.+) --$/.exec(line);
    if (header !== null) {
      current = header[1] ?? '';
      files[current] = '';
    } else if (current !== undefined) {
      files[current] += `${line}\n`;
    }
  }
  // The last file's content ends with the text's final newline, not an extra one.
  if (current !== undefined) files[current] = (files[current] ?? '').replace(/\n$/, '');
  return files;
}
