import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';

import { ApiClient } from '../../src/cli/api-client.js';
import type { StoredPackage } from '../../src/domain/types.js';
import { writeTempFile } from '../support/goldsmith-harness.js';
import {
  startS3RecordingProxy,
  type RecordedS3Request,
  type S3RecordingProxy,
} from '../support/cluster/s3-recording-proxy.js';
import {
  CLUSTER_BUCKET,
  createTestCluster,
  type TestCluster,
} from '../support/cluster/test-cluster.js';

const MIB = 1024 * 1024;
const PACKAGE_BYTES = 40 * MIB;

/** S3's UploadPart: a PUT of one part of a multipart upload. */
const isUploadPart = (r: RecordedS3Request) =>
  r.method === 'PUT' && /[?&]partNumber=/.test(r.url) && /[?&]uploadId=/.test(r.url);
/** What makes a blob readable: a write to its key under blobs/, or a finished multipart upload. */
const publishes = (r: RecordedS3Request) =>
  ((r.method === 'PUT' || r.method === 'POST') &&
    new URL(r.url, 'http://s3').pathname.includes('/blobs/')) ||
  (r.method === 'POST' && /[?&]uploadId=/.test(r.url));

describe('an API server killed with SIGKILL during a package upload', () => {
  let cluster: TestCluster | undefined;
  let proxy: S3RecordingProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    await cluster?.dispose();
    cluster = undefined;
    proxy = undefined;
  });

  it('leaves no blob, fails the client, and the upload succeeds on another server', async () => {
    cluster = await createTestCluster();
    proxy = await startS3RecordingProxy(cluster.s3.connection.endpoint!);
    const doomed = await cluster.start('api', { s3Endpoint: proxy.endpoint });
    const other = await cluster.start('api');
    const seller = await cluster.createAccount(doomed.url, 'Acme', ['seller']);
    const content = randomBytes(PACKAGE_BYTES);
    const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;

    // The body stops halfway until the server is dead, so the kill lands mid-upload.
    let resume: () => void = () => undefined;
    const halfway = new Promise<void>((resolve) => (resume = resolve));
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (offset === PACKAGE_BYTES / 2) await halfway;
        controller.enqueue(content.subarray(offset, offset + MIB));
        offset += MIB;
        if (offset === PACKAGE_BYTES) controller.close();
      },
    });
    const upload = fetch(`${doomed.url}/v1/packages?fileName=big.bin`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${seller.token}`,
        'content-type': 'application/octet-stream',
        'content-length': String(PACKAGE_BYTES),
      },
      body,
      duplex: 'half',
    } as RequestInit);
    const outcome = upload.then(
      (response) => `answered ${response.status}`,
      (error: unknown) => `failed: ${String(error)}`,
    );

    // The server is streaming to S3: a part of its multipart upload has been stored.
    await proxy.waitFor(isUploadPart);
    await doomed.kill('SIGKILL');
    resume();
    expect(await outcome).toMatch(/^failed: /);

    // Nothing was ever published: no CompleteMultipartUpload, no PUT or copy of an object.
    expect(proxy.requests.filter(publishes)).toEqual([]);
    const keys = await listKeys(cluster, `${cluster.prefix}/`);
    expect(keys.filter((key) => !key.startsWith(`${cluster!.prefix}/uploads/`))).toEqual([]);
    const elsewhere = new ApiClient(other.url, seller.token);
    expect(
      (await elsewhere.request<{ packages: StoredPackage[] }>('GET', '/v1/packages')).packages,
    ).toEqual([]);

    // The client retries against another API server.
    const file = await writeTempFile('big.bin', content);
    const stored = await elsewhere.uploadPackage<StoredPackage>(file);
    expect(stored).toMatchObject({ digest, size: PACKAGE_BYTES });
    expect(
      (await elsewhere.request<{ packages: StoredPackage[] }>('GET', '/v1/packages')).packages,
    ).toEqual([stored]);
    const blobKey = `${cluster.prefix}/blobs/sha256/${digest.slice('sha256:'.length)}`;
    expect(await listKeys(cluster, `${cluster.prefix}/blobs/`)).toEqual([blobKey]);
    const object = await cluster.s3Client.send(
      new GetObjectCommand({ Bucket: CLUSTER_BUCKET, Key: blobKey }),
    );
    const hash = createHash('sha256');
    for await (const chunk of object.Body as Readable) hash.update(chunk as Buffer);
    expect(`sha256:${hash.digest('hex')}`).toBe(digest);
  }, 300_000);
});

async function listKeys(cluster: TestCluster, prefix: string): Promise<string[]> {
  const listed = await cluster.s3Client.send(
    new ListObjectsV2Command({ Bucket: CLUSTER_BUCKET, Prefix: prefix }),
  );
  return (listed.Contents ?? []).map((object) => object.Key!);
}
