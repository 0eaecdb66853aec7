import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FsBlobStore } from '../../../src/blobs/fs-blob-store.js';
import type { Image, ImageLayer } from '../../../src/domain/types.js';
import { imageIdFromManifestDigest, writeImage } from '../../../src/image/oci-image-writer.js';
import { writeLayer } from '../../../src/image/oci-layer-writer.js';

export const CREATED = '2024-03-04T05:06:07Z';

/** An Image record of `layers`, written (config and manifest) into `blobs`. */
export async function imageOf(
  blobs: FsBlobStore,
  layers: ImageLayer[],
  accountId = '100000000001',
): Promise<Image> {
  const written = await writeImage(
    {
      layers,
      created: CREATED,
      history: layers.map((_, i) => ({ created: CREATED, createdBy: `layer ${i}` })),
      labels: {},
      architecture: 'amd64',
      os: 'linux',
    },
    blobs,
  );
  return {
    id: imageIdFromManifestDigest(written.manifestDigest),
    accountId,
    kind: 'private',
    osVersion: 'debian-12',
    manifestDigest: written.manifestDigest,
    configDigest: written.configDigest,
    layers,
    parentImageId: null,
    sbomDigest: null,
    scanReportDigest: null,
    createdAt: CREATED,
  };
}

/**
 * A two-layer image: the base has os-release, a file to delete, a 0755 tool, a file owned by
 * uid 1000 and a symlink; the upper layer deletes the file (an overlayfs whiteout) and adds one.
 */
export async function writeSmallImage(blobs: FsBlobStore, dir: string): Promise<Image> {
  const base = path.join(dir, 'base');
  mkdirSync(path.join(base, 'etc'), { recursive: true });
  mkdirSync(path.join(base, 'usr/bin'), { recursive: true });
  mkdirSync(path.join(base, 'home/app'), { recursive: true });
  writeFileSync(path.join(base, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
  writeFileSync(path.join(base, 'etc/motd'), 'to be deleted\n');
  writeFileSync(path.join(base, 'usr/bin/tool'), '#!/bin/sh\necho tool\n', { mode: 0o755 });
  writeFileSync(path.join(base, 'home/app/notes.txt'), 'owned by 1000\n', { mode: 0o640 });
  chownSync(path.join(base, 'home/app/notes.txt'), 1000, 1000);
  chownSync(path.join(base, 'home/app'), 1000, 1000);
  symlinkSync('../usr/bin/tool', path.join(base, 'etc/tool-link'));
  const upper = path.join(dir, 'upper');
  mkdirSync(path.join(upper, 'etc'), { recursive: true });
  mkdirSync(path.join(upper, 'opt'), { recursive: true });
  writeFileSync(path.join(upper, 'opt/added.txt'), 'from the second layer\n');
  execFileSync('mknod', [path.join(upper, 'etc/motd'), 'c', '0', '0']);
  const layers = [
    await writeLayer(base, blobs, { mtimeClamp: CREATED }),
    await writeLayer(upper, blobs, { overlayWhiteouts: true, mtimeClamp: CREATED }),
  ];
  return imageOf(blobs, layers);
}
