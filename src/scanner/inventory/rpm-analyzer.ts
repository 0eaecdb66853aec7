import Database from 'better-sqlite3';
import type { Analyzer, AnalyzerResult, AnalysisInput } from './analyzer.js';
import type { InventoryPackage, InventoryWarning, OsRelease } from './inventory-types.js';
import { buildPurl } from './purl.js';
import { readBytesInRoot } from './root-fs.js';

/** The sqlite rpmdb: RHEL 9 and Fedora 33-35 keep it in var/lib, later Fedora and SUSE in usr. */
const RPMDB_FILES = ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite'];
/** A full distribution's rpmdb is a few hundred MiB at most. */
const MAX_RPMDB_BYTES = 512 * 1024 * 1024;

/** Header tags (rpm's include/rpm/rpmtag.h) and data types (lib/header_internal.h). */
const TAG = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  license: 1014,
  arch: 1022,
  sourceRpm: 1044,
} as const;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_I18NSTRING = 9;
/** rpm refuses headers with more entries or data than this (lib/header.c: HEADER_DATA_MAX). */
const MAX_INDEX_ENTRIES = 0xffff;
const MAX_DATA_BYTES = 256 * 1024 * 1024;

/** The sqlite rpmdb (rpm 4.16+) as an inventory analyzer. */
export const rpmAnalyzer: Analyzer = {
  type: 'rpm',
  version: 1,
  required: (relPath, info) => RPMDB_FILES.includes(relPath) && info.size <= MAX_RPMDB_BYTES,
  async analyze({ root, relPaths, os }: AnalysisInput): Promise<AnalyzerResult> {
    const packages: InventoryPackage[] = [];
    const warnings: InventoryWarning[] = [];
    for (const file of relPaths) {
      const bytes = await readBytesInRoot(root, file, MAX_RPMDB_BYTES);
      if (bytes === undefined) continue;
      for (const [hnum, blob] of readHeaderBlobs(bytes, file)) {
        const result = parseRpmHeader(blob);
        if (typeof result === 'string') {
          warnings.push({ file, line: 0, message: `header ${hnum} skipped: ${result}` });
          continue;
        }
        // gpg-pubkey "packages" are imported signing keys, not software.
        if (result.name === 'gpg-pubkey') continue;
        packages.push(toInventoryPackage(result, file, os));
      }
    }
    return { packages, warnings };
  },
};

/** The fields of an installed package's rpm header that the inventory uses. */
export interface RpmHeader {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  readonly epoch: number | undefined;
  readonly arch: string | undefined;
  /** e.g. `bash-5.1.8-6.el9.src.rpm`; absent on gpg-pubkey. */
  readonly sourceRpm: string | undefined;
  readonly license: string | undefined;
}

/**
 * Reads the `Packages` table of an sqlite rpmdb held in memory, so that nothing (not even
 * sqlite's -shm and -wal files) is written into the scanned root.
 */
function readHeaderBlobs(bytes: Buffer, file: string): [number, Buffer][] {
  // rpm keeps the database in WAL mode (header bytes 18 and 19 are 2); an in-memory database
  // opens only in rollback mode, and the file is identical otherwise. A WAL file that rpm
  // left uncheckpointed is not read: rpm checkpoints when it closes the database.
  const image = Buffer.from(bytes);
  if (image.length > 19 && image[18] === 2 && image[19] === 2) {
    image[18] = 1;
    image[19] = 1;
  }
  let db: Database.Database;
  try {
    db = new Database(image, { readonly: true });
  } catch (error) {
    throw new Error(`${file} is not an sqlite database: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    const rows = db
      .prepare('SELECT hnum, blob FROM Packages ORDER BY hnum')
      .raw()
      .all() as unknown[][];
    return rows.map((row) => [Number(row[0]), Buffer.isBuffer(row[1]) ? row[1] : Buffer.alloc(0)]);
  } finally {
    db.close();
  }
}

/**
 * Parses an rpm header blob as the rpmdb stores it (rpm's lib/header.c, "headerImport"): the
 * header structure without its 8-byte magic, i.e. a big-endian index count `il` and data size
 * `dl`, `il` 16-byte index entries (tag, type, offset, count), then `dl` bytes of data.
 * Returns why when the blob is malformed.
 */
export function parseRpmHeader(blob: Buffer): RpmHeader | string {
  try {
    return readHeader(blob);
  } catch (error) {
    if (error instanceof MalformedHeader) return error.message;
    throw error;
  }
}

/** Why a header blob was skipped. */
class MalformedHeader extends Error {}

function readHeader(blob: Buffer): RpmHeader {
  const fail = (message: string): never => {
    throw new MalformedHeader(message);
  };
  if (blob.length < 8) fail('shorter than a header preamble');
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  if (il === 0 || il > MAX_INDEX_ENTRIES || dl > MAX_DATA_BYTES) {
    fail(`implausible sizes il=${il} dl=${dl}`);
  }
  const dataStart = 8 + il * 16;
  if (blob.length < dataStart + dl) {
    fail(`truncated: ${blob.length} bytes, header says ${dataStart + dl}`);
  }
  const data = blob.subarray(dataStart, dataStart + dl);
  const entries = new Map<number, { type: number; offset: number; count: number }>();
  for (let i = 0; i < il; i += 1) {
    const at = 8 + i * 16;
    const tag = blob.readUInt32BE(at);
    const entry = {
      type: blob.readUInt32BE(at + 4),
      offset: blob.readInt32BE(at + 8),
      count: blob.readUInt32BE(at + 12),
    };
    if (!entries.has(tag)) entries.set(tag, entry);
  }
  const text = (tag: number): string | undefined => {
    const entry = entries.get(tag);
    if (entry === undefined) return undefined;
    if (entry.type !== TYPE_STRING && entry.type !== TYPE_I18NSTRING) {
      fail(`tag ${tag} has type ${entry.type}`);
    }
    if (entry.offset < 0 || entry.offset >= data.length) fail(`tag ${tag} points outside the data`);
    const end = data.indexOf(0, entry.offset);
    if (end < 0) fail(`tag ${tag} is not NUL-terminated`);
    // An I18N string holds one string per locale; the first is the untranslated one.
    return data.toString('utf8', entry.offset, end);
  };
  const int32 = (tag: number): number | undefined => {
    const entry = entries.get(tag);
    if (entry === undefined) return undefined;
    if (entry.type !== TYPE_INT32 || entry.count < 1) fail(`tag ${tag} has type ${entry.type}`);
    if (entry.offset < 0 || entry.offset + 4 > data.length) {
      fail(`tag ${tag} points outside the data`);
    }
    return data.readInt32BE(entry.offset);
  };
  const name = text(TAG.name);
  if (name === undefined || name === '') return fail('no NAME');
  const version = text(TAG.version);
  if (version === undefined || version === '') return fail(`${name}: no VERSION`);
  const release = text(TAG.release);
  if (release === undefined) return fail(`${name}: no RELEASE`);
  return {
    name,
    version,
    release,
    epoch: int32(TAG.epoch),
    arch: text(TAG.arch),
    sourceRpm: text(TAG.sourceRpm),
    license: text(TAG.license),
  };
}

/** `[epoch:]version-release`, the form rpm's own tools and advisories compare. */
function evr(epoch: number | undefined, version: string, release: string): string {
  return `${epoch === undefined ? '' : `${epoch}:`}${version}-${release}`;
}

/** `name-version-release.src.rpm` split into name and `version-release`. */
function parseSourceRpm(sourceRpm: string): { name: string; versionRelease: string } | undefined {
  const match = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(sourceRpm);
  if (match === null) return undefined;
  return { name: match[1] ?? '', versionRelease: `${match[2] ?? ''}-${match[3] ?? ''}` };
}

function toInventoryPackage(
  header: RpmHeader,
  file: string,
  os: OsRelease | undefined,
): InventoryPackage {
  const source = header.sourceRpm === undefined ? undefined : parseSourceRpm(header.sourceRpm);
  const epochPrefix = header.epoch === undefined ? '' : `${header.epoch}:`;
  return {
    type: 'rpm',
    name: header.name,
    version: evr(header.epoch, header.version, header.release),
    ...(source === undefined
      ? {}
      : { sourceName: source.name, sourceVersion: `${epochPrefix}${source.versionRelease}` }),
    ...(header.arch === undefined ? {} : { arch: header.arch }),
    // The purl spec's rpm type: version-release in the version, the epoch as a qualifier.
    purl: buildPurl(
      'rpm',
      os?.id ?? 'unknown',
      header.name,
      `${header.version}-${header.release}`,
      {
        arch: header.arch,
        epoch: header.epoch === undefined ? undefined : String(header.epoch),
        distro: os?.versionId === undefined ? undefined : `${os.id}-${os.versionId}`,
      },
    ),
    locations: [file],
    ...(header.license === undefined || header.license === ''
      ? {}
      : { licenses: [header.license] }),
  };
}
