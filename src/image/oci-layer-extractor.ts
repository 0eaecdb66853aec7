import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Duplex, Readable } from 'node:stream';
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

/** How extractLayerTar treats what the target holds and what the layer may create. */
export interface ExtractLayerTarOptions extends ExtractLayerOptions {
  /** The sha256 (`sha256:...`) the uncompressed tar must have; checked before anything is written. */
  readonly diffId?: string;
  /**
   * Leave device nodes and FIFOs (and hardlinks to them) out of the target; they are still
   * reported in the changes. A scanner reading the tree must not open a host disk or block on a pipe.
   */
  readonly skipDevices?: boolean;
}

/** What a layer changed, relative to the root, without a leading slash; each list sorted. */
export interface LayerChangeSet {
  /** Everything but directories that the layer adds or replaces; `mode` as lstat gives it. */
  readonly paths: readonly {
    readonly relPath: string;
    readonly size: number;
    readonly mode: number;
  }[];
  /** Paths that `.wh.name` entries delete from the layers below. */
  readonly deleted: readonly string[];
  /** Directories whose lower contents `.wh..wh..opq` entries hide (`''` is the root). */
  readonly opaqueDirs: readonly string[];
}

/** The uncompressed tar of a layer does not have the diffId its config names. */
export class LayerDiffIdMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`layer tar has diffId ${actual}, expected ${expected}`);
    this.name = 'LayerDiffIdMismatchError';
  }
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
  /** The name as the tar holds it, which GNU tar matches `--exclude` against. */
  readonly rawName: string;
  readonly type: EntryType;
  /** Of a hardlink: the type of what it links to. */
  readonly linkedType: Exclude<EntryType, 'link' | 'directory'> | undefined;
  /** Bytes of a file (of its target, for a hardlink; of the target path, for a symlink). */
  readonly size: number;
  /** Type and permission bits, as lstat would give them. */
  readonly mode: number;
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
  const digest = layer.digest;
  if (!isDigest(digest)) throw new Error(`layer digest is malformed: ${digest}`);
  await extractLayerTar(
    async () => throughStream(await blobs.get(digest), createGunzip()),
    targetDir,
    {
      ...options,
      diffId: layer.diffId,
    },
  );
}

/**
 * Extracts the layer tar that `openTar` streams (uncompressed; opened once per pass) onto
 * `targetDir`, which holds the layers below, and says what the layer changed. The first pass
 * checks every entry as extractLayer describes, before anything is written; an error that
 * `openTar`'s stream raises (a digest check) also stops it there. GNU tar then extracts.
 */
export async function extractLayerTar(
  openTar: () => Promise<Readable>,
  targetDir: string,
  options: ExtractLayerTarOptions = {},
): Promise<LayerChangeSet> {
  const applyWhiteouts = options.applyWhiteouts ?? false;
  await mkdir(targetDir, { recursive: true });
  // Into an empty directory (a fresh base root) nothing below can conflict or be whited out.
  const lowerExists = (await readdir(targetDir)).length > 0;
  const plan = await planLayer(await openTar(), options.diffId, applyWhiteouts);
  if (lowerExists) {
    await checkAgainstTarget(plan, targetDir);
    await clearReplacedPaths(plan, targetDir);
  }
  if (lowerExists && applyWhiteouts) {
    for (const removed of plan.whiteouts) await removeBelowRealDirs(targetDir, removed);
    for (const dir of plan.opaqueDirs) await clearDirectory(targetDir, dir);
  }
  const skipped =
    options.skipDevices === true
      ? [...plan.entries.values()].filter((entry) => isDeviceLike(entry.linkedType ?? entry.type))
      : [];
  await runGnuTar(
    await openTar(),
    targetDir,
    applyWhiteouts,
    skipped.map((entry) => entry.rawName),
  );
  // Belt and braces: whatever name GNU tar matched differently, no device stays behind.
  for (const entry of skipped) await removeDeviceLike(path.join(targetDir, entry.path));
  return changeSet(plan);
}

/** Pipes `source` into `transform` and returns the transform; an error of either ends it. */
export function throughStream(source: Readable, transform: Duplex): Duplex {
  pipeline(source, transform).catch(() => undefined);
  return transform;
}

function isDeviceLike(type: EntryType): boolean {
  return type === 'device' || type === 'fifo';
}

async function removeDeviceLike(file: string): Promise<void> {
  const stats = await lstat(file).catch(() => undefined);
  if (stats === undefined) return;
  if (stats.isCharacterDevice() || stats.isBlockDevice() || stats.isFIFO()) await rm(file);
}

/** `st_mode` type bits (POSIX `<sys/stat.h>`) of each tar typeflag. */
const TYPE_BITS: Partial<Record<string, number>> = {
  file: 0o100000,
  'contiguous-file': 0o100000,
  directory: 0o040000,
  'character-device': 0o020000,
  'block-device': 0o060000,
  fifo: 0o010000,
};

const SYMLINK_MODE = 0o120777;

function changeSet(plan: LayerPlan): LayerChangeSet {
  const paths = [...plan.entries.values()]
    .filter((entry) => entry.type !== 'directory')
    .map((entry) => ({ relPath: entry.path, size: entry.size, mode: entry.mode }))
    .sort((a, b) => compare(a.relPath, b.relPath));
  return {
    paths,
    deleted: [...new Set(plan.whiteouts)].sort(compare),
    opaqueDirs: [...new Set(plan.opaqueDirs)].sort(compare),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function planLayer(
  tar: Readable,
  diffId: string | undefined,
  applyWhiteouts: boolean,
): Promise<LayerPlan> {
  const entries = new Map<string, LayerEntry>();
  const whiteouts: string[] = [];
  const opaqueDirs: string[] = [];
  const diffHash = createHash('sha256');
  const tap = new PassThrough();
  tap.on('data', (chunk: Buffer) => diffHash.update(chunk));
  const extract = tarExtract();
  const feeding = pipeline(tar, tap, extract);
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
      const linkname = header.linkname ?? '';
      let described: Pick<LayerEntry, 'linkedType' | 'size' | 'mode'> = {
        linkedType: undefined,
        size: type === 'symlink' ? Buffer.byteLength(linkname) : (header.size ?? 0),
        // Linux symlinks always lstat as 0777, whatever the tar says.
        mode:
          type === 'symlink'
            ? SYMLINK_MODE
            : (TYPE_BITS[header.type] ?? 0) | ((header.mode ?? 0) & 0o7777),
      };
      if (type === 'link') {
        const linked = entries.get(normalizeEntryPath(linkname));
        if (linked === undefined || linked.type === 'directory') {
          throw new UnsafeLayerEntryError(rawName, 'hardlink to a path not earlier in the layer');
        }
        // A hardlink to a hardlink links to what that one links to.
        const linkedType = linked.type === 'link' ? linked.linkedType : linked.type;
        described = { linkedType, size: linked.size, mode: linked.mode };
      }
      if (type === 'symlink' && linkname.includes('\u0000')) {
        throw new UnsafeLayerEntryError(rawName, 'symlink target holds a NUL byte');
      }
      entries.set(entryPath, { path: entryPath, rawName, type, ...described });
    }
  })();
  const [fed, read] = await Promise.allSettled([feeding, reading]);
  if (read.status === 'rejected') throw read.reason;
  if (fed.status === 'rejected') throw fed.reason;
  const actual = `sha256:${diffHash.digest('hex')}`;
  if (diffId !== undefined && actual !== diffId) throw new LayerDiffIdMismatchError(diffId, actual);
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

/** Extracts with GNU tar (owners, modes, devices, binary xattrs) from the tar checked above. */
async function runGnuTar(
  tar: Readable,
  targetDir: string,
  applyWhiteouts: boolean,
  excludedNames: readonly string[],
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
    // Exact member names: no pattern characters, matched from the start of the name.
    ...(excludedNames.length > 0
      ? ['--no-wildcards', '--anchored', ...excludedNames.map((name) => `--exclude=${name}`)]
      : []),
  ];
  const child = spawn('tar', args, { stdio: ['pipe', 'ignore', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const feeding = pipeline(tar, child.stdin);
  const [fed, code] = await Promise.allSettled([feeding, exited]);
  if (code.status === 'rejected') throw code.reason;
  // tar's own complaint explains more than the broken pipe its early exit causes.
  if (code.value !== 0) {
    throw new Error(`tar exited with ${code.value}: ${Buffer.concat(stderr).toString().trim()}`);
  }
  // GNU tar stops reading at the end-of-archive blocks: padding after them may then find the
  // pipe closed. The first pass read (and verified) the whole stream already.
  if (fed.status === 'rejected' && !isClosedPipe(fed.reason)) throw fed.reason;
}

function isClosedPipe(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}
