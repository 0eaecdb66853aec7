import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FsBlobStore } from '../../../src/blobs/fs-blob-store.js';
import {
  GoldImageService,
  type GoldImageServiceOptions,
} from '../../../src/domain/gold-images/gold-image-service.js';
import type { Account, Image } from '../../../src/domain/types.js';
import { DomainError } from '../../../src/errors/domain-error.js';
import { writeDiskImage } from '../../../src/image/disk/disk-image-writer.js';
import { extractLayer } from '../../../src/image/oci-layer-extractor.js';
import { writeLayer } from '../../../src/image/oci-layer-writer.js';
import { openScanSource } from '../../../src/scanner/targets/scan-source.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/store.js';
import { tempDir } from '../../support/paths.js';
import {
  tarOf,
  writeDockerArchive,
  writeLayout,
  type TarMember,
} from '../../scanner/targets/image-fixtures.js';
import { DEBIAN_12_OS_RELEASE, ROOT_FILES, tarRoot, writeRootDir } from './gold-image-fixtures.js';
import { imageOf } from '../../image/disk/disk-image-fixtures.js';

const BUYER: Account = { id: '100000000001', name: 'Buyer', roles: ['buyer'], createdAt: '' };
const OTHER: Account = { id: '100000000002', name: 'Other', roles: ['buyer'], createdAt: '' };
const clock = { now: () => new Date('2026-11-27T10:00:00.000Z') };

/** The members of the fixture root as tar-stream entries, for archives written by hand. */
function rootMembers(osRelease = DEBIAN_12_OS_RELEASE): TarMember[] {
  const members: TarMember[] = [];
  for (const dir of ['etc/', 'usr/', 'usr/bin/', 'usr/lib/', 'opt/', 'opt/app/']) {
    members.push({ header: { name: dir, type: 'directory', mode: 0o755 } });
  }
  for (const [name, content] of Object.entries(ROOT_FILES)) {
    const text = name === 'usr/lib/os-release' ? osRelease : content;
    members.push({ header: { name, mode: 0o644 }, content: text });
  }
  members.push({
    header: { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
  });
  return members;
}

describe('GoldImageService', () => {
  let store: Store;
  let blobDir: string;
  let stagingDir: string;
  let work: string;
  let service: GoldImageService;

  function makeService(overrides: Partial<GoldImageServiceOptions> = {}): GoldImageService {
    return new GoldImageService(store, new FsBlobStore(blobDir), clock, {
      stagingDir,
      maxUploadBytes: 64 * 1024 * 1024,
      maxExtractedBytes: 64 * 1024 * 1024,
      ...overrides,
    });
  }

  beforeEach(async () => {
    const dir = tempDir('gold-service');
    store = await openStore(`sqlite:${path.join(dir, 'db.sqlite')}`);
    blobDir = path.join(dir, 'blobs');
    stagingDir = path.join(dir, 'staging');
    work = path.join(dir, 'work');
    mkdirSync(work);
    service = makeService();
  });
  afterEach(async () => store.close());

  async function importFile(file: string, account = BUYER, name?: string) {
    return service.import(account, {
      fileName: path.basename(file),
      ...(name === undefined ? {} : { name }),
      data: { kind: 'file', path: file },
    });
  }

  async function expectRefused(file: string, code: string, message?: RegExp): Promise<void> {
    const error = await importFile(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    if (message !== undefined) expect((error as DomainError).message).toMatch(message);
    expect(readdirSync(stagingDir)).toEqual([]);
    expect(await store.images.listByKind(null, 'gold')).toEqual([]);
  }

  /** Extracts the stored image's layers into a fresh directory. */
  async function extractImage(image: Image): Promise<string> {
    const source = await openScanSource(image.id, {
      tempDir: work,
      images: { store, blobs: new FsBlobStore(blobDir) },
    });
    const root = tempDir('gold-extracted');
    for (const layer of source.layers) await layer.extractOnto(root);
    await source.close();
    return root;
  }

  it.each([
    ['plain', 'rootfs.tar', undefined],
    ['gzip', 'rootfs.tar.gz', '-z'],
    ['zstd', 'rootfs.tar.zst', '--zstd'],
    ['xz', 'rootfs.tar.xz', '--xz'],
  ])('imports a %s root filesystem tar as one gold layer', async (_kind, name, compress) => {
    const file = tarRoot(writeRootDir(), path.join(work, name), compress);
    const view = await importFile(file, BUYER, 'my gold');
    expect(view).toMatchObject({
      name: 'my gold',
      kind: 'gold',
      osVersion: 'debian-12',
      owner: 'self',
      createdAt: '2026-11-27T10:00:00.000Z',
    });
    const image = await store.images.get(BUYER.id, view.id);
    expect(image).toMatchObject({ kind: 'gold', accountId: BUYER.id, osVersion: 'debian-12' });
    expect(image?.layers).toHaveLength(1);
    expect(readdirSync(stagingDir)).toEqual([]);

    const root = await extractImage(image as Image);
    for (const [relPath, content] of Object.entries(ROOT_FILES)) {
      expect(readFileSync(path.join(root, relPath), 'utf8')).toBe(content);
    }
    expect(readlinkSync(path.join(root, 'etc/os-release'))).toBe('../usr/lib/os-release');
    expect(readlinkSync(path.join(root, 'usr/bin/tool-link'))).toBe('tool');

    const source = await openScanSource(view.id, {
      tempDir: work,
      images: { store, blobs: new FsBlobStore(blobDir) },
    });
    expect(source.labels).toMatchObject({
      'org.goldsmith.image-kind': 'gold',
      'org.goldsmith.os-version': 'debian-12',
    });
    await source.close();
  });

  it('imports an OCI archive and a multi-layer image flattened to one layer', async () => {
    const layout = path.join(work, 'layout');
    await writeLayout(layout, [
      { compression: 'gzip', members: rootMembers() },
      {
        compression: 'zstd',
        members: [{ header: { name: 'opt/app/more.txt', mode: 0o644 }, content: 'more' }],
      },
    ]);
    const archive = path.join(work, 'image.oci.tar');
    execFileSync('tar', ['-C', layout, '-cf', archive, '.']);
    const view = await importFile(archive);
    expect(view).toMatchObject({ kind: 'gold', osVersion: 'debian-12', name: 'image.oci.tar' });
    const image = (await store.images.get(BUYER.id, view.id)) as Image;
    expect(image.layers).toHaveLength(1);
    const root = await extractImage(image);
    expect(readFileSync(path.join(root, 'opt/app/more.txt'), 'utf8')).toBe('more');
    expect(readFileSync(path.join(root, 'etc/hostname'), 'utf8')).toBe('gold\n');
  });

  it('imports a docker save archive', async () => {
    const archive = path.join(work, 'docker.tar');
    await writeDockerArchive(work, archive, [{ compression: 'none', members: rootMembers() }]);
    const view = await importFile(archive);
    expect(view).toMatchObject({ kind: 'gold', osVersion: 'debian-12' });
    const root = await extractImage((await store.images.get(BUYER.id, view.id)) as Image);
    expect(readFileSync(path.join(root, 'usr/bin/tool'), 'utf8')).toBe(ROOT_FILES['usr/bin/tool']);
  });

  it('names a Debian-like OS outside the catalog by its os-release id and version', async () => {
    const osRelease = 'ID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\nPRETTY_NAME="Ubuntu 24.04"\n';
    const file = tarRoot(writeRootDir(osRelease), path.join(work, 'ubuntu.tar'));
    expect((await importFile(file)).osVersion).toBe('ubuntu-24.04');
  });

  it('refuses an archive with a ../ entry and leaves nothing behind', async () => {
    const file = path.join(work, 'evil.tar');
    writeFileSync(
      file,
      await tarOf([
        ...rootMembers(),
        { header: { name: '../escape.txt', mode: 0o644 }, content: 'x' },
      ]),
    );
    await expectRefused(file, 'GOLD_IMAGE_INVALID', /^evil\.tar: .*escape/);
  });

  it('keeps an absolute symlink as a link but refuses writing through it', async () => {
    // An absolute link target is normal in a root (/etc/localtime); it resolves inside the root.
    const linkOnly = path.join(work, 'abs-link.tar');
    writeFileSync(
      linkOnly,
      await tarOf([
        ...rootMembers(),
        { header: { name: 'etc/passwd-link', type: 'symlink', linkname: '/etc/passwd' } },
      ]),
    );
    const view = await importFile(linkOnly);
    const root = await extractImage((await store.images.get(BUYER.id, view.id)) as Image);
    expect(readlinkSync(path.join(root, 'etc/passwd-link'))).toBe('/etc/passwd');

    await store.close();
    store = await openStore(`sqlite:${path.join(tempDir('gold-service'), 'db.sqlite')}`);
    service = makeService();
    const through = path.join(work, 'through-link.tar');
    writeFileSync(
      through,
      await tarOf([
        ...rootMembers(),
        { header: { name: 'escape', type: 'symlink', linkname: '/tmp' } },
        { header: { name: 'escape/owned.txt', mode: 0o644 }, content: 'x' },
      ]),
    );
    await expectRefused(through, 'GOLD_IMAGE_INVALID');
  });

  it('refuses an image without os-release', async () => {
    const file = tarRoot(writeRootDir(null), path.join(work, 'no-os.tar'));
    await expectRefused(file, 'GOLD_IMAGE_OS_UNKNOWN');
  });

  it.each([
    ['Alpine', 'ID=alpine\nVERSION_ID=3.20.0\nPRETTY_NAME="Alpine Linux v3.20"\n', /Alpine/],
    ['Fedora', 'ID=fedora\nVERSION_ID=40\nPRETTY_NAME="Fedora Linux 40"\n', /ID=fedora/],
  ])('refuses %s as an unsupported OS, naming it', async (_name, osRelease, message) => {
    const file = tarRoot(writeRootDir(osRelease), path.join(work, 'other-os.tar'));
    await expectRefused(file, 'GOLD_IMAGE_OS_UNSUPPORTED', message);
  });

  it('refuses an arm64 OCI image', async () => {
    const layout = path.join(work, 'arm-layout');
    await writeLayout(layout, [{ compression: 'gzip', members: rootMembers() }], {
      architecture: 'arm64',
    });
    const archive = path.join(work, 'arm.oci.tar');
    execFileSync('tar', ['-C', layout, '-cf', archive, '.']);
    await expectRefused(archive, 'GOLD_IMAGE_PLATFORM_UNSUPPORTED', /linux\/arm64/);
  });

  it('refuses an upload or an extracted root over the limits', async () => {
    const file = tarRoot(writeRootDir(), path.join(work, 'rootfs.tar'));
    service = makeService({ maxUploadBytes: 1024 });
    await expectRefused(file, 'GOLD_IMAGE_TOO_LARGE', /upload limit/);
    service = makeService({ maxExtractedBytes: 10 });
    await expectRefused(file, 'GOLD_IMAGE_TOO_LARGE', /extracts to more/);
    service = makeService({ maxUploadBytes: 1024 });
    const stream = (await import('node:fs')).createReadStream(file);
    await expect(
      service.import(BUYER, { fileName: 'rootfs.tar', data: { kind: 'stream', body: stream } }),
    ).rejects.toMatchObject({ code: 'GOLD_IMAGE_TOO_LARGE' });
    expect(readdirSync(stagingDir)).toEqual([]);
  });

  it('refuses a garbage file and a damaged disk image with a clear message', async () => {
    const garbage = path.join(work, 'garbage.bin');
    writeFileSync(garbage, Buffer.alloc(4096, 7));
    await expectRefused(garbage, 'GOLD_IMAGE_INVALID', /^garbage\.bin: is not a tar/);
    const qcow2 = path.join(work, 'disk.qcow2');
    writeFileSync(
      qcow2,
      Buffer.concat([Buffer.from([0x51, 0x46, 0x49, 0xfb]), Buffer.alloc(4096)]),
    );
    await expectRefused(qcow2, 'GOLD_IMAGE_INVALID', /^disk\.qcow2: /);
    expect(readdirSync(stagingDir)).toEqual([]);
  });

  it.each(['raw', 'qcow2'] as const)(
    'imports a %s disk image (partition table, ext4) as the same files',
    async (format) => {
      // The disk Goldsmith itself exports of a one-layer image of the fixture root.
      const blobs = new FsBlobStore(blobDir);
      const layer = await writeLayer(writeRootDir(), blobs);
      const exported = await imageOf(blobs, [layer]);
      const disk = path.join(work, `gold.${format}`);
      await writeDiskImage(blobs, exported, { format, outputFile: disk, workDir: work });

      // The smallest disk holds 64 MiB of slack: the default limits of this suite are too small.
      service = makeService({
        maxUploadBytes: 256 * 1024 ** 2,
        maxExtractedBytes: 256 * 1024 ** 2,
      });
      const imported = await importFile(disk);
      expect(imported).toMatchObject({ kind: 'gold', osVersion: 'debian-12' });
      const stored = (await store.images.get(BUYER.id, imported.id))!;
      const back = path.join(work, 'back');
      mkdirSync(back);
      for (const l of stored.layers) await extractLayer(blobs, l, back);
      for (const [relPath, content] of Object.entries(ROOT_FILES)) {
        expect(readFileSync(path.join(back, relPath), 'utf8')).toBe(content);
      }
      expect(readlinkSync(path.join(back, 'etc/os-release'))).toBe('../usr/lib/os-release');
      expect(readdirSync(stagingDir)).toEqual([]);
    },
  );

  it('lists own gold images and shared base images; another buyer sees neither gold image', async () => {
    const file = tarRoot(writeRootDir(), path.join(work, 'rootfs.tar'));
    const mine = await importFile(file);
    const base: Image = {
      id: 'img-0000000000000base',
      accountId: '100000000009',
      kind: 'base',
      osVersion: 'debian-12',
      manifestDigest: `sha256:${'1'.repeat(64)}`,
      configDigest: `sha256:${'2'.repeat(64)}`,
      layers: [],
      parentImageId: null,
      sbomDigest: null,
      scanReportDigest: null,
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    await store.images.insert(base);

    const listed = await service.list(BUYER);
    expect(listed.map((i) => [i.id, i.owner, i.name])).toEqual([
      [mine.id, 'self', 'rootfs.tar'],
      [base.id, 'shared', 'Debian 12 (bookworm)'],
    ]);
    expect((await service.list(OTHER)).map((i) => i.id)).toEqual([base.id]);
    await expect(service.get(OTHER, mine.id)).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
    expect(await service.get(OTHER, base.id)).toMatchObject({ owner: 'shared' });
    expect(await service.get(BUYER, mine.id)).toMatchObject({ owner: 'self', name: 'rootfs.tar' });
  });
});
