import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { GoldImageView } from '../../src/domain/gold-images/gold-image-service.js';
import { tarRoot, writeRootDir } from '../domain/gold-images/gold-image-fixtures.js';
import {
  apiErrorOf,
  startHarness,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { tempDir } from '../support/paths.js';
import { injectAwsOperation } from '../support/sigv4-signer.js';
import { publishProduct } from '../private-builds/private-build-fixtures.js';

interface BuildBody {
  id: string;
  status: string;
  clientToken: string | null;
  standardOutputUrl: string;
}

describe('private image builds over REST and the AWS JSON protocol (no workers)', () => {
  let harness: Harness;
  let seller: TestAccount;
  let buyer: TestAccount;
  let stranger: TestAccount;
  let sellerOnly: TestAccount;
  let goldImageId: string;
  let strangersGoldImageId: string;
  let productId: string;

  const start = (account: TestAccount, overrides: Record<string, unknown> = {}) =>
    account.client.request<BuildBody>('POST', '/v1/private-image-builds', {
      fulfillmentOptionIds: ['fo-debian'],
      sourceImageId: goldImageId,
      destinationImageName: 'acme on gold (v1) [test]',
      ...overrides,
    });

  beforeAll(async () => {
    harness = await startHarness({ workers: 0, privateBuildLimit: 3 });
    seller = await harness.createAccount('Acme Software', ['seller']);
    buyer = await harness.createAccount('Buyer One', ['buyer']);
    stranger = await harness.createAccount('Buyer Two', ['buyer']);
    sellerOnly = await harness.createAccount('Seller Two', ['seller']);
    const { store } = harness.server;
    for (const [id, osVersions] of [
      ['pg-debian', ['debian-12']],
      ['pg-rhel', ['rhel-9']],
      ['pg-hidden', ['debian-12']],
    ] as const) {
      await store.packageGroups.insertReservingName({
        id,
        accountId: seller.accountId,
        name: id,
        platform: 'linux',
        osVersions: [...osVersions],
        packages: [],
        createdAt: new Date().toISOString(),
        deletedAt: null,
      });
    }
    ({ productId } = await publishProduct(store, {
      sellerAccountId: seller.accountId,
      title: 'Acme Agent',
      options: [
        {
          id: 'fo-debian',
          packageGroupId: 'pg-debian',
          packageGroupName: 'pg-debian',
          osVersions: ['debian-12'],
        },
        {
          id: 'fo-rhel',
          packageGroupId: 'pg-rhel',
          packageGroupName: 'pg-rhel',
          osVersions: ['rhel-9'],
        },
        {
          id: 'fo-hidden',
          packageGroupId: 'pg-hidden',
          packageGroupName: 'pg-hidden',
          osVersions: ['debian-12'],
          visibility: 'limited',
        },
      ],
    }));
    await buyer.client.request('POST', `/v1/products/${productId}/subscriptions`, {
      acceptTerms: true,
    });
    const rootfs = tarRoot(writeRootDir(), path.join(tempDir('pb-http'), 'rootfs.tar'));
    const upload = (account: TestAccount) =>
      account.client.uploadFile<GoldImageView>(
        'POST',
        `/v1/gold-images?fileName=rootfs.tar&name=${account.accountId}`,
        rootfs,
      );
    goldImageId = (await upload(buyer)).id;
    strangersGoldImageId = (await upload(stranger)).id;
  });
  afterAll(async () => harness?.stop());

  it('is in the OpenAPI document', async () => {
    const doc = await buyer.client.request<{ paths: Record<string, unknown> }>(
      'GET',
      '/openapi.json',
    );
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/private-image-builds',
        '/v1/private-image-builds/{buildId}',
        '/v1/private-image-builds/{buildId}/logs',
        '/v1/private-images',
        '/v1/private-images/{imageId}',
      ]),
    );
  });

  it.each([
    [
      'an unknown option',
      buyerOf,
      { fulfillmentOptionIds: ['fo-nope'] },
      400,
      'INVALID_FULFILLMENT_OPTION_ID',
    ],
    [
      'two options',
      buyerOf,
      { fulfillmentOptionIds: ['fo-debian', 'fo-rhel'] },
      400,
      'INVALID_FULFILLMENT_OPTION_ID',
    ],
    [
      'a limited option',
      buyerOf,
      { fulfillmentOptionIds: ['fo-hidden'] },
      400,
      'INVALID_FULFILLMENT_OPTION_ID',
    ],
    ['no subscription', strangerOf, {}, 400, 'SUBSCRIPTION_NOT_FOUND'],
    [
      'an unknown source image',
      buyerOf,
      { sourceImageId: 'img-0000000000000000a' },
      400,
      'INVALID_SOURCE_IMAGE_ID',
    ],
    [
      'another buyer’s gold image',
      buyerOf,
      { sourceImageId: 'STRANGER' },
      400,
      'INVALID_SOURCE_IMAGE_ID',
    ],
    [
      'software for rhel on debian',
      buyerOf,
      { fulfillmentOptionIds: ['fo-rhel'] },
      400,
      'INSTALLER_MISMATCH',
    ],
    [
      'a short name',
      buyerOf,
      { destinationImageName: 'ab' },
      400,
      'INVALID_DESTINATION_IMAGE_NAME',
    ],
    [
      'a name with #',
      buyerOf,
      { destinationImageName: 'acme #1' },
      400,
      'INVALID_DESTINATION_IMAGE_NAME',
    ],
    [
      'a long name',
      buyerOf,
      { destinationImageName: 'a'.repeat(129) },
      400,
      'INVALID_DESTINATION_IMAGE_NAME',
    ],
    [
      'a long description',
      buyerOf,
      { destinationImageDescription: 'd'.repeat(256) },
      400,
      'INVALID_DESTINATION_IMAGE_DESCRIPTION',
    ],
    ['an ftp webhook', buyerOf, { webhookUrl: 'ftp://hooks.test/x' }, 400, 'INVALID_WEBHOOK_URL'],
    ['a seller-only account', sellerOnlyOf, {}, 403, 'UNAUTHORIZED_OPERATION'],
  ] as const)('refuses %s', async (_name, who, overrides, status, code) => {
    const body = { ...overrides } as Record<string, unknown>;
    if (body['sourceImageId'] === 'STRANGER') body['sourceImageId'] = strangersGoldImageId;
    expect(await apiErrorOf(start(who(), body))).toEqual({ status, code });
  });

  function buyerOf(): TestAccount {
    return buyer;
  }
  function strangerOf(): TestAccount {
    return stranger;
  }
  function sellerOnlyOf(): TestAccount {
    return sellerOnly;
  }

  it('starts builds idempotently, pages them newest first, limits concurrent ones and hides them from others', async () => {
    const first = await start(buyer, { clientToken: 'token-1' });
    expect(first.id).toMatch(/^bld-[0-9a-f]{16}$/);
    expect(first.status).toBe('InProgress');
    const again = await start(buyer, { clientToken: 'token-1' });
    expect(again.id).toBe(first.id);
    expect(
      await apiErrorOf(start(buyer, { clientToken: 'token-1', destinationImageName: 'other' })),
    ).toEqual({ status: 409, code: 'IDEMPOTENT_PARAMETER_MISMATCH' });
    const second = await start(buyer, { sourceImageId: goldImageId });
    const third = await start(buyer, { destinationImageName: 'third' });
    expect(await apiErrorOf(start(buyer))).toEqual({ status: 429, code: 'BUILD_LIMIT_EXCEEDED' });

    const page1 = await buyer.client.request<{ builds: BuildBody[]; nextToken?: string }>(
      'GET',
      '/v1/private-image-builds?maxResults=2',
    );
    expect(page1.builds.map((b) => b.id)).toEqual([third.id, second.id]);
    const page2 = await buyer.client.request<{ builds: BuildBody[]; nextToken?: string }>(
      'GET',
      `/v1/private-image-builds?maxResults=2&nextToken=${page1.nextToken ?? ''}`,
    );
    expect(page2.builds.map((b) => b.id)).toEqual([first.id]);
    expect(page2.nextToken).toBeUndefined();
    const byIds = await buyer.client.request<{ builds: BuildBody[] }>(
      'GET',
      `/v1/private-image-builds?ids=${first.id},${third.id}&status=InProgress`,
    );
    expect(byIds.builds.map((b) => b.id)).toEqual([third.id, first.id]);

    for (const [query, code] of [
      ['maxResults=0', 'INVALID_MAX_RESULTS'],
      ['maxResults=51', 'INVALID_MAX_RESULTS'],
      ['nextToken=garbage', 'INVALID_NEXT_TOKEN'],
    ] as const) {
      expect(
        await apiErrorOf(buyer.client.request('GET', `/v1/private-image-builds?${query}`)),
      ).toEqual({ status: 400, code });
    }
    expect(
      await apiErrorOf(
        buyer.client.request('GET', '/v1/private-image-builds/bld-0000000000000000'),
      ),
    ).toEqual({
      status: 404,
      code: 'BUILD_ID_NOT_FOUND',
    });
    for (const route of [
      `/v1/private-image-builds/${first.id}`,
      `/v1/private-image-builds/${first.id}/logs`,
    ]) {
      expect(await apiErrorOf(stranger.client.request('GET', route))).toEqual({
        status: 404,
        code: 'BUILD_ID_NOT_FOUND',
      });
    }
    const theirs = await stranger.client.request<{ builds: unknown[] }>(
      'GET',
      '/v1/private-image-builds',
    );
    expect(theirs.builds).toEqual([]);

    // The expiring link works without a token; a changed signature or expiry does not.
    const link = new URL(first.standardOutputUrl);
    const ok = await fetch(`${harness.url}${link.pathname}${link.search}`);
    expect(ok.status).toBe(200);
    const forged = new URL(link.href);
    forged.searchParams.set('expires', String(Number(link.searchParams.get('expires')) + 60));
    const refused = await fetch(`${harness.url}${forged.pathname}${forged.search}`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('LOG_LINK_INVALID');
  });

  it('answers StartBuild and DescribeBuilds in the model’s shapes, signed with SigV4', async () => {
    const key = await buyer.client.request<{ accessKeyId: string; secretAccessKey: string }>(
      'POST',
      '/v1/access-keys',
    );
    const call = (operation: string, input: unknown) =>
      injectAwsOperation(harness.server.app, key, operation, input);

    const refused = await call('StartBuild', {
      FulfillmentOptionIds: ['fo-debian'],
      SourceImageId: goldImageId,
      DestinationImageName: 'x',
    });
    expect(refused).toEqual({
      status: 400,
      body: { __type: 'InvalidDestinationImageNameException', message: expect.any(String) },
    });
    const mismatch = await call('StartBuild', {
      FulfillmentOptionIds: ['fo-rhel'],
      SourceImageId: goldImageId,
      DestinationImageName: 'acme on rhel',
    });
    expect(mismatch.body['__type']).toBe('InstallerMismatchException');

    const described = await call('DescribeBuilds', { MaxResults: 1 });
    expect(described.status).toBe(200);
    const builds = described.body['Builds'] as Record<string, unknown>[];
    expect(builds).toHaveLength(1);
    expect(Object.keys(builds[0]!).sort()).toEqual(
      [
        'BuildId',
        'DestinationImage',
        'FulfillmentOptionIds',
        'LastUpdateTime',
        'Products',
        'SourceImage',
        'StandardErrorUrl',
        'StandardOutputUrl',
        'StartTime',
        'Status',
      ].sort(),
    );
    expect(builds[0]).toMatchObject({
      BuildId: expect.stringMatching(/^bld-/),
      DestinationImage: { Name: 'third' },
      FulfillmentOptionIds: ['fo-debian'],
      Products: [{ Id: productId, Version: '2.4', Title: 'Acme Agent' }],
      SourceImage: { Id: goldImageId },
      Status: 'InProgress',
      StartTime: expect.any(Number),
    });
    expect(typeof described.body['NextToken']).toBe('string');
    const next = await call('DescribeBuilds', {
      MaxResults: 1,
      NextToken: described.body['NextToken'],
    });
    expect((next.body['Builds'] as unknown[]).length).toBe(1);

    for (const [input, name] of [
      [{ MaxResults: 0 }, 'InvalidMaxResultsException'],
      [{ NextToken: 'nope' }, 'InvalidNextTokenException'],
      [{ Filters: [{ Name: 'color', Values: ['red'] }] }, 'InvalidFilterException'],
      [{ Filters: [{ Name: 'status', Values: ['done'] }] }, 'InvalidFilterException'],
    ] as const) {
      expect((await call('DescribeBuilds', input)).body['__type']).toBe(name);
    }
    const filtered = await call('DescribeBuilds', {
      Filters: [{ Name: 'status', Values: ['succeeded'] }],
    });
    expect(filtered.body['Builds']).toEqual([]);

    // ListBuilds (not in the model): the same pages, every build of the caller's.
    const listed = await call('ListBuilds', { MaxResults: 1 });
    // Log links carry their expiry second, so two calls a second apart sign different links.
    const unsigned = (builds: unknown) =>
      (builds as Record<string, unknown>[]).map((build) => ({
        ...build,
        StandardOutputUrl: String(build['StandardOutputUrl']).replace(/[?].*$/, ''),
        StandardErrorUrl: String(build['StandardErrorUrl']).replace(/[?].*$/, ''),
      }));
    expect(unsigned(listed.body['Builds'])).toEqual(unsigned(described.body['Builds']));
    expect((await call('ListBuilds', { BuildIds: ['bld-1'] })).body['__type']).toBe(
      'SerializationException',
    );
  });
});
