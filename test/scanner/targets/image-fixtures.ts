import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import type { Header } from 'tar-stream';

/** One tar member, said exactly as an attacker (or an image builder) would. */
export interface TarMember {
  readonly header: Partial<Header> & Pick<Header, 'name'>;
  readonly content?: string;
}

/** An image layer as the fixtures describe it. */
export interface FixtureLayer {
  readonly members: readonly TarMember[];
  readonly compression: 'none' | 'gzip' | 'zstd';
}

export interface BuiltLayer {
  readonly mediaType: string;
  readonly digest: string;
  readonly diffId: string;
  readonly size: number;
  readonly blob: Buffer;
  readonly tar: Buffer;
}

/** The lowest layer: files the upper layer deletes, hides and keeps. */
export const LOWER_LAYER: FixtureLayer = {
  compression: 'gzip',
  members: [
    { header: { name: 'etc/', type: 'directory', mode: 0o755 } },
    { header: { name: 'etc/keep.conf', mode: 0o644 }, content: 'keep' },
    { header: { name: 'etc/gone.conf', mode: 0o644 }, content: 'gone' },
    { header: { name: 'opt/', type: 'directory', mode: 0o755 } },
    { header: { name: 'opt/app/', type: 'directory', mode: 0o755 } },
    { header: { name: 'opt/app/old.txt', mode: 0o644 }, content: 'old' },
    { header: { name: 'opt/app/sub/', type: 'directory', mode: 0o755 } },
    { header: { name: 'opt/app/sub/deep.txt', mode: 0o644 }, content: 'deep' },
  ],
};

/** The upper layer: a whiteout, an opaque directory, a new file and a symlink. */
export const UPPER_LAYER: FixtureLayer = {
  compression: 'zstd',
  members: [
    { header: { name: 'etc/', type: 'directory', mode: 0o755 } },
    { header: { name: 'etc/.wh.gone.conf', mode: 0o644 }, content: '' },
    { header: { name: 'opt/', type: 'directory', mode: 0o755 } },
    { header: { name: 'opt/app/', type: 'directory', mode: 0o755 } },
    { header: { name: 'opt/app/.wh..wh..opq', mode: 0o644 }, content: '' },
    { header: { name: 'opt/app/new.txt', mode: 0o644 }, content: 'new' },
    { header: { name: 'usr/', type: 'directory', mode: 0o755 } },
    { header: { name: 'usr/bin/', type: 'directory', mode: 0o755 } },
    { header: { name: 'usr/bin/tool', mode: 0o755 }, content: '#!/bin/sh\n' },
    { header: { name: 'usr/bin/tool-link', type: 'symlink', linkname: 'tool' } },
  ],
};

/** What the two layers leave, as `listTree` reports it. */
export const MERGED_TREE = [
  'etc/',
  'etc/keep.conf',
  'opt/',
  'opt/app/',
  'opt/app/new.txt',
  'usr/',
  'usr/bin/',
  'usr/bin/tool',
  'usr/bin/tool-link -> tool',
];

export const IMAGE_LABELS = { 'org.goldsmith.image-kind': 'test', 'org.example.team': 'scanner' };

const MEDIA_TYPES = {
  none: 'application/vnd.oci.image.layer.v1.tar',
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
} as const;

/** The bytes of a tar holding `members`, made with tar-stream. */
export async function tarOf(members: readonly TarMember[]): Promise<Buffer> {
  const archive = tarPack();
  for (const { header, content } of members) {
    const withTime = { ...header, mtime: new Date(0) };
    if (content === undefined) archive.entry(withTime);
    else archive.entry(withTime, content);
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function buildLayer(layer: FixtureLayer): Promise<BuiltLayer> {
  const tar = await tarOf(layer.members);
  const blob =
    layer.compression === 'gzip'
      ? gzipSync(tar)
      : layer.compression === 'zstd'
        ? execFileSync('zstd', ['-q', '-c'], { input: tar })
        : tar;
  return {
    mediaType: MEDIA_TYPES[layer.compression],
    digest: sha256(blob),
    diffId: sha256(tar),
    size: blob.length,
    blob,
    tar,
  };
}

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export interface LayoutOptions {
  /** A media type to give every layer instead of the one its compression implies. */
  readonly layerMediaType?: string;
  /** Entries of index.json instead of the one manifest. */
  readonly indexManifests?: (manifest: { digest: string; size: number }) => unknown[];
  /** The config's architecture; amd64 unless given. */
  readonly architecture?: string;
}

/**
 * Writes an OCI image layout of `layers` (config with labels and diff ids, manifest, index) into
 * `dir`; returns the manifest's digest and the built layers.
 */
export async function writeLayout(
  dir: string,
  layers: readonly FixtureLayer[],
  options: LayoutOptions = {},
): Promise<{ manifestDigest: string; layers: BuiltLayer[] }> {
  const built = await Promise.all(layers.map((layer) => buildLayer(layer)));
  mkdirSync(path.join(dir, 'blobs/sha256'), { recursive: true });
  const putBlob = (bytes: Buffer | string): { digest: string; size: number } => {
    const digest = sha256(bytes);
    writeFileSync(path.join(dir, 'blobs/sha256', digest.slice('sha256:'.length)), bytes);
    return { digest, size: Buffer.byteLength(bytes) };
  };
  for (const layer of built) putBlob(layer.blob);
  const config = putBlob(
    JSON.stringify({
      architecture: options.architecture ?? 'amd64',
      os: 'linux',
      config: { Labels: IMAGE_LABELS },
      rootfs: { type: 'layers', diff_ids: built.map((layer) => layer.diffId) },
    }),
  );
  const manifest = putBlob(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: built.map(({ mediaType, digest, size }) => ({
        mediaType: options.layerMediaType ?? mediaType,
        digest,
        size,
      })),
    }),
  );
  const entries = options.indexManifests?.(manifest) ?? [
    { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest },
  ];
  writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: entries }),
  );
  return { manifestDigest: manifest.digest, layers: built };
}

/**
 * Writes a `docker save` archive (legacy layout: `<id>/layer.tar`, `<config>.json`,
 * `manifest.json`) of `layers` to `file`; the second layer's tar is a symlink, as Docker
 * writes for a layer it already saved.
 */
export async function writeDockerArchive(
  workDir: string,
  file: string,
  layers: readonly FixtureLayer[],
): Promise<BuiltLayer[]> {
  const built = await Promise.all(
    layers.map((layer) => buildLayer({ ...layer, compression: 'none' })),
  );
  const dir = path.join(workDir, 'docker-archive-tree');
  const shared = 'f'.repeat(64);
  mkdirSync(path.join(dir, shared), { recursive: true });
  const layerNames: string[] = [];
  for (const [i, layer] of built.entries()) {
    const id = `${i}`.repeat(64);
    mkdirSync(path.join(dir, id));
    if (i === 1) {
      writeFileSync(path.join(dir, shared, 'layer.tar'), layer.tar);
      symlinkSync(`../${shared}/layer.tar`, path.join(dir, id, 'layer.tar'));
    } else {
      writeFileSync(path.join(dir, id, 'layer.tar'), layer.tar);
    }
    writeFileSync(path.join(dir, id, 'VERSION'), '1.0');
    layerNames.push(`${id}/layer.tar`);
  }
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Labels: IMAGE_LABELS },
    rootfs: { type: 'layers', diff_ids: built.map((layer) => layer.diffId) },
  });
  const configName = `${sha256(config).slice('sha256:'.length)}.json`;
  writeFileSync(path.join(dir, configName), config);
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify([{ Config: configName, RepoTags: ['example/app:1'], Layers: layerNames }]),
  );
  writeFileSync(path.join(dir, 'repositories'), '{}');
  execFileSync('tar', ['-C', dir, '-cf', file, '.']);
  return built;
}
