import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../../src/blobs/fs-blob-store.js';
import type { Image } from '../../../src/domain/types.js';
import { readDiskImage } from '../../../src/image/disk/disk-image-reader.js';
import { writeDiskImage } from '../../../src/image/disk/disk-image-writer.js';
import { writeLayer } from '../../../src/image/oci-layer-writer.js';
import { obtainSharedDebian12 } from '../../base-images/shared-debian-root.js';
import { tempDir } from '../../support/paths.js';
import { imageOf } from './disk-image-fixtures.js';

describe('the debian-12 base as a disk', () => {
  let root: string;
  let rootDir: string;
  let blobs: FsBlobStore;
  let image: Image;

  beforeAll(async () => {
    rootDir = (await obtainSharedDebian12()).rootDir;
    root = tempDir('debian-disk');
    blobs = new FsBlobStore(path.join(root, 'blobs'));
    image = await imageOf(blobs, [await writeLayer(rootDir, blobs)]);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(['raw', 'qcow2'] as const)('exports as %s and reads back', async (format) => {
    const started = performance.now();
    const disk = await writeDiskImage(blobs, image, {
      format,
      outputFile: path.join(root, `debian.${format}`),
      workDir: path.join(root, 'work'),
    });
    const seconds = (performance.now() - started) / 1000;
    const allocated = statSync(disk.file).blocks * 512;
    console.info(
      `debian-12 ${format}: ${seconds.toFixed(1)} s, file ${disk.fileBytes} bytes ` +
        `(${allocated} allocated), virtual ${disk.virtualBytes} bytes`,
    );
    if (format === 'qcow2') execFileSync('qemu-img', ['check', '-f', 'qcow2', disk.file]);

    const target = path.join(root, `read-${format}`);
    await readDiskImage(disk.file, target, { workDir: path.join(root, 'work') });
    for (const file of ['etc/os-release', 'usr/bin/dpkg']) {
      const original = lstatSync(path.join(rootDir, file));
      const read = lstatSync(path.join(target, file));
      expect(readFileSync(path.join(target, file))).toEqual(readFileSync(path.join(rootDir, file)));
      expect([read.mode, read.uid, read.gid]).toEqual([original.mode, original.uid, original.gid]);
    }
    expect(readFileSync(path.join(target, 'etc/os-release'), 'utf8')).toMatch(/VERSION_ID="12"/);
    rmSync(target, { recursive: true, force: true });
    rmSync(disk.file);
  });
});
