import { statSync } from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient } from '../../../src/cli/api-client.js';
import { buildConfig } from '../../../src/config/config.js';
import type { AwsOperationRegistry } from '../../../src/http/aws/aws-json-protocol.js';
import { startGoldsmith, type RunningGoldsmith } from '../../../src/server/goldsmith-server.js';
import { apiErrorOf } from '../../support/goldsmith-harness.js';
import { tempDir, testBaseCacheDir } from '../../support/paths.js';
import { signRequest, type UnsignedRequest } from '../../support/sigv4-signer.js';

interface IssuedKey {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

/** A probe operation, registered only here, that answers who called it with what. */
const probes: AwsOperationRegistry = new Map([
  ['WhoAmI', async (account, input) => ({ AccountId: account.id, Input: input })],
]);

describe('AWS JSON protocol and access keys over HTTP', () => {
  let server: RunningGoldsmith;
  let dataDir: string;
  let operator: ApiClient;
  let buyer: { accountId: string; client: ApiClient };
  let other: { accountId: string; client: ApiClient };
  let key: IssuedKey;

  beforeAll(async () => {
    dataDir = tempDir('aws-json');
    const config = buildConfig({
      port: 0,
      host: '127.0.0.1',
      workers: 0,
      baseCacheDir: testBaseCacheDir,
      dataDir,
    });
    server = await startGoldsmith(config, { awsOperations: probes });
    operator = new ApiClient(server.url, server.operatorToken!);
    const account = async (name: string) => {
      const created = await operator.request<{ accountId: string; token: string }>(
        'POST',
        '/v1/accounts',
        { name, roles: ['buyer'] },
      );
      return { accountId: created.accountId, client: new ApiClient(server.url, created.token) };
    };
    buyer = await account('Buyer One');
    other = await account('Buyer Two');
    key = await buyer.client.request<IssuedKey>('POST', '/v1/access-keys');
  });
  afterAll(async () => server?.stop());

  async function call(
    target: string | undefined,
    body: string,
    options: { contentType?: string; secret?: string } = {},
  ) {
    const headers: Record<string, string> = {
      'content-type': options.contentType ?? 'application/x-amz-json-1.1',
    };
    if (target !== undefined) headers['x-amz-target'] = target;
    const request: UnsignedRequest = { host: 'goldsmith.test', headers, body };
    const signed = await signRequest(request, {
      accessKeyId: key.accessKeyId,
      secretAccessKey: options.secret ?? key.secretAccessKey,
      date: new Date(),
    });
    return server.app.inject({
      method: 'POST',
      url: signed.url,
      headers: signed.headerMap,
      payload: body,
    });
  }

  it('issues a key whose secret is shown at creation only, and lists keys without secrets', async () => {
    expect(key.accessKeyId).toMatch(/^GSKA[A-Z2-7]{16}$/);
    expect(key.secretAccessKey).toMatch(/^[A-Za-z0-9_-]{40}$/);
    expect(key.accountId).toBe(buyer.accountId);
    const listed = await buyer.client.request<{ accessKeys: Record<string, unknown>[] }>(
      'GET',
      '/v1/access-keys',
    );
    expect(listed.accessKeys.map((k) => k.accessKeyId)).toEqual([key.accessKeyId]);
    expect(JSON.stringify(listed)).not.toContain(key.secretAccessKey);
    expect(Object.keys(listed.accessKeys[0]!).sort()).toEqual([
      'accessKeyId',
      'accountId',
      'createdAt',
      'lastUsedAt',
    ]);
    const theirs = await other.client.request<{ accessKeys: unknown[] }>('GET', '/v1/access-keys');
    expect(theirs.accessKeys).toEqual([]);
  });

  it('keeps the secret encrypted at rest under a 0600 key file', async () => {
    const keyFile = path.join(dataDir, 'keys', 'access-key-secret.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(keyFile).size).toBe(32);
    const db = new Database(path.join(dataDir, 'goldsmith.db'), { readonly: true });
    try {
      const row = db.prepare('select * from access_keys where id = ?').get(key.accessKeyId);
      expect(row).toBeDefined();
      expect(JSON.stringify(row)).not.toContain(key.secretAccessKey);
      expect(JSON.stringify(row)).not.toContain(
        Buffer.from(key.secretAccessKey).toString('base64'),
      );
    } finally {
      db.close();
    }
  });

  it('reaches a handler with the signing account and its input, and records the use', async () => {
    const reply = await call('AWSMPImageBuilding.WhoAmI', '{"Hello":"world"}');
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(reply.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.json()).toEqual({ AccountId: buyer.accountId, Input: { Hello: 'world' } });
    const listed = await buyer.client.request<{ accessKeys: { lastUsedAt: string | null }[] }>(
      'GET',
      '/v1/access-keys',
    );
    expect(listed.accessKeys[0]!.lastUsedAt).not.toBeNull();
  });

  it('answers errors in AWS JSON form with x-amzn-ErrorType and a request id', async () => {
    const unknown = await call('AWSMPImageBuilding.StartBuild', '{}');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers['x-amzn-errortype']).toBe('UnknownOperationException');
    expect(unknown.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(unknown.json()).toEqual({
      __type: 'UnknownOperationException',
      message: 'Unknown operation AWSMPImageBuilding.StartBuild.',
    });

    const otherService = await call('DynamoDB_20120810.WhoAmI', '{}');
    expect(otherService.json()).toMatchObject({ __type: 'UnknownOperationException' });

    const missingTarget = await call(undefined, '{}');
    expect(missingTarget.statusCode).toBe(400);
    expect(missingTarget.json()).toEqual({
      __type: 'UnknownOperationException',
      message: 'The X-Amz-Target header is missing.',
    });

    const wrongType = await call('AWSMPImageBuilding.WhoAmI', '{}', {
      contentType: 'application/json',
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json()).toMatchObject({ __type: 'SerializationException' });

    const badJson = await call('AWSMPImageBuilding.WhoAmI', '{not json');
    expect(badJson.json()).toMatchObject({ __type: 'SerializationException' });

    const wrongSecret = await call('AWSMPImageBuilding.WhoAmI', '{}', { secret: 'x'.repeat(40) });
    expect(wrongSecret.statusCode).toBe(403);
    expect(wrongSecret.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
  });

  it('keeps bearer tokens out: POST / without a signature is refused the AWS way', async () => {
    const reply = await server.app.inject({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', authorization: 'Bearer gs_x' },
      payload: '{}',
    });
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({ __type: 'IncompleteSignatureException' });
    const anonymous = await server.app.inject({ method: 'POST', url: '/', payload: '' });
    expect(anonymous.statusCode).toBe(403);
    expect(anonymous.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('lets only the owner or an operator delete a key, and a deleted key signs nothing', async () => {
    const second = await buyer.client.request<IssuedKey>('POST', '/v1/access-keys');
    expect(
      await apiErrorOf(other.client.request('DELETE', `/v1/access-keys/${second.accessKeyId}`)),
    ).toEqual({ status: 404, code: 'ACCESS_KEY_NOT_FOUND' });
    expect(
      await apiErrorOf(other.client.request('GET', `/v1/access-keys?accountId=${buyer.accountId}`)),
    ).toEqual({ status: 403, code: 'FORBIDDEN_ROLE' });
    const seen = await operator.request<{ accessKeys: { accessKeyId: string }[] }>(
      'GET',
      `/v1/access-keys?accountId=${buyer.accountId}`,
    );
    expect(seen.accessKeys.map((k) => k.accessKeyId)).toContain(second.accessKeyId);
    await operator.request('DELETE', `/v1/access-keys/${second.accessKeyId}`);
    await buyer.client.request('DELETE', `/v1/access-keys/${key.accessKeyId}`);
    const reply = await call('AWSMPImageBuilding.WhoAmI', '{}');
    expect(reply.statusCode).toBe(403);
    expect(reply.json()).toMatchObject({ __type: 'UnrecognizedClientException' });
    key = await buyer.client.request<IssuedKey>('POST', '/v1/access-keys');
  });

  it('limits an account to 5 keys', async () => {
    const { accessKeys } = await other.client.request<{ accessKeys: unknown[] }>(
      'GET',
      '/v1/access-keys',
    );
    for (let i = accessKeys.length; i < 5; i++) {
      await other.client.request('POST', '/v1/access-keys');
    }
    expect(await apiErrorOf(other.client.request('POST', '/v1/access-keys'))).toEqual({
      status: 409,
      code: 'ACCESS_KEY_LIMIT_REACHED',
    });
  });

  it('describes the access key routes in /openapi.json', async () => {
    const doc = await new ApiClient(server.url, undefined).request<{
      paths: Record<string, unknown>;
    }>('GET', '/openapi.json');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/access-keys', '/v1/access-keys/{accessKeyId}']),
    );
    expect(Object.keys(doc.paths)).not.toContain('/');
  });
});
