import { constants as fsConstants } from 'node:fs';
import type { Dirent } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { resolveInRoot } from '../inventory/root-fs.js';

/** A regular file found under an image root. */
export interface RootFile {
  /** Relative to the root, no leading `/`. */
  readonly relPath: string;
  /** Host path with no symlink in it (see listRootFiles). */
  readonly hostPath: string;
}

/** Pseudo filesystems: empty in an image, huge on a live root; never walked. */
export const PSEUDO_FILESYSTEMS: readonly string[] = ['proc', 'sys', 'dev'];

/** How many files are read at once: enough to keep libuv's thread pool busy. */
const READ_CONCURRENCY = 16;

/**
 * Every regular file under `start` (relative to `root`), sorted. The start is resolved with
 * resolveInRoot; below it symlinks are never followed, so every host path returned is free
 * of symlinks and inside the root, and a file is listed once. `skip` prunes paths; `only`
 * (PolicyContext.onlyFiles) limits the walk to those files and the directories above them.
 */
export async function listRootFiles(
  root: string,
  start: string,
  skip: (relPath: string) => boolean,
  only?: ReadonlySet<string>,
): Promise<RootFile[]> {
  if (only !== undefined) {
    const dirs = directoriesAbove(only);
    const inner = skip;
    skip = (relPath) => inner(relPath) || (!only.has(relPath) && !dirs.has(relPath));
  }
  const startDir = await resolveInRoot(root, start);
  if (startDir === undefined) return [];
  const base = path.relative(root, startDir).split(path.sep).filter(Boolean).join('/');
  const files: RootFile[] = [];
  const pending = [base];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(root, dir), { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw error;
    }
    for (const entry of entries) {
      const relPath = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (skip(relPath)) continue;
      if (entry.isDirectory()) pending.push(relPath);
      else if (entry.isFile()) files.push({ relPath, hostPath: path.join(root, relPath) });
    }
  }
  return files.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
}

const directoriesOf = new WeakMap<ReadonlySet<string>, Set<string>>();

/** Every directory that holds one of `files`, at any depth; computed once per set. */
function directoriesAbove(files: ReadonlySet<string>): Set<string> {
  let dirs = directoriesOf.get(files);
  if (dirs === undefined) {
    dirs = new Set<string>();
    for (const file of files) {
      for (let slash = file.indexOf('/'); slash > 0; slash = file.indexOf('/', slash + 1)) {
        dirs.add(file.slice(0, slash));
      }
    }
    directoriesOf.set(files, dirs);
  }
  return dirs;
}

/**
 * Reads the first `maxBytes` of a file listed by listRootFiles (nothing of a larger file
 * when `skipLarger`), with its full size. O_NOFOLLOW keeps the guarantee of
 * readTextInRoot: the path had no symlinks and must not gain one. Undefined when the file
 * vanished or is no longer a regular file.
 */
export async function readRootFile(
  file: RootFile,
  maxBytes: number,
  skipLarger = false,
): Promise<{ readonly size: number; readonly head: Buffer } | undefined> {
  const handle = await open(file.hostPath, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW).catch(
    (error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP') return undefined;
      throw error;
    },
  );
  if (handle === undefined) return undefined;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return undefined;
    if (skipLarger && stats.size > maxBytes) return { size: stats.size, head: Buffer.alloc(0) };
    const buffer = Buffer.alloc(Math.min(maxBytes, stats.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { size: stats.size, head: buffer.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}

/** Runs `visit` over `files`, a few at a time, and returns the results in the files' order. */
export async function mapRootFiles<T>(
  files: readonly RootFile[],
  visit: (file: RootFile) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(files.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < files.length; index = next++) {
      results[index] = await visit(files[index] as RootFile);
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  return results;
}

/** At most this many stars replace a secret's middle, so an excerpt stays short. */
const MAX_MASK = 12;

/** Masks a secret for a report: its first and last few characters, stars between. */
export function maskSecret(secret: string): string {
  const keep = secret.length >= 16 ? 4 : secret.length >= 8 ? 2 : 0;
  const stars = '*'.repeat(Math.min(MAX_MASK, secret.length - 2 * keep));
  return keep === 0 ? stars : `${secret.slice(0, keep)}${stars}${secret.slice(-keep)}`;
}
