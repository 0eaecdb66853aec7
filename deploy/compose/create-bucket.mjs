// One-shot of the compose example: creates the bucket that Goldsmith's --blobs names, and
// turns versioning on where the store supports it (a deleted blob stays recoverable; see
// docs/operations.md). A single-drive MinIO does not: that is a warning, not a failure.
// It runs in the Goldsmith image, mounted at /opt/goldsmith/deploy/, so the AWS SDK resolves
// from the image's node_modules; it works with any S3-compatible store.
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { setTimeout as sleep } from 'node:timers/promises';

const endpoint = required('S3_ENDPOINT');
const bucket = required('S3_BUCKET');
const client = new S3Client({
  endpoint,
  region: process.env['S3_REGION'] ?? 'us-east-1',
  forcePathStyle: true,
});

// The store may still be starting: retry for about a minute.
for (let attempt = 1; ; attempt += 1) {
  try {
    await ensureBucket();
    break;
  } catch (error) {
    if (attempt >= 30) throw error;
    process.stderr.write(`waiting for ${endpoint}: ${String(error)}\n`);
    await sleep(2000);
  }
}
await enableVersioning();
process.stdout.write(`bucket ${bucket} ready at ${endpoint}\n`);

async function ensureBucket() {
  const exists = await client.send(new HeadBucketCommand({ Bucket: bucket })).then(
    () => true,
    (error) => {
      if (error?.$metadata?.httpStatusCode === 404) return false;
      throw error;
    },
  );
  if (!exists) await client.send(new CreateBucketCommand({ Bucket: bucket }));
}

async function enableVersioning() {
  await client
    .send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    )
    .then(
      () => process.stdout.write(`versioning enabled on ${bucket}\n`),
      (error) =>
        process.stderr.write(`warning: versioning not enabled on ${bucket}: ${String(error)}\n`),
    );
}

function required(name) {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}
