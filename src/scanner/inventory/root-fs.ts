import { constants as fsConstants } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** The most symlinks one lookup follows, like the kernel's MAXSYMLINKS. */
const MAX_SYMLINKS = 40;

/**
 * Resolves `relPath` inside `root` as if `root` were `/` (chroot semantics): symlinks are
 * followed, but absolute targets and `..` stay inside `root`, so an image cannot make the
 * scanner read a host file. Returns a host path free of symlinks, or undefined if absent.
 */
export async function resolveInRoot(root: string, relPath: string): Promise<string | undefined> {
  const pending = relPath.split('/').filter((part) => part !== '' && part !== '.');
  const resolved: string[] = [];
  let followed = 0;
  while (pending.length > 0) {
    const part = pending.shift() ?? '';
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = path.join(root, ...resolved, part);
    let stats;
    try {
      stats = await lstat(candidate);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    if (!stats.isSymbolicLink()) {
      resolved.push(part);
      continue;
    }
    followed += 1;
    if (followed > MAX_SYMLINKS) throw new Error(`too many symlinks resolving ${relPath}`);
    const target = await readlink(candidate);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return path.join(root, ...resolved);
}

/** Reads a text file inside `root` (see resolveInRoot); undefined when absent or not a file. */
export async function readTextInRoot(
  root: string,
  relPath: string,
  maxBytes: number,
): Promise<string | undefined> {
  return (await readBytesInRoot(root, relPath, maxBytes))?.toString('utf8');
}

/** Reads a file inside `root` (see resolveInRoot); undefined when absent or not a file. */
export async function readBytesInRoot(
  root: string,
  relPath: string,
  maxBytes: number,
): Promise<Buffer | undefined> {
  return withFileInRoot(root, relPath, async (handle, size) => {
    if (size > maxBytes) throw new Error(`${relPath} is larger than ${maxBytes} bytes`);
    return handle.readFile();
  });
}

/**
 * Opens a regular file inside `root` (see resolveInRoot) and passes it with its size to `use`,
 * for readers that need only parts of a large file; undefined when absent or not a file.
 */
export async function withFileInRoot<T>(
  root: string,
  relPath: string,
  use: (handle: FileHandle, size: number) => Promise<T>,
): Promise<T | undefined> {
  const file = await resolveInRoot(root, relPath);
  if (file === undefined) return undefined;
  // O_NOFOLLOW: the resolved path has no symlinks left, and must not gain one meanwhile.
  const handle = await open(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW).catch(
    (error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    },
  );
  if (handle === undefined) return undefined;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return undefined;
    return await use(handle, stats.size);
  } finally {
    await handle.close();
  }
}

/** Reads up to `length` bytes at `position`; fewer only at the end of the file. */
export async function readAt(
  handle: FileHandle,
  position: number,
  length: number,
): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Names in a directory inside `root`, sorted; empty when it is absent or not a directory. */
export async function listDirectoryInRoot(root: string, relPath: string): Promise<string[]> {
  const dir = await resolveInRoot(root, relPath);
  if (dir === undefined) return [];
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
