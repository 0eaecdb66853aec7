import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../../src/blobs/fs-blob-store.js';
import { imageIdFromManifestDigest, writeImage } from '../../../src/image/oci-image-writer.js';
import { writeLayer } from '../../../src/image/oci-layer-writer.js';
import { ScanSourceError, openScanSource } from '../../../src/scanner/targets/scan-source.js';
import type {
  LayerChanges,
  ScanSource,
  ScanSourceProblem,
} from '../../../src/scanner/targets/scan-source.js';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { tempDir } from '../../support/paths.js';
import {
  IMAGE_LABELS,
  LOWER_LAYER,
  MERGED_TREE,
  UPPER_LAYER,
  sha256,
  tarOf,
  writeDockerArchive,
  writeLayout,
} from './image-fixtures.js';

/** What the upper fixture layer changed, however it was packed. */
const UPPER_CHANGES: LayerChanges = {
  paths: [
    { relPath: 'opt/app/new.txt', size: 3, mode: 0o100644 },
    { relPath: 'usr/bin/tool', size: 10, mode: 0o100755 },
    { relPath: 'usr/bin/tool-link', size: 4, mode: 0o120777 },
  ],
  deleted: ['etc/gone.conf'],
  opaqueDirs: ['opt/app'],
};

const LOWER_CHANGES: LayerChanges = {
  paths: [
    { relPath: 'etc/gone.conf', size: 4, mode: 0o100644 },
    { relPath: 'etc/keep.conf', size: 4, mode: 0o100644 },
    { relPath: 'opt/app/old.txt', size: 3, mode: 0o100644 },
    { relPath: 'opt/app/sub/deep.txt', size: 4, mode: 0o100644 },
  ],
  deleted: [],
  opaqueDirs: [],
};

describe('openScanSource', () => {
  let dir: string;
  /** The tempDir every source gets; each test leaves it empty. */
  let scratch: string;
  let counter = 0;

  const fresh = (name: string): string => {
    counter += 1;
    return path.join(dir, `${name}-${counter}`);
  };

  beforeAll(() => {
    dir = tempDir('scan-source');
    scratch = path.join(dir, 'scratch');
    mkdirSync(scratch);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Extracts every layer onto a fresh root, lowest first. */
  async function extractAll(
    source: ScanSource,
  ): Promise<{ root: string; changes: LayerChanges[] }> {
    const root = fresh('root');
    mkdirSync(root);
    const changes: LayerChanges[] = [];
    for (const layer of source.layers) changes.push(await layer.extractOnto(root));
    return { root, changes };
  }

  async function problemOf(promise: Promise<unknown>): Promise<ScanSourceProblem> {
    const error: unknown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ScanSourceError);
    return (error as ScanSourceError).problem;
  }

  it('scans a plain directory in place, with no layers', async () => {
    const tree = fresh('tree');
    mkdirSync(path.join(tree, 'etc'), { recursive: true });
    const source = await openScanSource(tree, { tempDir: scratch });
    expect(source.target).toEqual({ kind: 'directory', name: tree });
    expect(source.layers).toEqual([]);
    expect(source.directory).toBe(path.resolve(tree));
    expect(source.labels).toEqual({});
    await source.close();
    expect(existsSync(tree)).toBe(true);
  });

  describe('a root filesystem tar', () => {
    let tree: string;

    beforeAll(() => {
      tree = fresh('rootfs');
      mkdirSync(path.join(tree, 'etc'), { recursive: true });
      mkdirSync(path.join(tree, 'bin'));
      mkdirSync(path.join(tree, 'usr/bin'), { recursive: true });
      mkdirSync(path.join(tree, 'dev'));
      writeFileSync(path.join(tree, 'etc/os-release'), 'ID=debian\n');
      // In a root filesystem a `.wh.` name is an ordinary file.
      writeFileSync(path.join(tree, 'etc/.wh.kept'), '');
      writeFileSync(path.join(tree, 'bin/sh'), '#!sh\n');
      chmodSync(path.join(tree, 'bin/sh'), 0o755);
      linkSync(path.join(tree, 'bin/sh'), path.join(tree, 'bin/sh-hard'));
      symlinkSync('../../bin/sh', path.join(tree, 'usr/bin/sh-link'));
      execFileSync('mknod', ['-m', '0666', path.join(tree, 'dev/null'), 'c', '1', '3']);
      execFileSync('mkfifo', ['-m', '0640', path.join(tree, 'dev/fifo')]);
    });

    for (const [compression, flags] of [
      ['plain', []],
      ['gzip', ['--gzip']],
      ['xz', ['--xz']],
      ['zstd', ['--zstd']],
    ] as const) {
      it(`opens a ${compression} tar of ./ entries as one layer, leaving devices out`, async () => {
        const file = fresh(`rootfs-${compression}.tar`);
        execFileSync('tar', ['-C', tree, ...flags, '-cf', file, '.']);
        expect(execFileSync('tar', ['-tf', file], { encoding: 'utf8' })).toContain('./etc/');
        const source = await openScanSource(file, { tempDir: scratch });
        expect(source.target).toEqual({ kind: 'rootfs-tar', name: file });
        expect(source.layers.map((layer) => layer.digest)).toEqual([sha256(readFileSync(file))]);
        expect(source.labels).toEqual({});
        const { root, changes } = await extractAll(source);
        expect(listTree(root)).toEqual([
          'bin/',
          'bin/sh',
          'bin/sh-hard',
          'dev/',
          'etc/',
          'etc/.wh.kept',
          'etc/os-release',
          'usr/',
          'usr/bin/',
          'usr/bin/sh-link -> ../../bin/sh',
        ]);
        expect(lstatSync(path.join(root, 'bin/sh-hard')).ino).toBe(
          lstatSync(path.join(root, 'bin/sh')).ino,
        );
        expect(changes).toEqual([
          {
            paths: [
              { relPath: 'bin/sh', size: 5, mode: 0o100755 },
              { relPath: 'bin/sh-hard', size: 5, mode: 0o100755 },
              { relPath: 'dev/fifo', size: 0, mode: 0o010640 },
              { relPath: 'dev/null', size: 0, mode: 0o020666 },
              { relPath: 'etc/.wh.kept', size: 0, mode: 0o100644 },
              { relPath: 'etc/os-release', size: 10, mode: 0o100644 },
              { relPath: 'usr/bin/sh-link', size: 12, mode: 0o120777 },
            ],
            deleted: [],
            opaqueDirs: [],
          },
        ]);
        await source.close();
        expect(readdirSync(scratch)).toEqual([]);
      });
    }

    it('refuses a ../escape entry when extracting, writing nothing', async () => {
      const base = fresh('escape');
      mkdirSync(base);
      const file = path.join(base, 'escape.tar');
      writeFileSync(
        file,
        await tarOf([
          { header: { name: './etc/', type: 'directory', mode: 0o755 } },
          { header: { name: './etc/ok', mode: 0o644 }, content: 'ok' },
          { header: { name: '../escape', mode: 0o644 }, content: 'escaped' },
        ]),
      );
      const source = await openScanSource(file, { tempDir: scratch });
      const root = path.join(base, 'root');
      mkdirSync(root);
      const [layer] = source.layers;
      const error: unknown = await layer?.extractOnto(root).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScanSourceError);
      expect((error as ScanSourceError).problem).toBe('unsafe-entry');
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toContain('../escape');
      expect(readdirSync(root)).toEqual([]);
      expect(existsSync(path.join(base, 'escape'))).toBe(false);
    });
  });

  describe('an OCI image', () => {
    it('opens a layout of two layers, applying the whiteout and the opaque directory', async () => {
      const layout = fresh('layout');
      const written = await writeLayout(layout, [LOWER_LAYER, UPPER_LAYER]);
      const source = await openScanSource(layout, { tempDir: scratch });
      expect(source.target).toEqual({
        kind: 'oci-layout',
        name: layout,
        manifestDigest: written.manifestDigest,
      });
      expect(source.labels).toEqual(IMAGE_LABELS);
      expect(source.layers.map((layer) => layer.digest)).toEqual(
        written.layers.map((layer) => layer.digest),
      );
      const { root, changes } = await extractAll(source);
      expect(listTree(root)).toEqual(MERGED_TREE);
      expect(changes).toEqual([LOWER_CHANGES, UPPER_CHANGES]);
      await source.close();
      expect(readdirSync(scratch)).toEqual([]);
    });

    for (const [title, flags] of [
      ['a tar', []],
      ['a gzip tar', ['--gzip']],
    ] as const) {
      it(`opens an OCI archive (${title}) through a temporary layout it removes on close`, async () => {
        const layout = fresh('archived-layout');
        const written = await writeLayout(layout, [LOWER_LAYER, UPPER_LAYER]);
        const file = fresh('image.oci.tar');
        execFileSync('tar', [
          '-C',
          layout,
          ...flags,
          '-cf',
          file,
          'oci-layout',
          'index.json',
          'blobs',
        ]);
        const source = await openScanSource(file, { tempDir: scratch });
        expect(source.target).toEqual({
          kind: 'oci-archive',
          name: file,
          manifestDigest: written.manifestDigest,
        });
        expect(source.labels).toEqual(IMAGE_LABELS);
        expect(readdirSync(scratch)).toHaveLength(1);
        const { root, changes } = await extractAll(source);
        expect(listTree(root)).toEqual(MERGED_TREE);
        expect(changes).toEqual([LOWER_CHANGES, UPPER_CHANGES]);
        await source.close();
        expect(readdirSync(scratch)).toEqual([]);
      });
    }

    it('opens an OCI archive that skopeo wrote', async () => {
      const layout = fresh('skopeo-layout');
      await writeLayout(layout, [LOWER_LAYER, UPPER_LAYER], {
        indexManifests: (manifest) => [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            ...manifest,
            annotations: { 'org.opencontainers.image.ref.name': 'latest' },
          },
        ],
      });
      const file = fresh('skopeo.oci.tar');
      execFileSync('skopeo', [
        '--insecure-policy',
        'copy',
        '--quiet',
        `oci:${layout}:latest`,
        `oci-archive:${file}:latest`,
      ]);
      const source = await openScanSource(file, { tempDir: scratch });
      expect(source.target.kind).toBe('oci-archive');
      expect(source.labels).toEqual(IMAGE_LABELS);
      const { root } = await extractAll(source);
      expect(listTree(root)).toEqual(MERGED_TREE);
      await source.close();
      expect(readdirSync(scratch)).toEqual([]);
    });

    it('picks the linux/amd64 manifest of a nested index', async () => {
      const layout = fresh('multi-platform');
      const written = await writeLayout(layout, [LOWER_LAYER, UPPER_LAYER], {
        indexManifests: (manifest) => [
          platformEntry(manifest, 'arm64'),
          platformEntry(manifest, 'amd64'),
        ],
      });
      // Move those entries into a nested index, as `docker buildx` writes it.
      const nested = readFileSync(path.join(layout, 'index.json'));
      const nestedDigest = sha256(nested);
      writeFileSync(path.join(layout, 'blobs/sha256', nestedDigest.slice(7)), nested);
      writeFileSync(
        path.join(layout, 'index.json'),
        JSON.stringify({
          schemaVersion: 2,
          manifests: [
            {
              mediaType: 'application/vnd.oci.image.index.v1+json',
              digest: nestedDigest,
              size: nested.length,
            },
          ],
        }),
      );
      const source = await openScanSource(layout, { tempDir: scratch });
      expect(source.target.manifestDigest).toBe(written.manifestDigest);
      await source.close();
    });

    it('refuses an index with several manifests and none (or two) for linux/amd64', async () => {
      const layout = fresh('ambiguous');
      await writeLayout(layout, [LOWER_LAYER], {
        indexManifests: (manifest) => [
          platformEntry(manifest, 'arm64'),
          platformEntry(manifest, 's390x'),
        ],
      });
      const error: unknown = await openScanSource(layout, { tempDir: scratch }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ScanSourceError);
      expect((error as ScanSourceError).problem).toBe('ambiguous-index');
      expect((error as Error).message).toMatch(/linux\/arm64.*linux\/s390x/);
      expect((error as Error).message).toContain(layout);
    });

    it('refuses a layer of a media type it cannot extract', async () => {
      const layout = fresh('foreign-media');
      await writeLayout(layout, [LOWER_LAYER], {
        layerMediaType: 'application/vnd.example.layer.v1+squashfs',
      });
      expect(await problemOf(openScanSource(layout, { tempDir: scratch }))).toBe(
        'unsupported-media-type',
      );
    });

    it('refuses a layer blob whose digest does not match, before writing anything', async () => {
      const layout = fresh('corrupt-layout');
      const written = await writeLayout(layout, [LOWER_LAYER, UPPER_LAYER]);
      corruptBlob(layout, written.layers[1]?.digest ?? '');
      const source = await openScanSource(layout, { tempDir: scratch });
      const root = fresh('root');
      mkdirSync(root);
      await source.layers[0]?.extractOnto(root);
      const before = listTree(root);
      const error: unknown = await source.layers[1]?.extractOnto(root).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScanSourceError);
      expect((error as ScanSourceError).problem).toBe('digest-mismatch');
      expect((error as Error).message).toContain(written.layers[1]?.digest);
      expect(listTree(root)).toEqual(before);
    });

    it('calls a large corrupt layer a digest mismatch, though it fails to decompress first', async () => {
      const layout = fresh('corrupt-large');
      const written = await writeLayout(layout, [
        {
          compression: 'gzip',
          members: [
            { header: { name: 'big', mode: 0o644 }, content: randomBytes(1 << 20).toString('hex') },
          ],
        },
      ]);
      corruptBlob(layout, written.layers[0]?.digest ?? '');
      const source = await openScanSource(layout, { tempDir: scratch });
      const root = fresh('root');
      expect(await problemOf(source.layers[0]?.extractOnto(root) ?? Promise.resolve())).toBe(
        'digest-mismatch',
      );
      expect(readdirSync(root)).toEqual([]);
    });

    it('refuses an OCI archive with a corrupt blob and leaves nothing in tempDir', async () => {
      const layout = fresh('corrupt-archive');
      const written = await writeLayout(layout, [LOWER_LAYER, UPPER_LAYER]);
      corruptBlob(layout, written.layers[0]?.digest ?? '');
      const file = fresh('corrupt.oci.tar');
      execFileSync('tar', ['-C', layout, '-cf', file, '.']);
      expect(await problemOf(openScanSource(file, { tempDir: scratch }))).toBe('digest-mismatch');
      expect(readdirSync(scratch)).toEqual([]);
    });
  });

  it('opens a docker save archive whose layer tar is a symlink', async () => {
    const file = fresh('docker-save.tar');
    const built = await writeDockerArchive(fresh('docker'), file, [LOWER_LAYER, UPPER_LAYER]);
    const source = await openScanSource(file, { tempDir: scratch });
    expect(source.target.kind).toBe('oci-archive');
    expect(source.labels).toEqual(IMAGE_LABELS);
    expect(source.layers.map((layer) => layer.digest)).toEqual(built.map((layer) => layer.diffId));
    const { root, changes } = await extractAll(source);
    expect(listTree(root)).toEqual(MERGED_TREE);
    expect(changes).toEqual([LOWER_CHANGES, UPPER_CHANGES]);
    await source.close();
    expect(readdirSync(scratch)).toEqual([]);
  });

  describe('a Goldsmith image id', () => {
    let store: Store;
    let blobs: FsBlobStore;

    beforeAll(async () => {
      store = await openSqliteStore(path.join(dir, 'store.db'));
      blobs = new FsBlobStore(path.join(dir, 'blobs'));
    });

    afterAll(async () => {
      await store.close();
    });

    it('opens the stored image with its layers and labels', async () => {
      const lower = fresh('image-lower');
      for (const file of [
        'etc/keep.conf',
        'etc/gone.conf',
        'opt/app/old.txt',
        'opt/app/sub/deep.txt',
      ]) {
        mkdirSync(path.dirname(path.join(lower, file)), { recursive: true });
        writeFileSync(path.join(lower, file), path.basename(file));
      }
      // The upper directory as overlayfs leaves it: a 0/0 device and an opaque xattr.
      const upper = fresh('image-upper');
      mkdirSync(path.join(upper, 'etc'), { recursive: true });
      mkdirSync(path.join(upper, 'opt/app'), { recursive: true });
      mkdirSync(path.join(upper, 'usr/bin'), { recursive: true });
      execFileSync('mknod', [path.join(upper, 'etc/gone.conf'), 'c', '0', '0']);
      execFileSync('setfattr', [
        '-n',
        'trusted.overlay.opaque',
        '-v',
        'y',
        path.join(upper, 'opt/app'),
      ]);
      writeFileSync(path.join(upper, 'opt/app/new.txt'), 'new');
      writeFileSync(path.join(upper, 'usr/bin/tool'), '#!/bin/sh\n', { mode: 0o755 });
      symlinkSync('tool', path.join(upper, 'usr/bin/tool-link'));
      const layers = [
        await writeLayer(lower, blobs),
        await writeLayer(upper, blobs, { overlayWhiteouts: true }),
      ];
      const created = '2026-01-02T03:04:05Z';
      const written = await writeImage(
        {
          layers,
          created,
          history: [
            { created, createdBy: 'base' },
            { created, createdBy: 'installer' },
          ],
          labels: IMAGE_LABELS,
          architecture: 'amd64',
          os: 'linux',
        },
        blobs,
      );
      const imageId = imageIdFromManifestDigest(written.manifestDigest);
      await store.images.insert({
        id: imageId,
        accountId: '123456789012',
        kind: 'test',
        osVersion: 'debian-12',
        manifestDigest: written.manifestDigest,
        configDigest: written.configDigest,
        layers,
        parentImageId: null,
        sbomDigest: null,
        scanReportDigest: null,
        createdAt: created,
      });
      const source = await openScanSource(imageId, { tempDir: scratch, images: { store, blobs } });
      expect(source.target).toEqual({
        kind: 'image',
        name: imageId,
        imageId,
        manifestDigest: written.manifestDigest,
      });
      expect(source.labels).toEqual(IMAGE_LABELS);
      expect(source.layers.map((layer) => layer.digest)).toEqual(layers.map((l) => l.digest));
      const { root, changes } = await extractAll(source);
      expect(listTree(root)).toEqual(MERGED_TREE);
      expect(changes[1]).toEqual(UPPER_CHANGES);
      await source.close();
    });

    it('refuses an unknown image id, and any image id without a store', async () => {
      const imageId = `img-${'0'.repeat(17)}`;
      expect(
        await problemOf(openScanSource(imageId, { tempDir: scratch, images: { store, blobs } })),
      ).toBe('image-not-found');
      expect(await problemOf(openScanSource(imageId, { tempDir: scratch }))).toBe('no-image-store');
    });
  });

  describe('refuses', () => {
    it('a path that does not exist', async () => {
      const missing = path.join(dir, 'no-such-file.tar');
      const error: unknown = await openScanSource(missing, { tempDir: scratch }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ScanSourceError);
      expect((error as ScanSourceError).problem).toBe('not-found');
      expect((error as Error).message).toContain(missing);
    });

    for (const [title, bytes] of [
      ['random bytes', randomBytes(4096)],
      ['a short text file', Buffer.from('just some text\n')],
      ['an empty file', Buffer.alloc(0)],
      ['gzip-compressed random bytes', execFileSync('gzip', ['-c'], { input: randomBytes(4096) })],
      [
        'a truncated zstd frame',
        execFileSync('zstd', ['-q', '-c'], { input: randomBytes(4096) }).subarray(0, 100),
      ],
    ] as const) {
      it(`${title}, as not a tar`, async () => {
        const file = fresh('not-a-tar');
        writeFileSync(file, bytes);
        expect(await problemOf(openScanSource(file, { tempDir: scratch }))).toBe('not-a-tar');
        expect(readdirSync(scratch)).toEqual([]);
      });
    }
  });
});

function platformEntry(manifest: { digest: string; size: number }, architecture: string): unknown {
  return {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    ...manifest,
    platform: { os: 'linux', architecture },
  };
}

/** Flips the bytes of a blob, keeping its size. */
function corruptBlob(layout: string, digest: string): void {
  const file = path.join(layout, 'blobs/sha256', digest.slice('sha256:'.length));
  const bytes = readFileSync(file);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = (bytes[i] ?? 0) ^ 0xff;
  writeFileSync(file, bytes);
}

/** Every path under `dir`, sorted: directories with a trailing `/`, symlinks with their target. */
function listTree(dir: string): string[] {
  const result: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const relPath = rel === '' ? name : `${rel}/${name}`;
      const stats = lstatSync(path.join(dir, relPath));
      if (stats.isDirectory()) {
        result.push(`${relPath}/`);
        walk(relPath);
      } else if (stats.isSymbolicLink()) {
        result.push(`${relPath} -> ${readlinkSync(path.join(dir, relPath))}`);
      } else {
        result.push(relPath);
      }
    }
  };
  walk('');
  return result;
}
