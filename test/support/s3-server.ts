import { rmSync } from 'node:fs';

import S3rver from 's3rver';

import type { S3Connection } from '../../src/blobs/s3-blob-store.js';
import { tempDir } from './paths.js';

/** A running S3-compatible server for tests, and how to reach it. */
export interface TestS3Server {
  readonly connection: S3Connection;
  stop(): Promise<void>;
}

/** Starts s3rver on a free loopback port with `buckets` made, its data in a fresh directory. */
export async function startS3Server(buckets: readonly string[]): Promise<TestS3Server> {
  const directory = tempDir('s3rver');
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const address = await server.run();
  return {
    connection: {
      endpoint: `http://127.0.0.1:${address.port}`,
      region: 'us-east-1',
      // s3rver's built-in account.
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
    },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
