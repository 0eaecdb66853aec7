import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient } from '../../src/cli/api-client.js';
import type { Image } from '../../src/domain/types.js';
import { readDiskImage } from '../../src/image/disk/disk-image-reader.js';
import {
  apiErrorOf,
  startHarness,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { tempDir } from '../support/paths.js';
import { storeSmallImage } from '../image/disk/stored-small-image.js';

describe('image disk export over HTTP', () => {
  let harness: Harness;
  let owner: TestAccount;
  let other: TestAccount;
  let image: Image;
  let work: string;

  beforeAll(async () => {
    harness = await startHarness({ workers: 0 });
    owner = await harness.createAccount('Disk Owner', ['buyer']);
    other = await harness.createAccount('Someone Else', ['buyer']);
    work = tempDir('disk-http');
    image = await storeSmallImage(harness, owner.accountId, work);
  });
  afterAll(async () => {
    await harness?.stop();
    execFileSync('rm', ['-rf', work]);
  });

  it('describes the route in /openapi.json', async () => {
    const doc = await new ApiClient(harness.url, undefined).request<{
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    }>('GET', '/openapi.json');
    const route = doc.paths['/v1/images/{imageId}/disk'];
    expect(route?.get?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['imageId', 'format']),
    );
  });

  it('streams a qcow2 of the image to its owner', async () => {
    const response = await fetch(`${harness.url}/v1/images/${image.id}/disk?format=qcow2`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${image.id}.qcow2"`,
    );
    const file = path.join(work, 'download.qcow2');
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    expect(readFileSync(file).subarray(0, 4)).toEqual(Buffer.from('QFI\xfb', 'latin1'));
    execFileSync('qemu-img', ['check', '-f', 'qcow2', file]);
    const target = path.join(work, 'read');
    await readDiskImage(file, target, { workDir: work });
    expect(readFileSync(path.join(target, 'opt/added.txt'), 'utf8')).toBe(
      'from the second layer\n',
    );
    // The export's temporary files are gone once it was sent.
    expect(readdirSync(path.join(harness.dataDir, 'staging', 'disk-exports'))).toEqual([]);
  });

  it('refuses another account with 404 and an unknown format with 400', async () => {
    expect(
      await apiErrorOf(other.client.download(`/v1/images/${image.id}/disk?format=raw`)),
    ).toMatchObject({ status: 404, code: 'IMAGE_NOT_FOUND' });
    expect(
      await apiErrorOf(owner.client.download(`/v1/images/${image.id}/disk?format=vmdk`)),
    ).toMatchObject({ status: 400 });
  });
});
