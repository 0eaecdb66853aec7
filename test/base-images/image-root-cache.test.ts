import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ImageRootCache } from '../../src/base-images/image-root-cache.js';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { systemClock } from '../../src/domain/clock.js';
import type { Image } from '../../src/domain/types.js';
import { writeLayer } from '../../src/image/oci-layer-writer.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { tempDir } from '../support/paths.js';

describe('ImageRootCache', () => {
  let dir: string;
  let store: Store;
  let blobs: FsBlobStore;

  beforeEach(async () => {
    dir = tempDir('image-roots');
    store = await openSqliteStore(path.join(dir, 'goldsmith.db'));
    blobs = new FsBlobStore(path.join(dir, 'blobs'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A directory of files, as a layer. */
  async function layerOf(files: Record<string, string>) {
    const root = tempDir('layer');
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      writeFileSync(path.join(root, name), content);
    }
    return writeLayer(root, blobs);
  }

  it('applies the layers in order with their whiteouts, once, even when asked twice at once', async () => {
    const lower = await layerOf({ 'etc/marker': 'gold\n', 'opt/old/file': 'old\n' });
    // An OCI whiteout (`.wh.old`) removes the lower layer's directory.
    const upper = await layerOf({ 'opt/.wh.old': '', 'opt/new/file': 'new\n' });
    const image: Image = {
      id: 'img-0123456789abcdef0',
      accountId: '100000000001',
      kind: 'gold',
      osVersion: 'debian-12',
      manifestDigest: `sha256:${'1'.repeat(64)}`,
      configDigest: `sha256:${'2'.repeat(64)}`,
      layers: [lower, upper],
      parentImageId: null,
      sbomDigest: null,
      scanReportDigest: null,
      createdAt: new Date().toISOString(),
    };
    const lines: string[] = [];
    const cache = new ImageRootCache({
      store,
      blobs,
      clock: systemClock,
      leaseMs: 60_000,
      cacheDir: path.join(dir, 'cache'),
    });
    const [a, b] = await Promise.all([
      cache.ensure(image, (line) => lines.push(line)),
      cache.ensure(image, (line) => lines.push(line)),
    ]);
    expect(a).toBe(path.join(dir, 'cache', 'images', '1'.repeat(64), 'rootfs'));
    expect(b).toBe(a);
    expect(lines.filter((l) => l.startsWith('extracting'))).toHaveLength(1);
    expect(readFileSync(path.join(a, 'etc/marker'), 'utf8')).toBe('gold\n');
    expect(readFileSync(path.join(a, 'opt/new/file'), 'utf8')).toBe('new\n');
    expect(existsSync(path.join(a, 'opt/old'))).toBe(false);
    expect(existsSync(path.join(a, 'opt/.wh.old'))).toBe(false);
  });
});
