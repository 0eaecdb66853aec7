import { readdirSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient } from '../../src/cli/api-client.js';
import type { GoldImageView } from '../../src/domain/gold-images/gold-image-service.js';
import {
  apiErrorOf,
  startHarness,
  writeTempFile,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { tempDir } from '../support/paths.js';
import { tarRoot, writeRootDir } from '../domain/gold-images/gold-image-fixtures.js';

describe('gold images over HTTP', () => {
  let harness: Harness;
  let buyer: TestAccount;
  let otherBuyer: TestAccount;
  let seller: TestAccount;
  let rootfs: string;
  const baseId = 'img-00000000000000ba5';

  beforeAll(async () => {
    harness = await startHarness({ workers: 0 });
    buyer = await harness.createAccount('Buyer One', ['buyer']);
    otherBuyer = await harness.createAccount('Buyer Two', ['buyer']);
    seller = await harness.createAccount('Seller', ['seller']);
    rootfs = tarRoot(writeRootDir(), path.join(tempDir('gold-http'), 'rootfs.tar.zst'), '--zstd');
    await harness.server.store.images.insert({
      id: baseId,
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
    });
  });
  afterAll(async () => harness?.stop());

  const upload = (client: ApiClient, file: string, name?: string) =>
    client.uploadFile<GoldImageView>(
      'POST',
      `/v1/gold-images?fileName=${encodeURIComponent(path.basename(file))}` +
        (name === undefined ? '' : `&name=${encodeURIComponent(name)}`),
      file,
    );

  it('describes the routes in /openapi.json', async () => {
    const doc = await new ApiClient(harness.url, undefined).request<{
      paths: Record<string, unknown>;
    }>('GET', '/openapi.json');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/gold-images', '/v1/gold-images/{imageId}']),
    );
  });

  it('imports a root filesystem tar, lists it with the shared base image, hides it from others', async () => {
    const created = await upload(buyer.client, rootfs, 'web gold');
    expect(created).toMatchObject({
      name: 'web gold',
      kind: 'gold',
      osVersion: 'debian-12',
      owner: 'self',
    });
    expect(created.id).toMatch(/^img-[0-9a-f]{17}$/);
    expect(await buyer.client.request('GET', `/v1/gold-images/${created.id}`)).toEqual(created);

    const { images } = await buyer.client.request<{ images: GoldImageView[] }>(
      'GET',
      '/v1/gold-images',
    );
    expect(images.map((i) => [i.id, i.owner])).toEqual([
      [created.id, 'self'],
      [baseId, 'shared'],
    ]);

    expect(
      await apiErrorOf(otherBuyer.client.request('GET', `/v1/gold-images/${created.id}`)),
    ).toEqual({ status: 404, code: 'IMAGE_NOT_FOUND' });
    const others = await otherBuyer.client.request<{ images: GoldImageView[] }>(
      'GET',
      '/v1/gold-images',
    );
    expect(others.images.map((i) => i.id)).toEqual([baseId]);
  });

  it('refuses a bad archive with a clear code, leaving nothing in staging', async () => {
    const garbage = await writeTempFile('garbage.tar', Buffer.alloc(2048, 9));
    const error = await upload(buyer.client, garbage).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, code: 'GOLD_IMAGE_INVALID' });
    expect((error as Error).message).toContain('garbage.tar');
    expect(readdirSync(path.join(harness.dataDir, 'staging'))).toEqual([]);
  });

  it('needs the buyer role', async () => {
    expect(await apiErrorOf(upload(seller.client, rootfs))).toEqual({
      status: 403,
      code: 'FORBIDDEN_ROLE',
    });
  });
});
