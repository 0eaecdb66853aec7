import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The secret key in `file`, created on first use: `bytes` random bytes, mode 0600, in a 0700
 * directory. The key is written whole under a temporary name and linked into place, so two
 * processes starting at once on a shared keys directory agree on one key and neither reads a
 * file still being written. A file of another length is refused.
 */
export async function readOrCreateKeyFile(file: string, bytes: number): Promise<Buffer> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = (await readKey(file)) ?? (await createKey(file, bytes));
  if (key.length !== bytes) {
    throw new Error(`the key file ${file} must hold exactly ${bytes} bytes, not ${key.length}`);
  }
  return key;
}

async function readKey(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function createKey(file: string, bytes: number): Promise<Buffer> {
  const key = randomBytes(bytes);
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, key, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = await readKey(file);
    if (theirs === undefined) throw new Error(`the key file ${file} vanished while being created`);
    return theirs;
  } finally {
    await unlink(temporary);
  }
}
