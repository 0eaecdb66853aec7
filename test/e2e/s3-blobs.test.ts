import { execFile } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Image } from '../../src/domain/types.js';
import {
  startHarness,
  submitGroup,
  waitForGroup,
  writeTempFile,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { tempDir } from '../support/paths.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';

const run = promisify(execFile);
const BUCKET = 'goldsmith-blobs';

describe('a server whose blobs live in an S3-compatible store', () => {
  let s3: TestS3Server;
  let client: S3Client;
  let harness: Harness;
  let seller: TestAccount;

  const keys = async (prefix: string): Promise<string[]> => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (listed.Contents ?? []).map((object) => object.Key!);
  };

  beforeAll(async () => {
    s3 = await startS3Server([BUCKET]);
    client = new S3Client({ ...s3.connection });
    harness = await startHarness({
      workers: 1,
      blobs: `s3://${BUCKET}/cluster-a`,
      s3: s3.connection,
    });
    seller = await harness.createAccount('Acme Software', ['seller']);
  });
  afterAll(async () => {
    await harness?.stop();
    client?.destroy();
    await s3?.stop();
  });

  it('keeps packages, layers and reports in the bucket and builds from them', async () => {
    const installer = await writeTempFile(
      'install.sh',
      '#!/bin/sh\nset -e\necho "acme 2.0" > /etc/acme-release\n',
    );
    const submitted = await submitGroup(seller.client, 'acme_s3_r1', ['debian-12'], [installer]);
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('Successful');
    const image = await seller.client.request<Image>(
      'GET',
      `/v1/images/${group.builds[0]!.imageId!}`,
    );

    // Every blob is at its content address in the bucket; no upload is left half-way.
    const stored = await keys('cluster-a/');
    const installerLayer = image.layers[1]!.digest.replace('sha256:', '');
    expect(stored).toContain(`cluster-a/blobs/sha256/${installerLayer}`);
    expect(stored.filter((key) => key.startsWith('cluster-a/uploads/'))).toEqual([]);
    // Nothing went to the local blob directory instead.
    expect(existsSync(path.join(harness.dataDir, 'blobs', 'sha256', installerLayer))).toBe(false);

    // The image streams back out of the bucket as an OCI archive skopeo can read.
    const dir = tempDir('oci');
    const archive = path.join(dir, 'image.tar');
    await pipeline(
      await seller.client.download(`/v1/images/${image.id}/oci-archive`),
      createWriteStream(archive),
    );
    const { stdout } = await run('skopeo', ['inspect', `oci-archive:${archive}`]);
    expect((JSON.parse(stdout) as { Layers: string[] }).Layers).toEqual(
      image.layers.map((layer) => layer.digest),
    );
  }, 600_000);

  it('says it is not ready while the bucket cannot be reached', async () => {
    expect((await fetch(`${harness.url}/v1/ready`)).status).toBe(200);
    await s3.stop();
    const ready = await fetch(`${harness.url}/v1/ready`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; problems: string[] };
    expect(body.status).toBe('not-ready');
    expect(body.problems).toEqual([
      expect.stringContaining(`blob store: cannot use S3 bucket ${BUCKET}`),
    ]);
    s3 = await startS3Server([BUCKET]);
  });

  it('refuses to start when the bucket does not exist, naming it', async () => {
    await expect(
      startHarness({ workers: 0, blobs: 's3://no-such-bucket/x', s3: s3.connection }),
    ).rejects.toThrow(/cannot use S3 bucket no-such-bucket/);
  });
});
