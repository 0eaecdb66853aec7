import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../../src/blobs/fs-blob-store.js';
import type { Image } from '../../../src/domain/types.js';
import { DiskImageError, readDiskImage } from '../../../src/image/disk/disk-image-reader.js';
import { writeDiskImage } from '../../../src/image/disk/disk-image-writer.js';
import type { WrittenDiskImage } from '../../../src/image/disk/disk-image-writer.js';
import { extractLayer } from '../../../src/image/oci-layer-extractor.js';
import { tempDir } from '../../support/paths.js';
import { writeSmallImage } from './disk-image-fixtures.js';

/** Every entry under `root` but the root itself: type, mode, owner, and content or target. */
function snapshotTree(root: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const relPath = rel === '' ? name : `${rel}/${name}`;
      const file = path.join(root, relPath);
      const stats = lstatSync(file);
      const head = `${(stats.mode & 0o170000).toString(8)} ${(stats.mode & 0o7777).toString(8)} ${stats.uid}:${stats.gid}`;
      if (stats.isDirectory()) {
        result[relPath] = head;
        walk(relPath);
      } else if (stats.isSymbolicLink()) {
        result[relPath] = `${head} -> ${readlinkSync(file)}`;
      } else {
        const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
        result[relPath] = `${head} ${hash}`;
      }
    }
  };
  walk('');
  return result;
}

const json = (command: string, args: string[]): Record<string, unknown> =>
  JSON.parse(execFileSync(command, args, { encoding: 'utf8' })) as Record<string, unknown>;

describe('disk images of an image', () => {
  let root: string;
  let blobs: FsBlobStore;
  let image: Image;
  let expected: Record<string, string>;
  const uuids = new Set<string | undefined>();
  const disks: Partial<Record<'raw' | 'qcow2', WrittenDiskImage>> = {};

  beforeAll(async () => {
    root = tempDir('disk-image');
    blobs = new FsBlobStore(path.join(root, 'blobs'));
    image = await writeSmallImage(blobs, path.join(root, 'src'));
    const reference = path.join(root, 'reference');
    for (const layer of image.layers) {
      await extractLayer(blobs, layer, reference, { applyWhiteouts: true });
    }
    expected = snapshotTree(reference);
    for (const format of ['raw', 'qcow2'] as const) {
      disks[format] = await writeDiskImage(blobs, image, {
        format,
        outputFile: path.join(root, `disk.${format}`),
        workDir: path.join(root, 'work'),
      });
    }
  });
  afterAll(() => execFileSync('rm', ['-rf', root]));

  it('the reference tree is what the layers say', () => {
    expect(expected).toMatchObject({
      'etc/tool-link': '120000 777 0:0 -> ../usr/bin/tool',
      'home/app/notes.txt': expect.stringMatching(/^100000 640 1000:1000 /) as string,
      'usr/bin/tool': expect.stringMatching(/^100000 755 0:0 /) as string,
      'opt/added.txt': expect.stringMatching(/^100000 644 0:0 /) as string,
    });
    expect(expected['etc/motd']).toBeUndefined();
  });

  it.each(['raw', 'qcow2'] as const)('%s: one partition at 1 MiB, a clean ext4', (format) => {
    const disk = disks[format];
    if (disk === undefined) throw new Error('no disk');
    expect(readdirSync(path.join(root, 'work'))).toEqual([]);
    expect(readdirSync(root).filter((name) => name.endsWith('.partial'))).toEqual([]);
    const info = json('qemu-img', ['info', '--output=json', disk.file]);
    expect(info['format']).toBe(format);
    expect(info['virtual-size']).toBe(disk.virtualBytes);
    if (format === 'qcow2') execFileSync('qemu-img', ['check', '-f', 'qcow2', disk.file]);
    const raw = format === 'raw' ? disk.file : path.join(root, 'check.raw');
    if (format === 'qcow2') {
      execFileSync('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', disk.file, raw]);
    }
    const table = json('sfdisk', ['--json', raw])['partitiontable'] as {
      label: string;
      partitions: { start: number; size: number; type: string }[];
    };
    expect(table.label).toBe('dos');
    expect(table.partitions).toEqual([
      { node: `${raw}1`, start: 2048, size: disk.partitionBytes / 512, type: '83' },
    ]);
    execFileSync('e2fsck', ['-fn', `${raw}?offset=${1024 * 1024}`], { stdio: 'pipe' });
    const dumpe2fs = execFileSync('dumpe2fs', ['-h', `${raw}?offset=${1024 * 1024}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(dumpe2fs).toMatch(/Filesystem volume name:\s+goldsmith-root/);
    expect(dumpe2fs).toMatch(/Filesystem features:.*extent/);
    // Ids come from the manifest digest: every export of the image has the same UUID.
    uuids.add(/Filesystem UUID:\s+(\S+)/.exec(dumpe2fs)?.[1]);
    expect(uuids.size).toBe(1);
    if (format === 'qcow2') execFileSync('rm', [raw]);
  });

  it.each(['raw', 'qcow2'] as const)('%s: reads back exactly the image’s files', async (format) => {
    const disk = disks[format];
    if (disk === undefined) throw new Error('no disk');
    const target = path.join(root, `read-${format}`);
    const read = await readDiskImage(disk.file, target, { workDir: path.join(root, 'work') });
    expect(read).toEqual({
      format,
      partitionTable: 'dos',
      partitionNumber: 1,
      partitionStart: 1024 * 1024,
      partitionBytes: disk.partitionBytes,
    });
    expect(snapshotTree(target)).toEqual(expected);
    expect(readdirSync(path.join(root, 'work'))).toEqual([]);
  });

  describe('refuses what is not a readable disk', () => {
    const refusal = async (file: string): Promise<string> => {
      const error = await readDiskImage(file, path.join(root, `t-${path.basename(file)}`)).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DiskImageError);
      return (error as Error).message;
    };

    it('garbage', async () => {
      const file = path.join(root, 'garbage.img');
      writeFileSync(file, Buffer.alloc(1024 * 1024, 0x5a));
      expect(await refusal(file)).toMatch(/no MBR or GPT partition table/);
    });

    it('a qcow2 header with garbage behind it', async () => {
      const file = path.join(root, 'garbage.qcow2');
      writeFileSync(file, Buffer.concat([Buffer.from('QFI\xfb', 'latin1'), Buffer.alloc(4096, 7)]));
      expect(await refusal(file)).toMatch(/not a readable qcow2/);
    });

    it('a qcow2 with a backing file', async () => {
      const file = path.join(root, 'backed.qcow2');
      execFileSync('qemu-img', [
        'create',
        '-f',
        'qcow2',
        '-F',
        'raw',
        '-b',
        path.join(root, 'disk.raw'),
        file,
      ]);
      expect(await refusal(file)).toMatch(/backing file/);
    });

    it('a disk without partitions', async () => {
      const file = path.join(root, 'empty-table.img');
      execFileSync('truncate', ['-s', '8M', file]);
      execFileSync('sfdisk', ['--quiet', file], { input: 'label: dos\n' });
      expect(await refusal(file)).toMatch(/no partitions/);
    });

    it('a Linux partition that is not ext4', async () => {
      const file = path.join(root, 'not-ext.img');
      execFileSync('truncate', ['-s', '8M', file]);
      execFileSync('sfdisk', ['--quiet', file], { input: 'label: dos\nstart=2048, type=83\n' });
      expect(await refusal(file)).toMatch(/no Linux partition holds an ext2\/3\/4 filesystem/);
    });

    it('a damaged filesystem', async () => {
      const file = path.join(root, 'damaged.img');
      execFileSync('cp', ['--sparse=always', path.join(root, 'disk.raw'), file]);
      // Zero the first block group's descriptors and bitmaps, after the superblock.
      execFileSync(
        'dd',
        ['if=/dev/zero', `of=${file}`, 'bs=4096', 'seek=257', 'count=16', 'conv=notrunc'],
        { stdio: 'pipe' },
      );
      expect(await refusal(file)).toMatch(/damaged \(e2fsck -fn\)/);
    });
  });
});
