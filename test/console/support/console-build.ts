import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

import { repoRoot } from '../../support/paths.js';

/** Where `npm run build:web` writes the console; the server's default console folder. */
export const consoleDistDir = path.join(repoRoot, 'dist', 'console');

const webDir = path.join(repoRoot, 'web');
const lockDir = path.join(repoRoot, '.cache', 'console-build.lock');
// A lock older than this was left by a killed test run.
const STALE_LOCK_MS = 10 * 60 * 1000;

/**
 * Builds the console once when dist/console is missing or older than web/ or
 * the lockfile, so `npm test` works from a clean clone. Test files run in
 * parallel processes; a lock directory lets exactly one of them build.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  if (await isFresh()) return;
  await mkdir(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const lock = await stat(lockDir).catch(() => undefined);
      if (lock !== undefined && Date.now() - lock.mtimeMs > STALE_LOCK_MS) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (await isFresh()) return;
    }
  }
  try {
    if (await isFresh()) return;
    await promisify(execFile)('npm', ['run', '-s', 'build:web'], {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
    });
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function isFresh(): Promise<boolean> {
  const built = await stat(path.join(consoleDistDir, 'index.html')).catch(() => undefined);
  if (built === undefined) return false;
  const sources = Math.max(
    await newestMtime(webDir),
    (await stat(path.join(repoRoot, 'package-lock.json'))).mtimeMs,
  );
  return built.mtimeMs >= sources;
}

async function newestMtime(dir: string): Promise<number> {
  let newest = (await stat(dir)).mtimeMs;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? await newestMtime(full) : (await stat(full)).mtimeMs,
    );
  }
  return newest;
}
