import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  linkSync,
  mkdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import type { Header } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/blobs/blob-store.js';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import type { ImageLayer } from '../../src/domain/types.js';
import { writeLayer } from '../../src/image/oci-layer-writer.js';
import { OCI_LAYER_GZIP_MEDIA_TYPE } from '../../src/image/oci-types.js';
import { tempDir } from '../support/paths.js';

interface TarRecord {
  readonly name: string;
  readonly type: Header['type'];
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly linkname: string | null;
  readonly mtime: number;
  readonly pax: Readonly<Record<string, string>>;
}

const LONG_NAME = `usr/share/${'deeply-nested-directory/'.repeat(5)}${'x'.repeat(80)}.txt`;
const CLAMP = '2024-01-01T00:00:00Z';

describe('writeLayer over a real overlay upper directory', () => {
  let root: string;
  let upper: string;
  let blobs: FsBlobStore;
  let layer: ImageLayer;
  let entries: TarRecord[];

  beforeAll(async () => {
    root = tempDir('layer-writer');
    const lower = path.join(root, 'lower');
    upper = path.join(root, 'upper');
    const work = path.join(root, 'work');
    const merged = path.join(root, 'merged');
    for (const dir of [upper, work, merged]) mkdirSync(dir);
    mkdirSync(path.join(lower, 'etc'), { recursive: true });
    mkdirSync(path.join(lower, 'opt/app/sub'), { recursive: true });
    writeFileSync(path.join(lower, 'etc/keep.conf'), 'keep\n');
    writeFileSync(path.join(lower, 'etc/gone.conf'), 'gone\n');
    writeFileSync(path.join(lower, 'opt/app/old.txt'), 'old\n');
    writeFileSync(path.join(lower, 'opt/app/sub/deep.txt'), 'deep\n');
    const options = `lowerdir=${lower},upperdir=${upper},workdir=${work}`;
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', options, merged]);
    try {
      // Deleting a lower file makes a whiteout; replacing a lower directory makes it opaque.
      rmSync(path.join(merged, 'etc/gone.conf'));
      writeFileSync(path.join(merged, 'etc/+plus.conf'), 'sorts before the whiteout\n');
      rmSync(path.join(merged, 'opt/app'), { recursive: true });
      mkdirSync(path.join(merged, 'opt/app'));
      writeFileSync(path.join(merged, 'opt/app/new.txt'), 'new\n');
      mkdirSync(path.join(merged, 'usr/bin'), { recursive: true });
      writeFileSync(path.join(merged, 'usr/bin/tool'), '#!/bin/sh\necho tool\n');
      linkSync(path.join(merged, 'usr/bin/tool'), path.join(merged, 'usr/bin/tool-alias'));
      symlinkSync('tool', path.join(merged, 'usr/bin/tool-link'));
      chownSync(path.join(merged, 'usr/bin/tool'), 1234, 5678);
      chmodSync(path.join(merged, 'usr/bin/tool'), 0o4755);
      execFileSync('setfattr', [
        '-n',
        'user.note',
        '-v',
        'hello',
        path.join(merged, 'etc/+plus.conf'),
      ]);
      mkdirSync(path.dirname(path.join(merged, LONG_NAME)), { recursive: true });
      writeFileSync(path.join(merged, LONG_NAME), 'long\n');
      execFileSync('mkfifo', [path.join(merged, 'opt/app/pipe')]);
    } finally {
      execFileSync('umount', [merged]);
    }
    blobs = new FsBlobStore(path.join(root, 'blobs'));
    layer = await writeLayer(upper, blobs, { overlayWhiteouts: true, mtimeClamp: CLAMP });
    entries = await readTar(gunzipSync(await blobBytes(blobs, layer.digest)));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('describes the gzip blob and the tar inside it', async () => {
    const gzip = await blobBytes(blobs, layer.digest);
    expect(layer.mediaType).toBe(OCI_LAYER_GZIP_MEDIA_TYPE);
    expect(layer.size).toBe(gzip.length);
    expect(layer.diffId).toBe(`sha256:${sha256(gunzipSync(gzip))}`);
    // A gzip header with mtime 0 (bytes 4-7), as `gzip -n` writes it.
    expect([...gzip.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
  });

  it('turns the kernel whiteout into an empty .wh. file, not a device or hardlink', () => {
    const whiteout = entries.find((entry) => entry.name === 'etc/.wh.gone.conf');
    expect(whiteout).toMatchObject({ type: 'file', size: 0 });
    expect(entries.filter((entry) => entry.type === 'character-device')).toEqual([]);
    expect(entries.some((entry) => entry.name === 'etc/gone.conf')).toBe(false);
  });

  it('marks the replaced directory opaque and drops overlay xattrs', () => {
    const names = entries.map((entry) => entry.name);
    const dirIndex = names.indexOf('opt/app/');
    expect(dirIndex).toBeGreaterThanOrEqual(0);
    expect(names[dirIndex + 1]).toBe('opt/app/.wh..wh..opq');
    expect(entries[dirIndex + 1]).toMatchObject({ type: 'file', size: 0 });
    const overlayKeys = entries.flatMap((entry) =>
      Object.keys(entry.pax).filter((key) => key.includes('trusted.overlay')),
    );
    expect(overlayKeys).toEqual([]);
  });

  it('puts whiteouts before their siblings and otherwise sorts by byte order', () => {
    const names = entries.map((entry) => entry.name);
    expect(names.indexOf('etc/.wh.gone.conf')).toBeLessThan(names.indexOf('etc/+plus.conf'));
    expect(names.indexOf('usr/bin/tool')).toBeLessThan(names.indexOf('usr/bin/tool-alias'));
    expect(names.every((name) => !name.startsWith('/') && !name.startsWith('./'))).toBe(true);
  });

  it('keeps hardlinks, symlinks, fifos, owners, modes, xattrs and long names', () => {
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    expect(byName.get('usr/bin/tool')).toMatchObject({
      type: 'file',
      uid: 1234,
      gid: 5678,
      mode: 0o4755,
    });
    expect(byName.get('usr/bin/tool-alias')).toMatchObject({
      type: 'link',
      linkname: 'usr/bin/tool',
    });
    expect(byName.get('usr/bin/tool-link')).toMatchObject({ type: 'symlink', linkname: 'tool' });
    expect(byName.get('opt/app/pipe')).toMatchObject({ type: 'fifo' });
    expect(byName.get('etc/+plus.conf')?.pax['SCHILY.xattr.user.note']).toBe('hello');
    expect(byName.get(LONG_NAME)).toMatchObject({ type: 'file', size: 5 });
  });

  it('is reproducible: the same tree gives the same digests', async () => {
    const again = await writeLayer(upper, blobs, { overlayWhiteouts: true, mtimeClamp: CLAMP });
    expect(again).toEqual(layer);
  });

  it('clamps mtimes', () => {
    const clamp = Date.parse(CLAMP);
    expect(entries.every((entry) => entry.mtime <= clamp)).toBe(true);
  });

  it('without overlayWhiteouts keeps the devices as they are on disk', async () => {
    const raw = await writeLayer(upper, blobs);
    const rawEntries = await readTar(gunzipSync(await blobBytes(blobs, raw.digest)));
    const devices = rawEntries.filter((entry) => entry.type === 'character-device');
    expect(devices.map((entry) => entry.name)).toEqual(['etc/gone.conf']);
  });
});

async function blobBytes(blobs: FsBlobStore, digest: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await blobs.get(digest as Digest)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readTar(tar: Buffer): Promise<TarRecord[]> {
  const records: TarRecord[] = [];
  const extract = tarExtract();
  Readable.from([tar]).pipe(extract);
  for await (const entry of extract) {
    const header = entry.header;
    records.push({
      name: header.name,
      type: header.type,
      size: header.size,
      mode: header.mode,
      uid: header.uid,
      gid: header.gid,
      // tar-stream gives null for entries without a link name.
      linkname: header.linkname as string | null,
      mtime: header.mtime.getTime(),
      pax: (header.pax ?? {}) as Record<string, string>,
    });
    entry.resume();
  }
  return records;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
