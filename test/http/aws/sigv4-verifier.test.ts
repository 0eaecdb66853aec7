import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { Clock } from '../../../src/domain/clock.js';
import { ReplayCache } from '../../../src/http/aws/replay-cache.js';
import { SigV4Verifier, type SignedRequest } from '../../../src/http/aws/sigv4-verifier.js';
import { freshStoreEachTest, sqliteHarness } from '../../store/store-harnesses.js';
import { signRequest, withHeader, type UnsignedRequest } from '../../support/sigv4-signer.js';

const KEY_ID = 'GSKAABCDEFGHIJKLMNOP';
const SECRET = 'wJalrXUtnFEMI_K7MDENG-bPxRfiCYEXAMPLEKEY';
const ACCOUNT = '123456789012';
const NOW = new Date('2026-03-01T12:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
const at = (ms: number) => new Date(ms).toISOString();

// Accepted signatures live in the database: each test starts with none.
const fresh = freshStoreEachTest(sqliteHarness);

function verifier(now: Date = NOW): SigV4Verifier {
  const clock: Clock = { now: () => now };
  return new SigV4Verifier({
    service: 'aws-marketplace',
    clock,
    replays: new ReplayCache(fresh.store.coordination),
    secrets: async (id) =>
      id === KEY_ID ? { accountId: ACCOUNT, secretAccessKey: SECRET } : undefined,
  });
}

const jsonCall: UnsignedRequest = {
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'AWSMPImageBuilding.DescribeBuilds',
  },
  body: '{"MaxResults":10}',
};

function sign(
  request: UnsignedRequest = jsonCall,
  overrides: {
    secret?: string;
    date?: Date;
    keyId?: string;
    sessionToken?: string;
    service?: string;
  } = {},
) {
  return signRequest(request, {
    accessKeyId: overrides.keyId ?? KEY_ID,
    secretAccessKey: overrides.secret ?? SECRET,
    date: overrides.date ?? NOW,
    region: 'eu-central-1',
    ...(overrides.sessionToken === undefined ? {} : { sessionToken: overrides.sessionToken }),
    ...(overrides.service === undefined ? {} : { service: overrides.service }),
  });
}

async function refusal(request: SignedRequest, v = verifier()) {
  try {
    await v.verify(request);
  } catch (error) {
    const e = error as { errorName: string; message: string; status: number };
    return { errorName: e.errorName, message: e.message, status: e.status };
  }
  throw new Error('expected the request to be refused');
}

describe('SigV4 verifier against the AWS SDK signer', () => {
  it('accepts a validly signed JSON call with a body and names the caller', async () => {
    await expect(verifier().verify(await sign())).resolves.toEqual({
      accessKeyId: KEY_ID,
      accountId: ACCOUNT,
      region: 'eu-central-1',
    });
  });

  it.each<[string, UnsignedRequest]>([
    [
      'a query string with repeated, reserved and non-ASCII parameters',
      {
        method: 'GET',
        query: { b: ['2', '1'], a: 'x y', 'c*': "it's/ok~", é: 'ü' },
        body: '',
      },
    ],
    ['a path with dot segments and double slashes', { method: 'GET', path: '/a/./b//c/../d/' }],
    ['a path with characters that need encoding', { method: 'GET', path: '/a%20b/caf%C3%A9' }],
    [
      'extra signed headers, one with runs of spaces',
      {
        ...jsonCall,
        headers: {
          ...jsonCall.headers,
          'x-goldsmith-note': '  several   spaces  here ',
          'amz-sdk-invocation-id': 'b0b0c4d8-1a2b-4c3d-9e8f-001122334455',
        },
      },
    ],
    [
      'an x-amz-content-sha256 header matching the body',
      {
        ...jsonCall,
        headers: {
          ...jsonCall.headers,
          'x-amz-content-sha256': createHash('sha256').update('{"a":1}').digest('hex'),
        },
        body: '{"a":1}',
      },
    ],
  ])('accepts %s', async (_name, request) => {
    await expect(verifier().verify(await sign(request))).resolves.toMatchObject({
      accountId: ACCOUNT,
    });
  });

  it('accepts dates up to 5 minutes off the server clock, either way', async () => {
    await expect(
      verifier().verify(await sign(jsonCall, { date: minutes(-4) })),
    ).resolves.toBeDefined();
    await expect(
      verifier().verify(await sign(jsonCall, { date: minutes(4) })),
    ).resolves.toBeDefined();
  });

  it('refuses a signature made with the wrong secret', async () => {
    expect(await refusal(await sign(jsonCall, { secret: `${SECRET.slice(1)}x` }))).toMatchObject({
      errorName: 'InvalidSignatureException',
      status: 403,
      message: expect.stringContaining('does not match'),
    });
  });

  it('refuses an altered body, an altered signed header and a lying payload hash', async () => {
    const signed = await sign();
    expect(await refusal({ ...signed, body: Buffer.from('{"MaxResults":99}') })).toMatchObject({
      errorName: 'InvalidSignatureException',
    });
    expect(
      await refusal(withHeader(signed, 'X-Amz-Target', 'AWSMPImageBuilding.StartBuild')),
    ).toMatchObject({ errorName: 'InvalidSignatureException' });
    expect(await refusal(withHeader(signed, 'Host', 'elsewhere.test'))).toMatchObject({
      errorName: 'InvalidSignatureException',
    });
    expect(await refusal(withHeader(signed, 'x-amz-content-sha256', '0'.repeat(64)))).toMatchObject(
      { errorName: 'InvalidSignatureException', message: /x-amz-content-sha256/ },
    );
  });

  it('refuses a query parameter added after signing', async () => {
    const signed = await sign({ method: 'GET', query: { a: '1' } });
    expect(await refusal({ ...signed, url: `${signed.url}&b=2` })).toMatchObject({
      errorName: 'InvalidSignatureException',
    });
  });

  it('refuses a date more than 5 minutes in the past or the future, as AWS words it', async () => {
    expect(await refusal(await sign(jsonCall, { date: minutes(-6) }))).toEqual({
      errorName: 'InvalidSignatureException',
      status: 403,
      message:
        'Signature expired: 20260301T115400Z is now earlier than 20260301T115500Z (20260301T120000Z - 5 min.)',
    });
    expect(await refusal(await sign(jsonCall, { date: minutes(6) }))).toMatchObject({
      errorName: 'InvalidSignatureException',
      message: expect.stringMatching(/^Signature not yet current: 20260301T120600Z/),
    });
  });

  it('refuses a credential scope date that differs from X-Amz-Date', async () => {
    const signed = await sign(jsonCall, { date: new Date('2026-03-01T23:59:00Z') });
    const moved = withHeader(signed, 'X-Amz-Date', '20260302T000100Z');
    expect(await refusal(moved, verifier(new Date('2026-03-02T00:01:00Z')))).toMatchObject({
      errorName: 'InvalidSignatureException',
      message: expect.stringContaining('Date in Credential scope does not match'),
    });
  });

  it('refuses a replayed request within its validity window', async () => {
    const v = verifier();
    const signed = await sign();
    await expect(v.verify(signed)).resolves.toBeDefined();
    expect(await refusal(signed, v)).toMatchObject({
      errorName: 'InvalidSignatureException',
      message: expect.stringContaining('already been received'),
    });
    // A fresh signature of the same call (another second) is a new request.
    await expect(v.verify(await sign(jsonCall, { date: minutes(0.1) }))).resolves.toBeDefined();
  });

  it('forgets accepted signatures once their window has passed', async () => {
    const cache = new ReplayCache(fresh.store.coordination, 2);
    expect(await cache.claim('a', 1000, 0)).toBe(true);
    expect(await cache.claim('a', 1000, 500)).toBe(false);
    expect(await cache.claim('b', 1000, 600)).toBe(true);
    // The fourth claim sweeps first: a and b have expired, c is new.
    expect(await cache.claim('c', 3000, 2000)).toBe(true);
    expect(await fresh.store.coordination.deleteExpiredSignatures(at(2000))).toBe(0);
    expect(await cache.claim('c', 3000, 2500)).toBe(false);
    expect(await cache.claim('a', 4000, 2000)).toBe(true);
  });

  it('refuses an unknown access key', async () => {
    expect(await refusal(await sign(jsonCall, { keyId: 'GSKAZZZZZZZZZZZZZZZZ' }))).toMatchObject({
      errorName: 'UnrecognizedClientException',
      status: 403,
    });
  });

  it('refuses a security token: Goldsmith issues no temporary credentials', async () => {
    expect(await refusal(await sign(jsonCall, { sessionToken: 'FwoGZXIvYXdzEJr' }))).toMatchObject({
      errorName: 'UnrecognizedClientException',
    });
  });

  it('refuses a scope naming another service', async () => {
    expect(await refusal(await sign(jsonCall, { service: 'execute-api' }))).toMatchObject({
      errorName: 'InvalidSignatureException',
      message: "Credential should be scoped to correct service: 'aws-marketplace'.",
    });
  });

  it('refuses a missing or malformed Authorization header', async () => {
    const signed = await sign();
    const without = {
      ...signed,
      headers: signed.headers.filter(([n]) => n.toLowerCase() !== 'authorization'),
    };
    expect(await refusal(without)).toMatchObject({
      errorName: 'MissingAuthenticationTokenException',
      status: 403,
    });
    const authorization = signed.headerMap['authorization']!;
    for (const bad of [
      'Bearer gs_token',
      'AWS4-HMAC-SHA256 Credential=GSKAABCDEFGHIJKLMNOP/20260301/eu-central-1/aws-marketplace/aws4_request',
      authorization.replace(/Signature=[0-9a-f]+/, 'Signature=xyz'),
      authorization.replace(/Credential=[^,]+/, 'Credential=GSKAABCDEFGHIJKLMNOP/20260301'),
      authorization.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=content-type;x-amz-date'),
    ]) {
      expect(await refusal(withHeader(signed, 'Authorization', bad)), bad).toMatchObject({
        errorName: 'IncompleteSignatureException',
        status: 400,
      });
    }
    expect(await refusal(withHeader(signed, 'X-Amz-Date', '2026-03-01T12:00:00Z'))).toMatchObject({
      errorName: 'IncompleteSignatureException',
    });
  });
});
