import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import type { Header } from 'tar-stream';
import { isDigest } from '../blobs/blob-store.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { ImageLayer } from '../domain/types.js';
import { OCI_LAYER_GZIP_MEDIA_TYPE } from './oci-types.js';

/** How extractLayer treats what the target already holds. */
export interface ExtractLayerOptions {
  /**
   * Apply `.wh.<name>` and `.wh..wh..opq` to what `targetDir` already holds (the layers below)
   * instead of extracting them as plain files.
   */
  readonly applyWhiteouts?: boolean;
}

/** A layer entry that would write outside the target or through a symlink; nothing was extracted. */
export class UnsafeLayerEntryError extends Error {
  constructor(
    readonly entry: string,
    readonly reason: string,
  ) {
    super(`unsafe layer entry ${JSON.stringify(entry)}: ${reason}`);
    this.name = 'UnsafeLayerEntryError';
  }
}

type EntryType = 'file' | 'link' | 'symlink' | 'directory' | 'device' | 'fifo';

interface LayerEntry {
  readonly path: string;
  readonly type: EntryType;
}

interface LayerPlan {
  readonly entries: ReadonlyMap<string, LayerEntry>;
  /** Paths (`dir/name`) that `.wh.name` entries delete from the layers below. */
  readonly whiteouts: readonly string[];
  /** Directories whose lower contents `.wh..wh..opq` entries hide. */
  readonly opaqueDirs: readonly string[];
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
const DOCKER_LAYER_GZIP_MEDIA_TYPE = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

/** PAX keys GNU tar and tar-stream read alike; any other key might make them see different paths. */
const ALLOWED_PAX_KEY =
  /^(path|linkpath|size|uid|gid|uname|gname|mtime|atime|ctime|charset|hdrcharset|comment|SCHILY\.xattr\..+|LIBARCHIVE\.xattr\..+|SCHILY\.(dev|ino|nlink))$/;

/**
 * Extracts a gzip layer from `blobs` into `targetDir`, as root, keeping owners, modes, devices
 * and xattrs. A first pass reads every entry with tar-stream and refuses the layer (before
 * anything is written) on absolute paths, `..`, hardlinks outside the layer, or a path that
 * would go through a symlink; it also checks the diffId. GNU tar then extracts the verified blob.
 */
export async function extractLayer(
  blobs: BlobStore,
  layer: ImageLayer,
  targetDir: string,
  options: ExtractLayerOptions = {},
): Promise<void> {
  if (
    layer.mediaType !== OCI_LAYER_GZIP_MEDIA_TYPE &&
    layer.mediaType !== DOCKER_LAYER_GZIP_MEDIA_TYPE
  ) {
    throw new Error(
      `cannot extract layer ${layer.digest}: unsupported media type ${layer.mediaType}`,
    );
  }
  if (!isDigest(layer.digest)) throw new Error(`layer digest is malformed: ${layer.digest}`);
  const applyWhiteouts = options.applyWhiteouts ?? false;
  await mkdir(targetDir, { recursive: true });
  // Into an empty directory (a fresh base root) nothing below can conflict or be whited out.
  const lowerExists = (await readdir(targetDir)).length > 0;
  const plan = await planLayer(await blobs.get(layer.digest), layer.diffId, applyWhiteouts);
  if (lowerExists) {
    await checkAgainstTarget(plan, targetDir);
    await clearReplacedPaths(plan, targetDir);
  }
  if (lowerExists && applyWhiteouts) {
    for (const removed of plan.whiteouts) await removeBelowRealDirs(targetDir, removed);
    for (const dir of plan.opaqueDirs) await clearDirectory(targetDir, dir);
  }
  await runGnuTar(await blobs.get(layer.digest), targetDir, applyWhiteouts);
}

async function planLayer(
  blob: Readable,
  diffId: string,
  applyWhiteouts: boolean,
): Promise<LayerPlan> {
  const entries = new Map<string, LayerEntry>();
  const whiteouts: string[] = [];
  const opaqueDirs: string[] = [];
  const diffHash = createHash('sha256');
  const tap = new PassThrough();
  tap.on('data', (chunk: Buffer) => diffHash.update(chunk));
  const extract = tarExtract();
  const feeding = pipeline(blob, createGunzip(), tap, extract);
  const reading = (async () => {
    for await (const entry of extract) {
      entry.resume();
      const header = entry.header;
      const rawName = header.name;
      const pax = typeof header.pax === 'object' && header.pax !== null ? header.pax : {};
      for (const key of Object.keys(pax)) {
        if (!ALLOWED_PAX_KEY.test(key)) throw new UnsafeLayerEntryError(rawName, `PAX key ${key}`);
      }
      const entryPath = normalizeEntryPath(rawName);
      const type = entryType(header, rawName);
      if (entryPath === '') {
        if (type !== 'directory')
          throw new UnsafeLayerEntryError(rawName, 'root is not a directory');
        continue;
      }
      const base = path.posix.basename(entryPath);
      const parent = path.posix.dirname(entryPath);
      if (applyWhiteouts && base.startsWith(WHITEOUT_PREFIX)) {
        if (base === OPAQUE_MARKER) opaqueDirs.push(parent === '.' ? '' : parent);
        else {
          const hidden = base.slice(WHITEOUT_PREFIX.length);
          if (hidden === '' || hidden === '.' || hidden === '..' || hidden.includes('/')) {
            throw new UnsafeLayerEntryError(rawName, 'whiteout names no file');
          }
          whiteouts.push(parent === '.' ? hidden : `${parent}/${hidden}`);
        }
        continue;
      }
      if (entries.has(entryPath)) throw new UnsafeLayerEntryError(rawName, 'duplicate entry');
      if (type === 'link') {
        const target = normalizeEntryPath(header.linkname ?? '');
        const linked = entries.get(target);
        if (linked === undefined || linked.type === 'directory') {
          throw new UnsafeLayerEntryError(rawName, 'hardlink to a path not earlier in the layer');
        }
      }
      if (type === 'symlink' && (header.linkname ?? '').includes('\u0000')) {
        throw new UnsafeLayerEntryError(rawName, 'symlink target holds a NUL byte');
      }
      entries.set(entryPath, { path: entryPath, type });
    }
  })();
  const [fed, read] = await Promise.allSettled([feeding, reading]);
  if (read.status === 'rejected') throw read.reason;
  if (fed.status === 'rejected') throw fed.reason;
  const actual = `sha256:${diffHash.digest('hex')}`;
  if (actual !== diffId) throw new Error(`layer tar has diffId ${actual}, expected ${diffId}`);
  const plan = { entries, whiteouts, opaqueDirs };
  checkAncestorsInLayer(plan);
  return plan;
}

/** Relative, slash-separated, without `.` or empty components; refuses what could escape. */
function normalizeEntryPath(raw: string): string {
  if (raw.startsWith('/')) throw new UnsafeLayerEntryError(raw, 'absolute path');
  // U+FFFD means the name was not UTF-8: GNU tar would see other bytes than we checked.
  if (raw.includes('\u0000') || raw.includes('\ufffd')) {
    throw new UnsafeLayerEntryError(raw, 'name is not clean UTF-8');
  }
  const parts = raw.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new UnsafeLayerEntryError(raw, '".." component');
  return parts.join('/');
}

function entryType(header: Header, rawName: string): EntryType {
  // tar-stream reports typeflags it does not know as null, whatever its types say.
  switch (header.type as Header['type'] | null) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'link':
      return 'link';
    case 'symlink':
      return 'symlink';
    case 'directory':
      return 'directory';
    case 'character-device':
    case 'block-device':
      return 'device';
    case 'fifo':
      return 'fifo';
    default:
      throw new UnsafeLayerEntryError(rawName, `unsupported entry type ${String(header.type)}`);
  }
}

/**
 * Every ancestor that the layer itself defines, before or after the entry, must be a
 * directory: a symlink (or a hardlink to one) there would let tar write through it.
 */
function checkAncestorsInLayer(plan: LayerPlan): void {
  for (const { entryPath, dirs } of ancestorChecks(plan)) {
    for (const dir of dirs) {
      const defined = plan.entries.get(dir);
      if (defined !== undefined && defined.type !== 'directory') {
        throw new UnsafeLayerEntryError(entryPath, `goes through ${dir}, a ${defined.type}`);
      }
    }
  }
}

/** The directories each entry, whiteout and opaque marker needs to be real directories. */
function ancestorChecks(plan: LayerPlan): { entryPath: string; dirs: string[] }[] {
  return [
    ...[...plan.entries.keys(), ...plan.whiteouts].map((p) => ({
      entryPath: p,
      dirs: ancestors(p),
    })),
    ...plan.opaqueDirs.map((d) => ({ entryPath: d, dirs: d === '' ? [] : [...ancestors(d), d] })),
  ];
}

/** Ancestors the layer does not define must already be real directories (or absent) on disk. */
async function checkAgainstTarget(plan: LayerPlan, targetDir: string): Promise<void> {
  const known = new Map<string, 'directory' | 'absent' | 'other'>();
  for (const { entryPath, dirs } of ancestorChecks(plan)) {
    for (const ancestor of dirs) {
      if (plan.entries.get(ancestor)?.type === 'directory') continue;
      let kind = known.get(ancestor);
      if (kind === undefined) {
        kind = await kindOnDisk(path.join(targetDir, ancestor));
        known.set(ancestor, kind);
      }
      if (kind === 'other') {
        throw new UnsafeLayerEntryError(
          entryPath,
          `${ancestor} is a symlink or file in the target`,
        );
      }
    }
  }
}

/** Whatever stands where the layer puts a different kind of file is replaced, as in overlayfs. */
async function clearReplacedPaths(plan: LayerPlan, targetDir: string): Promise<void> {
  // Shallow paths first, so a replaced symlink is gone before anything below it is looked at.
  const byDepth = [...plan.entries.values()].sort(
    (a, b) => a.path.split('/').length - b.path.split('/').length,
  );
  for (const entry of byDepth) {
    const kind = await kindOnDisk(path.join(targetDir, entry.path));
    if (kind === 'absent' || (kind === 'directory' && entry.type === 'directory')) continue;
    await removeBelowRealDirs(targetDir, entry.path);
  }
}

/** Removes `relPath` unless an ancestor is not a real directory (then nothing of it is there). */
async function removeBelowRealDirs(targetDir: string, relPath: string): Promise<void> {
  for (const ancestor of ancestors(relPath)) {
    if ((await kindOnDisk(path.join(targetDir, ancestor))) !== 'directory') return;
  }
  // rm does not follow symlinks: a symlink is unlinked, never its target.
  await rm(path.join(targetDir, relPath), { recursive: true, force: true });
}

/** Empties `relDir` (`''` is the root) of what the layers below put there. */
async function clearDirectory(targetDir: string, relDir: string): Promise<void> {
  const dirs = relDir === '' ? [] : [...ancestors(relDir), relDir];
  for (const dir of dirs) {
    if ((await kindOnDisk(path.join(targetDir, dir))) !== 'directory') return;
  }
  for (const name of await readdir(path.join(targetDir, relDir))) {
    await rm(path.join(targetDir, relDir, name), { recursive: true, force: true });
  }
}

async function kindOnDisk(file: string): Promise<'directory' | 'absent' | 'other'> {
  try {
    return (await lstat(file)).isDirectory() ? 'directory' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
}

function ancestors(relPath: string): string[] {
  const parts = relPath.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Extracts with GNU tar (owners, modes, devices, binary xattrs) from the blob checked above. */
async function runGnuTar(
  blob: Readable,
  targetDir: string,
  applyWhiteouts: boolean,
): Promise<void> {
  const args = [
    '--extract',
    '--file=-',
    `--directory=${targetDir}`,
    '--numeric-owner',
    '--same-owner',
    '--same-permissions',
    '--xattrs',
    '--xattrs-include=*',
    // overlayfs would obey these if the result became a lower layer; a layer may not set them.
    '--xattrs-exclude=trusted.overlay.*',
    ...(applyWhiteouts ? ['--exclude=.wh.*'] : []),
  ];
  const child = spawn('tar', args, { stdio: ['pipe', 'ignore', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const feeding = pipeline(blob, createGunzip(), child.stdin);
  const [fed, code] = await Promise.allSettled([feeding, exited]);
  if (code.status === 'rejected') throw code.reason;
  // tar's own complaint explains more than the broken pipe its early exit causes.
  if (code.value !== 0) {
    throw new Error(`tar exited with ${code.value}: ${Buffer.concat(stderr).toString().trim()}`);
  }
  if (fed.status === 'rejected') throw fed.reason;
}
