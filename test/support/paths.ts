import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The base image cache every test shares, so a test run builds each Debian
 * base at most once (GOLDSMITH_TEST_CACHE overrides it).
 */
export const testBaseCacheDir =
  process.env['GOLDSMITH_TEST_CACHE'] ?? path.join(repoRoot, '.cache', 'test-bases');

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `goldsmith-${prefix}-`));
}
