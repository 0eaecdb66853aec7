import { spawn } from 'node:child_process';
import { mkdir, open, readdir, rename, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { OsVersion } from '../domain/catalog/os-catalog.js';
import type { DebianMirrors } from './apt-sources.js';
import {
  debianRecipe,
  mmdebstrapArgs,
  mmdebstrapEnv,
  recipeKey,
  recipeRecord,
} from './debian-recipe.js';
import type { DebianRecipe } from './debian-recipe.js';
import { MmdebstrapError, runMmdebstrap } from './mmdebstrap-runner.js';
import { readTextIfExists } from '../util/read-text-if-exists.js';

/** How to obtain a base root. */
export interface DebianRootObtainOptions {
  readonly mirrors: DebianMirrors;
  /** Build a new root even when one exists (one made after this call started is reused). */
  readonly refresh: boolean;
  /** Each line of mmdebstrap's output while a root is built. */
  readonly onProgress: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** A completed base root in the cache. */
export interface DebianRoot {
  /** The root filesystem directory; treat it as read-only (an overlay lower). */
  readonly rootDir: string;
  readonly recipeKey: string;
  readonly recipe: Record<string, unknown>;
  readonly createdAt: string;
  /** True when an existing root was returned, false when this call built it. */
  readonly reused: boolean;
}

/** The completion marker of a root, written last. */
interface RootMeta {
  readonly osVersion: string;
  readonly recipeKey: string;
  readonly recipe: Record<string, unknown>;
  readonly createdAt: string;
  readonly buildMs: number;
}

const META_FILE = 'meta.json';
const ROOTFS_DIR = 'rootfs';
const BUILDING_PREFIX = '.building-';
const LOCK_FILE = '.lock';

/**
 * Debian base roots bootstrapped with mmdebstrap, cached on the host by recipe:
 * `<cacheDir>/<os id>/<recipe key>/<created at>/{rootfs,meta.json}`. Safe to share between
 * processes: one builds under a flock(2) lock, the others wait and reuse its root.
 */
export class DebianRootCache {
  readonly cacheDir: string;
  private readonly mmdebstrapPath: string | undefined;

  constructor(cacheDir: string, options: { readonly mmdebstrapPath?: string } = {}) {
    this.cacheDir = path.resolve(cacheDir);
    this.mmdebstrapPath = options.mmdebstrapPath;
  }

  /** The newest completed root of the OS version's recipe, built first when there is none. */
  async obtain(os: OsVersion, options: DebianRootObtainOptions): Promise<DebianRoot> {
    const recipe = debianRecipe(os, options.mirrors);
    const key = recipeKey(recipe);
    const keyDir = path.join(this.cacheDir, os.id, key);
    const calledAt = Date.now();
    if (!options.refresh) {
      // A completed root never changes, so reading it needs no lock.
      const existing = await newestCompleteRoot(keyDir);
      if (existing !== undefined) return { ...existing, reused: true };
    }
    await mkdir(keyDir, { recursive: true });
    const lock = await lockExclusive(path.join(keyDir, LOCK_FILE), options.signal);
    try {
      const existing = await newestCompleteRoot(keyDir);
      if (
        existing !== undefined &&
        (!options.refresh || Date.parse(existing.createdAt) >= calledAt)
      ) {
        return { ...existing, reused: true };
      }
      await removeLeftovers(keyDir);
      return await this.build(os, recipe, key, keyDir, lock, options);
    } finally {
      await lock.close();
    }
  }

  private async build(
    os: OsVersion,
    recipe: DebianRecipe,
    key: string,
    keyDir: string,
    lock: FileHandle,
    options: DebianRootObtainOptions,
  ): Promise<DebianRoot> {
    const startedAt = Date.now();
    const workDir = path.join(keyDir, `${BUILDING_PREFIX}${process.pid}-${startedAt}`);
    await mkdir(workDir);
    try {
      await runMmdebstrap({
        args: mmdebstrapArgs(recipe, path.join(workDir, ROOTFS_DIR)),
        env: mmdebstrapEnv(recipe),
        onLine: options.onProgress,
        // mmdebstrap keeps the lock even if this process dies, so nobody removes its work dir.
        inheritFd: lock.fd,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(this.mmdebstrapPath === undefined ? {} : { mmdebstrapPath: this.mmdebstrapPath }),
      });
    } catch (error) {
      await removeTree(workDir);
      if (error instanceof MmdebstrapError) {
        const archive = recipe.sources[0]?.uri ?? '';
        throw new MmdebstrapError(
          `Bootstrapping ${os.id} (${recipe.suite}) from ${archive} failed: ${error.message}`,
          error.exitCode,
          error.outputTail,
        );
      }
      throw error;
    }
    const createdAt = new Date().toISOString();
    // Colons would break overlay's lowerdir list; the name also sorts by time.
    const finalDir = path.join(keyDir, createdAt.replace(/:/g, '-'));
    await rename(workDir, finalDir);
    const meta: RootMeta = {
      osVersion: os.id,
      recipeKey: key,
      recipe: recipeRecord(recipe),
      createdAt,
      buildMs: Date.now() - startedAt,
    };
    // Written last and renamed into place: a root without it was interrupted.
    const metaPath = path.join(finalDir, META_FILE);
    await writeFile(`${metaPath}.tmp`, `${JSON.stringify(meta, null, 2)}\n`);
    await rename(`${metaPath}.tmp`, metaPath);
    return {
      rootDir: path.join(finalDir, ROOTFS_DIR),
      recipeKey: key,
      recipe: meta.recipe,
      createdAt,
      reused: false,
    };
  }
}

async function newestCompleteRoot(keyDir: string): Promise<Omit<DebianRoot, 'reused'> | undefined> {
  let newest: RootMeta | undefined;
  let newestDir = '';
  for (const name of await listDir(keyDir)) {
    if (name.startsWith('.')) continue;
    const meta = await readMeta(path.join(keyDir, name, META_FILE));
    if (meta !== undefined && (newest === undefined || meta.createdAt > newest.createdAt)) {
      newest = meta;
      newestDir = path.join(keyDir, name);
    }
  }
  if (newest === undefined) return undefined;
  return {
    rootDir: path.join(newestDir, ROOTFS_DIR),
    recipeKey: newest.recipeKey,
    recipe: newest.recipe,
    createdAt: newest.createdAt,
  };
}

async function readMeta(file: string): Promise<RootMeta | undefined> {
  const text = await readTextIfExists(file);
  if (text === undefined) return undefined;
  const value: unknown = JSON.parse(text);
  if (
    typeof value !== 'object' ||
    value === null ||
    !('createdAt' in value) ||
    typeof value.createdAt !== 'string' ||
    !('recipeKey' in value) ||
    typeof value.recipeKey !== 'string' ||
    !('recipe' in value) ||
    typeof value.recipe !== 'object' ||
    value.recipe === null
  ) {
    throw new Error(`Malformed base root marker ${file}`);
  }
  return value as RootMeta;
}

/** Removes what interrupted builds left: work dirs and roots without a completion marker. */
async function removeLeftovers(keyDir: string): Promise<void> {
  for (const name of await listDir(keyDir)) {
    if (name === LOCK_FILE) continue;
    const dir = path.join(keyDir, name);
    const complete = !name.startsWith('.') && (await readMeta(path.join(dir, META_FILE)));
    if (!complete) await removeTree(dir);
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * `rm --one-file-system` never descends into a mount point, so a stray /proc or /dev mount in a
 * half-made root cannot take host files with it.
 */
async function removeTree(dir: string): Promise<void> {
  await runTool('rm', ['-rf', '--one-file-system', '--', dir]);
}

/**
 * Takes an exclusive flock(2) lock on `lockPath`, held by the returned handle (and every process
 * that inherits it) until closed. The `flock` tool waits in a child so the event loop stays free.
 */
async function lockExclusive(
  lockPath: string,
  signal: AbortSignal | undefined,
): Promise<FileHandle> {
  const handle = await open(lockPath, 'a');
  try {
    // The lock belongs to the open file description, which the child shares with our handle.
    await runTool('flock', ['--exclusive', '3'], handle.fd, signal);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function runTool(
  command: string,
  args: readonly string[],
  fd3?: number,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const child = spawn(command, args, {
    stdio: ['ignore', 'ignore', 'pipe', fd3 ?? 'ignore'],
  });
  let stderr = '';
  // Typed as nullable because of the fourth stdio entry; it is a pipe.
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const onAbort = (): void => {
    child.kill('SIGKILL');
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    signal?.throwIfAborted();
    if (code !== 0) {
      throw new Error(`${command} ${args.join(' ')} failed with status ${code}: ${stderr.trim()}`);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
