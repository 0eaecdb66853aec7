import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import type { Header } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import type { ImageLayer } from '../../src/domain/types.js';
import { UnsafeLayerEntryError, extractLayer } from '../../src/image/oci-layer-extractor.js';
import { writeLayer } from '../../src/image/oci-layer-writer.js';
import { OCI_LAYER_GZIP_MEDIA_TYPE } from '../../src/image/oci-types.js';
import { tempDir } from '../support/paths.js';

/** security.capability v2 granting cap_setuid: bytes above 0x7f, so not valid UTF-8. */
const CAPABILITY_HEX = '0x0100000280000000000000000000000000000000';
const LONG_NAME = `${'long-directory-name/'.repeat(6)}${'y'.repeat(90)}`;

describe('extractLayer', () => {
  let root: string;
  let blobs: FsBlobStore;

  beforeAll(() => {
    root = tempDir('layer-extractor');
    blobs = new FsBlobStore(path.join(root, 'blobs'));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('round-trips a tree: types, owners, modes, mtimes, hardlinks, devices and xattrs', async () => {
    const source = path.join(root, 'roundtrip-source');
    buildRichTree(source);
    const layer = await writeLayer(source, blobs);
    const target = path.join(root, 'roundtrip-target');
    await extractLayer(blobs, layer, target);
    expect(describeTree(target)).toEqual(describeTree(source));
    expect(xattrDump(target)).toEqual(xattrDump(source));
    expect(xattrDump(target)).toContain(`security.capability=${CAPABILITY_HEX}`);
    const a = lstatSync(path.join(target, 'bin/tool'));
    const b = lstatSync(path.join(target, 'bin/tool-hardlink'));
    expect(b.ino).toBe(a.ino);
  });

  it('applies whiteouts and opaque directories to the layers below', async () => {
    const target = path.join(root, 'whiteout-target');
    mkdirSync(path.join(target, 'etc'), { recursive: true });
    mkdirSync(path.join(target, 'opt/app/sub'), { recursive: true });
    writeFileSync(path.join(target, 'etc/keep.conf'), 'keep');
    writeFileSync(path.join(target, 'etc/gone.conf'), 'gone');
    writeFileSync(path.join(target, 'opt/app/old.txt'), 'old');
    writeFileSync(path.join(target, 'opt/app/sub/deep.txt'), 'deep');
    // An upper directory as overlayfs leaves it: a 0/0 device and an opaque xattr.
    const upper = path.join(root, 'whiteout-upper');
    mkdirSync(path.join(upper, 'etc'), { recursive: true });
    mkdirSync(path.join(upper, 'opt/app'), { recursive: true });
    execFileSync('mknod', [path.join(upper, 'etc/gone.conf'), 'c', '0', '0']);
    execFileSync('setfattr', [
      '-n',
      'trusted.overlay.opaque',
      '-v',
      'y',
      path.join(upper, 'opt/app'),
    ]);
    writeFileSync(path.join(upper, 'opt/app/new.txt'), 'new');
    const layer = await writeLayer(upper, blobs, { overlayWhiteouts: true });
    await extractLayer(blobs, layer, target, { applyWhiteouts: true });
    expect(listFiles(target)).toEqual(['etc/keep.conf', 'opt/app/new.txt']);
    expect(xattrDump(target)).not.toContain('trusted.overlay');
  });

  it('extracts whiteout markers as plain files unless asked to apply them', async () => {
    const upper = path.join(root, 'verbatim-upper');
    mkdirSync(upper);
    execFileSync('mknod', [path.join(upper, 'gone'), 'c', '0', '0']);
    const layer = await writeLayer(upper, blobs, { overlayWhiteouts: true });
    const target = path.join(root, 'verbatim-target');
    await extractLayer(blobs, layer, target);
    expect(listFiles(target)).toEqual(['.wh.gone']);
  });

  it('replaces a symlinked directory from a lower layer instead of writing through it', async () => {
    const outside = path.join(root, 'outside-replaced');
    mkdirSync(outside);
    const target = path.join(root, 'replace-target');
    mkdirSync(target);
    symlinkSync(outside, path.join(target, 'data'));
    const layer = await craftedLayer([
      { header: { name: 'data/', type: 'directory', mode: 0o755 } },
      { header: { name: 'data/file', mode: 0o644 }, content: 'inside' },
    ]);
    await extractLayer(blobs, layer, target);
    expect(lstatSync(path.join(target, 'data')).isDirectory()).toBe(true);
    expect(readFileSync(path.join(target, 'data/file'), 'utf8')).toBe('inside');
    expect(readdirSync(outside)).toEqual([]);
  });

  const unsafe: {
    title: string;
    entries: CraftedEntry[];
    lowerSymlink?: string;
    applyWhiteouts?: boolean;
  }[] = [
    {
      title: 'a ../ path',
      entries: [{ header: { name: '../escape', mode: 0o644 }, content: 'escaped' }],
    },
    {
      title: 'a .. hidden in the middle',
      entries: [{ header: { name: 'a/../../escape', mode: 0o644 }, content: 'escaped' }],
    },
    {
      title: 'an absolute path',
      entries: [{ header: { name: '/escape', mode: 0o644 }, content: 'escaped' }],
    },
    {
      title: 'a write through a symlink of the same layer',
      entries: [
        { header: { name: 'link', type: 'symlink', linkname: '<outside>' } },
        { header: { name: 'link/escape', mode: 0o644 }, content: 'escaped' },
      ],
    },
    {
      title: 'a write through a symlink of a lower layer',
      lowerSymlink: 'lower-link',
      entries: [{ header: { name: 'lower-link/escape', mode: 0o644 }, content: 'escaped' }],
    },
    {
      title: 'a symlink defined after a file beneath it',
      entries: [
        { header: { name: 'link/escape', mode: 0o644 }, content: 'escaped' },
        { header: { name: 'link', type: 'symlink', linkname: '<outside>' } },
      ],
    },
    {
      title: 'a whiteout through a symlink of a lower layer',
      lowerSymlink: 'lower-link',
      applyWhiteouts: true,
      entries: [{ header: { name: 'lower-link/.wh.victim', mode: 0o644 }, content: '' }],
    },
    {
      title: 'a hardlink to a file outside the layer',
      entries: [{ header: { name: 'escape', type: 'link', linkname: '../secret' } }],
    },
    {
      title: 'a hardlink to a path not in the layer',
      entries: [{ header: { name: 'escape', type: 'link', linkname: 'etc/shadow' } }],
    },
  ];

  for (const { title, entries, lowerSymlink, applyWhiteouts } of unsafe) {
    it(`refuses ${title} and writes nothing`, async () => {
      const base = tempDir('layer-unsafe');
      const outside = path.join(base, 'outside');
      const target = path.join(base, 'target');
      mkdirSync(outside);
      mkdirSync(target);
      writeFileSync(path.join(base, 'secret'), 'secret');
      writeFileSync(path.join(outside, 'victim'), 'must survive');
      if (lowerSymlink !== undefined) symlinkSync(outside, path.join(target, lowerSymlink));
      const resolved = entries.map((entry) => ({
        ...entry,
        header: { ...entry.header, linkname: entry.header.linkname?.replace('<outside>', outside) },
      }));
      const layer = await craftedLayer(resolved);
      const error: unknown = await extractLayer(blobs, layer, target, { applyWhiteouts }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UnsafeLayerEntryError);
      expect(readdirSync(outside)).toEqual(['victim']);
      expect(existsSync(path.join(base, 'escape'))).toBe(false);
      expect(readdirSync(target)).toEqual(lowerSymlink === undefined ? [] : [lowerSymlink]);
      rmSync(base, { recursive: true, force: true });
    });
  }

  it('refuses a layer whose tar does not match its diffId', async () => {
    const layer = await craftedLayer([{ header: { name: 'file', mode: 0o644 }, content: 'x' }]);
    const target = path.join(root, 'diffid-target');
    const wrong = { ...layer, diffId: `sha256:${'0'.repeat(64)}` };
    await expect(extractLayer(blobs, wrong, target)).rejects.toThrow(/diffId/);
    expect(readdirSync(target)).toEqual([]);
  });

  interface CraftedEntry {
    readonly header: Partial<Header> & Pick<Header, 'name'>;
    readonly content?: string;
  }

  /** A layer built entry by entry with tar-stream, to say exactly what an attacker would. */
  async function craftedLayer(entries: readonly CraftedEntry[]): Promise<ImageLayer> {
    const archive = tarPack();
    for (const { header, content } of entries) {
      if (content === undefined) archive.entry({ ...header, mtime: new Date(0) });
      else archive.entry({ ...header, mtime: new Date(0) }, content);
    }
    archive.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(chunk as Buffer);
    const tar = Buffer.concat(chunks);
    const stored = await blobs.put(Readable.from([gzipSync(tar)]));
    return {
      mediaType: OCI_LAYER_GZIP_MEDIA_TYPE,
      digest: stored.digest,
      diffId: `sha256:${createHash('sha256').update(tar).digest('hex')}`,
      size: stored.size,
    };
  }
});

function buildRichTree(dir: string): void {
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  mkdirSync(path.join(dir, 'dev'));
  mkdirSync(path.join(dir, 'private'), { mode: 0o700 });
  mkdirSync(path.dirname(path.join(dir, LONG_NAME)), { recursive: true });
  writeFileSync(path.join(dir, 'bin/tool'), '#!/bin/sh\necho tool\n');
  chownSync(path.join(dir, 'bin/tool'), 1234, 5678);
  chmodSync(path.join(dir, 'bin/tool'), 0o4755);
  linkSync(path.join(dir, 'bin/tool'), path.join(dir, 'bin/tool-hardlink'));
  symlinkSync('tool', path.join(dir, 'bin/relative-link'));
  symlinkSync('/etc/passwd', path.join(dir, 'bin/absolute-link'));
  writeFileSync(path.join(dir, 'private/secret'), 'only root');
  chmodSync(path.join(dir, 'private/secret'), 0o600);
  writeFileSync(path.join(dir, 'café.txt'), 'unicode name');
  writeFileSync(path.join(dir, LONG_NAME), 'long name');
  execFileSync('mknod', ['-m', '0666', path.join(dir, 'dev/null'), 'c', '1', '3']);
  execFileSync('mknod', ['-m', '0660', path.join(dir, 'dev/loop9'), 'b', '7', '9']);
  execFileSync('mkfifo', ['-m', '0640', path.join(dir, 'dev/fifo')]);
  execFileSync('setfattr', ['-n', 'user.origin', '-v', 'goldsmith', path.join(dir, 'café.txt')]);
  execFileSync('setfattr', [
    '-n',
    'security.capability',
    '-v',
    CAPABILITY_HEX,
    path.join(dir, 'bin/tool'),
  ]);
  const when = new Date('2023-05-06T07:08:09Z');
  for (const relPath of Object.keys(describeTree(dir))) {
    const file = path.join(dir, relPath);
    if (!lstatSync(file).isSymbolicLink()) utimesSync(file, when, when);
  }
}

/** Every path under `dir` with what a layer must keep of it. */
function describeTree(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const relPath = rel === '' ? name : `${rel}/${name}`;
      const stats = lstatSync(path.join(dir, relPath));
      let detail = `${(stats.mode & 0o170000).toString(8)} ${(stats.mode & 0o7777).toString(8)} ${stats.uid}:${stats.gid}`;
      if (stats.isFile()) {
        const content = readFileSync(path.join(dir, relPath));
        detail += ` ${createHash('sha256').update(content).digest('hex')} links=${stats.nlink}`;
      }
      if (!stats.isSymbolicLink()) detail += ` mtime=${stats.mtimeMs}`;
      if (stats.isSymbolicLink()) detail += ` -> ${readlinkSync(path.join(dir, relPath))}`;
      if (stats.isCharacterDevice() || stats.isBlockDevice()) detail += ` rdev=${stats.rdev}`;
      if (stats.isDirectory()) walk(relPath);
      result[relPath] = detail;
    }
  };
  walk('');
  return result;
}

function listFiles(dir: string): string[] {
  const result: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const relPath = rel === '' ? name : `${rel}/${name}`;
      if (lstatSync(path.join(dir, relPath)).isDirectory()) walk(relPath);
      else result.push(relPath);
    }
  };
  walk('');
  return result;
}

/** getfattr's dump with paths relative to `dir`, so two trees compare equal. */
function xattrDump(dir: string): string {
  return execFileSync('getfattr', ['-R', '-P', '-h', '-d', '-m', '-', '-e', 'hex', '.'], {
    cwd: dir,
    encoding: 'utf8',
  });
}
