import { execFileSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/blobs/blob-store.js';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import type { ImageLayer } from '../../src/domain/types.js';
import type { JsonValue } from '../../src/image/oci-image-writer.js';
import {
  canonicalJson,
  imageIdFromManifestDigest,
  writeImage,
} from '../../src/image/oci-image-writer.js';
import { exportOciLayout, streamOciArchive } from '../../src/image/oci-layout-exporter.js';
import { writeLayer } from '../../src/image/oci-layer-writer.js';
import type { ImageSpec, WrittenImage } from '../../src/image/oci-types.js';
import { tempDir } from '../support/paths.js';

const CREATED = '2024-03-04T05:06:07Z';

describe('writeImage and the OCI layout exporter', () => {
  let root: string;
  let blobs: FsBlobStore;
  let spec: ImageSpec;
  let image: WrittenImage;
  let layers: ImageLayer[];

  beforeAll(async () => {
    root = tempDir('image-writer');
    blobs = new FsBlobStore(path.join(root, 'blobs'));
    const base = path.join(root, 'base');
    mkdirSync(path.join(base, 'etc'), { recursive: true });
    writeFileSync(path.join(base, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
    writeFileSync(path.join(base, 'etc/motd'), 'base\n');
    const upper = path.join(root, 'upper');
    mkdirSync(path.join(upper, 'opt/app'), { recursive: true });
    mkdirSync(path.join(upper, 'etc'));
    writeFileSync(path.join(upper, 'opt/app/run.sh'), '#!/bin/sh\n');
    // What overlayfs leaves when the installer deletes etc/motd.
    execFileSync('mknod', [path.join(upper, 'etc/motd'), 'c', '0', '0']);
    layers = [
      await writeLayer(base, blobs, { mtimeClamp: CREATED }),
      await writeLayer(upper, blobs, { overlayWhiteouts: true, mtimeClamp: CREATED }),
    ];
    spec = {
      layers,
      created: CREATED,
      history: [
        { created: CREATED, createdBy: 'goldsmith base debian-12' },
        { created: CREATED, createdBy: 'goldsmith label', emptyLayer: true },
        { created: CREATED, createdBy: 'goldsmith install demo.sh', comment: 'build b-1' },
      ],
      labels: { 'org.opencontainers.image.title': 'demo', 'com.example.seller': '123456789012' },
      architecture: 'amd64',
      os: 'linux',
    };
    image = await writeImage(spec, blobs);
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('writes a canonical config with diff_ids, labels and dated history', async () => {
    const config = JSON.parse(await blobText(blobs, image.configDigest)) as Record<string, unknown>;
    expect(config).toEqual({
      architecture: 'amd64',
      os: 'linux',
      created: CREATED,
      config: { Labels: spec.labels },
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
      history: [
        { created: CREATED, created_by: 'goldsmith base debian-12' },
        { created: CREATED, created_by: 'goldsmith label', empty_layer: true },
        { created: CREATED, created_by: 'goldsmith install demo.sh', comment: 'build b-1' },
      ],
    });
    const text = await blobText(blobs, image.configDigest);
    expect(text).toBe(canonicalJson(JSON.parse(text) as JsonValue));
  });

  it('writes a manifest pointing at the config and layers', async () => {
    const text = await blobText(blobs, image.manifestDigest);
    expect(Buffer.byteLength(text)).toBe(image.manifestSize);
    const manifest = JSON.parse(text) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.configDigest },
      layers: layers.map((layer) => ({
        mediaType: layer.mediaType,
        digest: layer.digest,
        size: layer.size,
      })),
      annotations: { 'org.opencontainers.image.created': CREATED },
    });
  });

  it('is deterministic and names the image after the manifest digest', async () => {
    expect(await writeImage(spec, blobs)).toEqual(image);
    const id = imageIdFromManifestDigest(image.manifestDigest);
    expect(id).toMatch(/^img-[0-9a-f]{17}$/);
    expect(id.slice(4)).toBe(image.manifestDigest.slice(7, 24));
  });

  it('refuses history that does not pair with the layers', async () => {
    const broken = { ...spec, history: spec.history.slice(0, 1) };
    await expect(writeImage(broken, blobs)).rejects.toThrow(/history/);
  });

  it('exports a layout that skopeo inspects and umoci unpacks', async () => {
    const layout = path.join(root, 'layout');
    await exportOciLayout(blobs, image.manifestDigest, layout, 'demo:1.0');
    const inspected = JSON.parse(
      execFileSync('skopeo', ['inspect', `oci:${layout}:demo:1.0`], { encoding: 'utf8' }),
    ) as { Layers: string[]; Os: string; Architecture: string; Labels: Record<string, string> };
    expect(inspected.Layers).toEqual(layers.map((layer) => layer.digest));
    expect(inspected.Os).toBe('linux');
    expect(inspected.Architecture).toBe('amd64');
    expect(inspected.Labels).toEqual(spec.labels);
    execFileSync('umoci', ['stat', '--image', `${layout}:demo:1.0`], { stdio: 'pipe' });
    const bundle = path.join(root, 'bundle');
    execFileSync('umoci', ['unpack', '--image', `${layout}:demo:1.0`, bundle], { stdio: 'pipe' });
    expect(readFileSync(path.join(bundle, 'rootfs/opt/app/run.sh'), 'utf8')).toBe('#!/bin/sh\n');
    expect(readFileSync(path.join(bundle, 'rootfs/etc/os-release'), 'utf8')).toContain('debian');
    // umoci applied our whiteout for the deleted file.
    expect(existsSync(path.join(bundle, 'rootfs/etc/motd'))).toBe(false);
  });

  it('hardlinks blobs from a store on the same filesystem and keeps other refs', async () => {
    const layout = path.join(root, 'layout-two-refs');
    await exportOciLayout(blobs, image.manifestDigest, layout, 'first');
    await exportOciLayout(blobs, image.manifestDigest, layout, 'second');
    const hex = layers[0]?.digest.slice(7) ?? '';
    const stored = await blobs.localPath(layers[0]?.digest as Digest);
    expect(lstatSync(path.join(layout, 'blobs/sha256', hex)).ino).toBe(lstatSync(stored ?? '').ino);
    const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as {
      manifests: { annotations: Record<string, string> }[];
    };
    const refs = index.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']);
    expect(refs).toEqual(['first', 'second']);
    expect(JSON.parse(readFileSync(path.join(layout, 'oci-layout'), 'utf8'))).toEqual({
      imageLayoutVersion: '1.0.0',
    });
  });

  it('streams an OCI archive that skopeo reads', async () => {
    const archive = path.join(root, 'image.tar');
    await pipeline(
      await streamOciArchive(blobs, image.manifestDigest, 'demo'),
      createWriteStream(archive),
    );
    const inspected = JSON.parse(
      execFileSync('skopeo', ['inspect', `oci-archive:${archive}:demo`], { encoding: 'utf8' }),
    ) as { Layers: string[] };
    expect(inspected.Layers).toEqual(layers.map((layer) => layer.digest));
  });

  it('refuses an invalid ref name', async () => {
    await expect(
      exportOciLayout(blobs, image.manifestDigest, path.join(root, 'bad'), 'no spaces'),
    ).rejects.toThrow(/ref name/);
  });
});

async function blobText(blobs: FsBlobStore, digest: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await blobs.get(digest as Digest)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
