import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import type { Digest } from '../../src/blobs/blob-store.js';
import { S3BlobStore } from '../../src/blobs/s3-blob-store.js';
import type { Image } from '../../src/domain/types.js';
import {
  apiErrorOf,
  startHarness,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { tempDir } from '../support/paths.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';
import { writeSmallImage } from '../image/disk/disk-image-fixtures.js';
import { smallImageEachFile } from '../image/disk/stored-small-image.js';

/** `POST /v1/images/{id}/exports`'s answer. */
interface ExportLink {
  readonly format: string;
  readonly digest: string;
  readonly size: number;
  readonly url: string;
  readonly expiresAt: string | null;
}

const sha256 = (bytes: Buffer): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function bytesOf(url: string, token?: string): Promise<{ response: Response; body: Buffer }> {
  const response = await fetch(url, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

describe('image exports on the filesystem blob store', () => {
  const fixture = smallImageEachFile('Export HTTP');

  it('links to the API route, which serves the bytes of the streamed OCI archive', async () => {
    const link = await fixture.owner.client.request<ExportLink>(
      'POST',
      `/v1/images/${fixture.image.id}/exports`,
      {
        format: 'oci-archive',
      },
    );
    expect(link).toEqual({
      format: 'oci-archive',
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      size: expect.any(Number),
      url: `${fixture.harness.url}/v1/images/${fixture.image.id}/exports/oci-archive/download`,
      expiresAt: null,
    });

    const downloaded = await bytesOf(link.url, fixture.owner.token);
    expect(downloaded.response.status).toBe(200);
    expect(downloaded.response.headers.get('content-disposition')).toBe(
      `attachment; filename="${fixture.image.id}.oci.tar"`,
    );
    expect(downloaded.body.length).toBe(link.size);
    expect(sha256(downloaded.body)).toBe(link.digest);
    const streamed = await bytesOf(
      `${fixture.harness.url}/v1/images/${fixture.image.id}/oci-archive`,
      fixture.owner.token,
    );
    expect(sha256(streamed.body)).toBe(link.digest);

    // The route needs credentials like every fixture.other.
    expect((await fetch(link.url)).status).toBe(401);
  });

  it('reuses the stored export on a second request', async () => {
    const before = await fixture.harness.server.store.imageExports.get(
      fixture.image.id,
      'oci-archive',
    );
    expect(before).toBeDefined();
    const again = await fixture.owner.client.request<ExportLink>(
      'POST',
      `/v1/images/${fixture.image.id}/exports`,
      {
        format: 'oci-archive',
      },
    );
    expect(again.digest).toBe(before!.digest);
    expect(
      await fixture.harness.server.store.imageExports.get(fixture.image.id, 'oci-archive'),
    ).toEqual(before);
  });

  it('hides the image and its exports from another account, as the image routes do', async () => {
    const post = fixture.other.client.request('POST', `/v1/images/${fixture.image.id}/exports`, {
      format: 'oci-archive',
    });
    expect(await apiErrorOf(post)).toMatchObject({ status: 404, code: 'IMAGE_NOT_FOUND' });
    const download = fixture.other.client.download(
      `/v1/images/${fixture.image.id}/exports/oci-archive/download`,
    );
    expect(await apiErrorOf(download)).toMatchObject({ status: 404, code: 'IMAGE_NOT_FOUND' });
  });

  it('says a format not yet exported is not found, and refuses an unknown format', async () => {
    const download = fixture.owner.client.download(
      `/v1/images/${fixture.image.id}/exports/raw/download`,
    );
    expect(await apiErrorOf(download)).toMatchObject({ status: 404, code: 'IMAGE_NOT_FOUND' });
    const post = fixture.owner.client.request('POST', `/v1/images/${fixture.image.id}/exports`, {
      format: 'vmdk',
    });
    expect(await apiErrorOf(post)).toMatchObject({ status: 400 });
  });
});

describe('image exports on an S3 blob store', () => {
  const bucket = 'goldsmith-exports';
  let s3: TestS3Server;
  let harness: Harness;
  let owner: TestAccount;
  let image: Image;
  let work: string;

  beforeAll(async () => {
    s3 = await startS3Server([bucket]);
    harness = await startHarness({
      workers: 0,
      blobs: `s3://${bucket}/cluster-e`,
      s3: s3.connection,
      exportLinkTtlSeconds: 600,
    });
    owner = await harness.createAccount('S3 Export Owner', ['buyer']);
    // Write the image locally, then copy its blobs to where the server keeps them.
    work = tempDir('export-s3');
    const local = new FsBlobStore(path.join(work, 'blobs'));
    const written = await writeSmallImage(local, path.join(work, 'src'));
    const remote = new S3BlobStore({ bucket, prefix: 'cluster-e', connection: s3.connection });
    const digests = [
      written.manifestDigest,
      written.configDigest,
      ...written.layers.map((l) => l.digest),
    ];
    for (const digest of digests) await remote.put(await local.get(digest as Digest));
    remote.close();
    image = { ...written, accountId: owner.accountId };
    await harness.server.store.images.insert(image);
  });
  afterAll(async () => {
    await harness?.stop();
    await s3?.stop();
    execFileSync('rm', ['-rf', work]);
  });

  it.each([
    ['oci-archive', 'oci.tar'],
    ['qcow2', 'qcow2'],
  ])(
    'links %s straight to the object store, without Goldsmith credentials',
    async (format, ext) => {
      const before = Date.now();
      const link = await owner.client.request<ExportLink>(
        'POST',
        `/v1/images/${image.id}/exports`,
        {
          format,
        },
      );
      expect(link.url.startsWith(`${s3.connection.endpoint}/${bucket}/cluster-e/blobs/`)).toBe(
        true,
      );
      expect(new URL(link.url).searchParams.get('X-Amz-Expires')).toBe('600');
      const expires = Date.parse(link.expiresAt!);
      expect(expires).toBeGreaterThanOrEqual(before + 600_000 - 1000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 600_000);

      const downloaded = await bytesOf(link.url);
      expect(downloaded.response.status).toBe(200);
      expect(downloaded.response.headers.get('content-disposition')).toContain(
        `filename="${image.id}.${ext}"`,
      );
      expect(sha256(downloaded.body)).toBe(link.digest);
      expect(downloaded.body.length).toBe(link.size);
      if (format === 'qcow2') {
        expect(downloaded.body.subarray(0, 4)).toEqual(Buffer.from('QFI\xfb', 'latin1'));
      }
    },
  );
});
