import { rmSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobLocationError, parseBlobLocation } from '../../src/blobs/blob-location.js';
import type { BlobLocation } from '../../src/blobs/blob-location.js';
import {
  BlobDigestMismatchError,
  BlobNotFoundError,
  BlobTooLargeError,
} from '../../src/blobs/blob-store.js';
import type { BlobStore, Digest } from '../../src/blobs/blob-store.js';
import { FsBlobStore } from '../../src/blobs/fs-blob-store.js';
import { openBlobStore } from '../../src/blobs/open-blob-store.js';
import { S3BlobStore } from '../../src/blobs/s3-blob-store.js';
import type { S3BlobStoreOptions, S3Connection } from '../../src/blobs/s3-blob-store.js';
import { tempDir } from '../support/paths.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';
import { blobStoreContract } from './blob-store-contract.js';

const BUCKET = 'goldsmith-test';
const MIB = 1024 * 1024;
const stores: S3BlobStore[] = [];
let server: TestS3Server | undefined;
let connection: S3Connection;

// A real S3-compatible server (s3rver) on a free port; if it cannot start, every test fails.
beforeAll(async () => {
  server = await startS3Server([BUCKET]);
  connection = server.connection;
});

afterAll(async () => {
  for (const store of stores) store.close();
  await server?.stop();
});

/** A store under a prefix of its own, so each test starts empty. */
function s3Store(options: Partial<S3BlobStoreOptions> = {}): S3BlobStore {
  const store = new S3BlobStore({
    bucket: BUCKET,
    prefix: `t-${randomBytes(6).toString('hex')}/blobs-root`,
    connection,
    ...options,
  });
  stores.push(store);
  return store;
}

blobStoreContract('S3BlobStore', () => s3Store());

describe('S3BlobStore against an S3-compatible server', () => {
  it('keeps blobs at <prefix>/blobs/sha256/<hex> and nothing else', async () => {
    const store = s3Store({ prefix: 'layout/nested' });
    const info = await store.put(Readable.from([Buffer.from('layout')]));
    const hex = info.digest.slice('sha256:'.length);
    expect(store.keyOf(info.digest)).toBe(`layout/nested/blobs/sha256/${hex}`);
    expect(await listKeys(store.client, 'layout/nested/')).toEqual([
      `layout/nested/blobs/sha256/${hex}`,
    ]);
    expect(await store.localPath(info.digest)).toBeUndefined();
  });

  it('round-trips a blob larger than one part through a multipart upload', async () => {
    const store = s3Store({ partSize: 5 * MIB });
    const sent = recordCommands(store.client);
    const content = randomBytes(12 * MIB);
    const info = await store.put(chunked(content, 256 * 1024));
    expect(info).toEqual({ digest: digestOf(content), size: content.length });
    expect(sent.map((c) => c.name).filter((name) => name === 'UploadPartCommand')).toHaveLength(3);
    expect(sent.map((c) => c.name)).toContain('CompleteMultipartUploadCommand');
    expect((await readAll(await store.get(info.digest))).equals(content)).toBe(true);
    expect(await store.stat(info.digest)).toEqual(info);
  });

  describe('a refused multipart put leaves no object and aborts its upload', () => {
    const content = randomBytes(12 * MIB);
    const cases: {
      name: string;
      put: (store: S3BlobStore) => Promise<unknown>;
      error: new (...args: never[]) => Error;
      maxObjectBytes?: number;
      multipartCompleted: boolean;
    }[] = [
      {
        name: 'larger than maxBytes',
        put: (store) => store.put(chunked(content, MIB), { maxBytes: 11 * MIB }),
        error: BlobTooLargeError,
        multipartCompleted: false,
      },
      {
        name: 'larger than the store-wide object limit',
        put: (store) => store.put(chunked(content, MIB)),
        error: BlobTooLargeError,
        maxObjectBytes: 11 * MIB,
        multipartCompleted: false,
      },
      {
        name: 'a source that breaks after two parts',
        put: (store) => store.put(breakingAfter(content.subarray(0, 11 * MIB))),
        error: SourceBrokeError,
        multipartCompleted: false,
      },
      {
        name: 'a digest other than expectedDigest',
        put: (store) =>
          store.put(chunked(content, MIB), { expectedDigest: digestOf(Buffer.from('other')) }),
        error: BlobDigestMismatchError,
        multipartCompleted: true,
      },
    ];
    for (const testCase of cases) {
      it(testCase.name, async () => {
        const store = s3Store({
          partSize: 5 * MIB,
          ...(testCase.maxObjectBytes === undefined
            ? {}
            : { maxObjectBytes: testCase.maxObjectBytes }),
        });
        const sent = recordCommands(store.client);
        await expect(testCase.put(store)).rejects.toBeInstanceOf(testCase.error);
        const prefix = store.keyOf(digestOf(content)).replace(/blobs\/sha256\/.*$/, '');
        expect(await listKeys(store.client, prefix)).toEqual([]);
        expect(await store.stat(digestOf(content))).toBeUndefined();
        const created = sent.filter((c) => c.name === 'CreateMultipartUploadCommand');
        expect(created).toHaveLength(1);
        const uploadId = created[0]?.uploadId;
        expect(uploadId).toEqual(expect.any(String));
        // s3rver implements neither ListMultipartUploads nor AbortMultipartUpload, so the
        // check is that the store asked the server to abort exactly the upload it started.
        const aborted = sent.filter((c) => c.name === 'AbortMultipartUploadCommand');
        if (testCase.multipartCompleted) {
          expect(aborted).toEqual([]);
          expect(sent.map((c) => c.name)).toContain('DeleteObjectCommand');
        } else {
          expect(aborted.map((c) => c.input['UploadId'])).toEqual([uploadId]);
          expect(sent.map((c) => c.name)).not.toContain('CompleteMultipartUploadCommand');
        }
      });
    }
  });

  it('fails a read whose object was overwritten in the bucket', async () => {
    const store = s3Store();
    const info = await store.put(Readable.from([Buffer.from('original content')]));
    await store.client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: store.keyOf(info.digest),
        Body: Buffer.from('tampered content'),
      }),
    );
    const error: unknown = await drain(await store.get(info.digest)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlobDigestMismatchError);
    expect(error).toMatchObject({ expected: info.digest });
  });

  it('signs download URLs that plain fetch can use until they expire', async () => {
    const store = s3Store();
    const content = Buffer.from('{"report":true}\n');
    const info = await store.put(Readable.from([content]));
    const url = await store.presignedGetUrl(info.digest, 300, {
      filename: 'scan report "final".json',
      contentType: 'application/json',
    });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(content)).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="scan report _final_.json"; ` +
        `filename*=UTF-8''scan%20report%20%22final%22.json`,
    );

    const shortLived = await store.presignedGetUrl(info.digest, 1);
    expect((await fetch(shortLived)).status).toBe(200);
    // SigV4 dates have one-second resolution, so past two seconds the link has expired.
    await sleep(2_500);
    const expired = await fetch(shortLived);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('expired');
  });

  it('refuses to sign a link to a missing blob or for an unsupported lifetime', async () => {
    const store = s3Store();
    const info = await store.put(Readable.from([Buffer.from('signed')]));
    await expect(store.presignedGetUrl(digestOf(Buffer.from('absent')), 60)).rejects.toBeInstanceOf(
      BlobNotFoundError,
    );
    for (const seconds of [0, 1.5, 7 * 24 * 3600 + 1]) {
      await expect(store.presignedGetUrl(info.digest, seconds)).rejects.toBeInstanceOf(RangeError);
    }
  });

  it('does not offer presigned links from the filesystem store', () => {
    const dir = tempDir('fs-blob-store-presign');
    try {
      const store: BlobStore = new FsBlobStore(dir);
      expect(store.presignedGetUrl).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseBlobLocation', () => {
  const valid: [string, BlobLocation][] = [
    ['s3://goldsmith-blobs', { kind: 's3', bucket: 'goldsmith-blobs', prefix: '' }],
    ['s3://goldsmith-blobs/', { kind: 's3', bucket: 'goldsmith-blobs', prefix: '' }],
    ['s3://goldsmith.blobs/prod/eu', { kind: 's3', bucket: 'goldsmith.blobs', prefix: 'prod/eu' }],
    ['S3://bucket-1/a/', { kind: 's3', bucket: 'bucket-1', prefix: 'a' }],
    ['/var/lib/goldsmith/blobs', { kind: 'fs', dir: '/var/lib/goldsmith/blobs' }],
    ['/var/lib/../lib/goldsmith/', { kind: 'fs', dir: '/var/lib/goldsmith' }],
  ];
  it.each(valid)('parses %s', (input, expected) => {
    expect(parseBlobLocation(input)).toEqual(expected);
  });

  const invalid: [string, RegExp][] = [
    ['', /empty/],
    ['s3://', /bucket name is missing/],
    ['s3:///prefix', /bucket name is missing/],
    ['s3:bucket/prefix', /expected s3:\/\/bucket\/prefix/],
    ['s3://Bucket/prefix', /not a valid bucket name/],
    ['s3://ab', /not a valid bucket name/],
    ['s3://bucket_name', /not a valid bucket name/],
    ['s3://a..b/x', /not a valid bucket name/],
    ['s3://key:secret@bucket/x', /credentials and ports/],
    ['s3://bucket/a//b', /empty, "\." or "\.\." segments/],
    ['s3://bucket/a/../b', /empty, "\." or "\.\." segments/],
    ['s3://bucket/a?versionId=1', /query strings/],
    ['s3://bucket/a\tb', /control characters/],
    ['gs://bucket/prefix', /unsupported scheme "gs:"/],
    ['https://example.invalid/bucket', /unsupported scheme "https:"/],
  ];
  it.each(invalid)('refuses %j', (input, message) => {
    const error: unknown = (() => {
      try {
        parseBlobLocation(input);
        return undefined;
      } catch (e: unknown) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BlobLocationError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(JSON.stringify(input));
  });
});

describe('openBlobStore', () => {
  it('opens the implementation the location names', async () => {
    const dir = tempDir('open-blob-store');
    try {
      expect(openBlobStore({ location: parseBlobLocation(dir) })).toBeInstanceOf(FsBlobStore);
      const s3 = openBlobStore({
        location: parseBlobLocation(`s3://${BUCKET}/opened`),
        s3: connection,
      });
      expect(s3).toBeInstanceOf(S3BlobStore);
      stores.push(s3 as S3BlobStore);
      const info = await s3.put(Readable.from([Buffer.from('opened')]));
      expect(await listKeys((s3 as S3BlobStore).client, 'opened/')).toEqual([
        `opened/blobs/sha256/${info.digest.slice('sha256:'.length)}`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

class SourceBrokeError extends Error {}

interface SentCommand {
  readonly name: string;
  readonly input: Record<string, unknown>;
  readonly uploadId?: string;
}

/** Records every command the client sends, failed or not (and the upload id a create returns). */
function recordCommands(client: S3Client): SentCommand[] {
  const sent: SentCommand[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      let uploadId: unknown;
      try {
        const result = await next(args);
        uploadId = (result.output as { UploadId?: unknown }).UploadId;
        return result;
      } finally {
        sent.push({
          name: context.commandName ?? '',
          input: args.input as Record<string, unknown>,
          ...(typeof uploadId === 'string' ? { uploadId } : {}),
        });
      }
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return sent;
}

async function listKeys(client: S3Client, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return keys.sort();
}

function digestOf(content: Buffer): Digest {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

async function* chunked(content: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < content.length; offset += size) {
    yield content.subarray(offset, offset + size);
  }
}

async function* breakingAfter(content: Buffer): AsyncGenerator<Uint8Array> {
  yield* chunked(content, MIB);
  throw new SourceBrokeError('source broke');
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads to the end, which is when the digest is checked. */
async function drain(stream: Readable): Promise<void> {
  stream.resume();
  await finished(stream);
}
