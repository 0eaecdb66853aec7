import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { GoldImageView } from '../../src/domain/gold-images/gold-image-service.js';
import type { PresentedPackageGroup } from '../../src/domain/package-groups/package-group-service.js';
import type { StoredPackage } from '../../src/domain/types.js';
import { ACCOUNT_BUILD_JOBS } from '../../src/domain/jobs/account-queue.js';
import { tarRoot, writeRootDir } from '../domain/gold-images/gold-image-fixtures.js';
import { publishProduct } from '../private-builds/private-build-fixtures.js';
import {
  apiErrorOf,
  startHarness,
  writeTempFile,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { tempDir } from '../support/paths.js';
import { injectAwsOperation } from '../support/sigv4-signer.js';

describe('account queue limit and cancelling package groups (no workers)', () => {
  let harness: Harness;
  // Sells package groups and buys private builds: both count towards one limit.
  let both: TestAccount;
  let other: TestAccount;
  let installerId: string;
  let otherInstallerId: string;
  let goldImageId: string;

  /** POSTs a package group and answers the raw response: status and JSON body. */
  const postGroup = async (
    account: TestAccount,
    name: string,
    osVersions: string[],
    packageId = installerId,
  ) => {
    const response = await fetch(`${harness.url}/v1/package-groups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        platform: 'linux',
        osVersions,
        packages: [{ packageId, installer: true }],
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const startPrivateBuild = (name: string) =>
    both.client.request<{ id: string }>('POST', '/v1/private-image-builds', {
      fulfillmentOptionIds: ['fo-debian'],
      sourceImageId: goldImageId,
      destinationImageName: name,
    });
  const activeJobs = (account: TestAccount) =>
    harness.server.store.jobs.countActive(account.accountId, ACCOUNT_BUILD_JOBS);

  beforeAll(async () => {
    harness = await startHarness({ workers: 0, accountQueueLimit: 3, privateBuildLimit: 10 });
    both = await harness.createAccount('Acme Both', ['seller', 'buyer']);
    other = await harness.createAccount('Other Vendor', ['seller']);
    const installer = await writeTempFile('install.sh', '#!/bin/sh\necho hello\n');
    installerId = (await both.client.uploadPackage<StoredPackage>(installer)).id;
    otherInstallerId = (await other.client.uploadPackage<StoredPackage>(installer)).id;
    const { store } = harness.server;
    await store.packageGroups.insertReservingName({
      id: 'pg-debian',
      accountId: other.accountId,
      name: 'pg-debian',
      platform: 'linux',
      osVersions: ['debian-12'],
      packages: [],
      createdAt: new Date().toISOString(),
      deletedAt: null,
    });
    const { productId } = await publishProduct(store, {
      sellerAccountId: other.accountId,
      title: 'Other Agent',
      options: [
        {
          id: 'fo-debian',
          packageGroupId: 'pg-debian',
          packageGroupName: 'pg-debian',
          osVersions: ['debian-12'],
        },
      ],
    });
    await both.client.request('POST', `/v1/products/${productId}/subscriptions`, {
      acceptTerms: true,
    });
    const rootfs = tarRoot(writeRootDir(), path.join(tempDir('queue-http'), 'rootfs.tar'));
    goldImageId = (
      await both.client.uploadFile<GoldImageView>(
        'POST',
        '/v1/gold-images?fileName=rootfs.tar&name=gold',
        rootfs,
      )
    ).id;
  });
  afterAll(async () => harness?.stop());

  it('refuses builds past the limit with 429 ACCOUNT_QUEUE_FULL, storing nothing, and cancels to make room', async () => {
    const first = await postGroup(both, 'acme_first', ['debian-12', 'debian-13']);
    expect(first.status).toBe(201);
    const firstGroup = first.body as unknown as PresentedPackageGroup;
    expect(await activeJobs(both)).toBe(2);

    // Two more builds would make 4 queued, over the limit of 3.
    const refused = await postGroup(both, 'acme_second', ['debian-12', 'debian-13']);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'ACCOUNT_QUEUE_FULL' });
    expect(await apiErrorOf(both.client.request('GET', '/v1/package-groups/acme_second'))).toEqual({
      status: 404,
      code: 'PACKAGE_GROUP_NOT_FOUND',
    });
    const { packageGroups } = await both.client.request<{
      packageGroups: PresentedPackageGroup[];
    }>('GET', '/v1/package-groups');
    expect(packageGroups.map((g) => g.name)).toEqual(['acme_first']);
    expect(await activeJobs(both)).toBe(2);

    // The same account's private builds count too: one fits, the next does not.
    await startPrivateBuild('acme on gold one');
    expect(await apiErrorOf(startPrivateBuild('acme on gold two'))).toEqual({
      status: 429,
      code: 'ACCOUNT_QUEUE_FULL',
    });
    const builds = await both.client.request<{ builds: unknown[] }>(
      'GET',
      '/v1/private-image-builds',
    );
    expect(builds.builds).toHaveLength(1);
    expect(await activeJobs(both)).toBe(3);
    expect(await startBuildOverAws()).toEqual({
      status: 400,
      body: { __type: 'BuildLimitExceededException', message: expect.any(String) },
    });

    // Another account has a queue of its own.
    expect(
      (await postGroup(other, 'other_first', ['debian-12', 'debian-13'], otherInstallerId)).status,
    ).toBe(201);

    // Cancelling the first group frees its two places; its name stays used.
    const cancelled = await both.client.request<PresentedPackageGroup>(
      'POST',
      `/v1/package-groups/${firstGroup.id}/cancel`,
    );
    expect(cancelled.state).toBe('Cancelled');
    expect(cancelled.builds.map((b) => b.state)).toEqual(['Cancelled', 'Cancelled']);
    expect(cancelled.builds.every((b) => b.finishedAt !== null)).toBe(true);
    expect(await activeJobs(both)).toBe(1);
    expect(await harness.server.store.jobs.countByState()).toMatchObject({ cancelled: 2 });
    expect((await postGroup(both, 'acme_second', ['debian-12', 'debian-13'])).status).toBe(201);
  });

  it('cancels only unfinished builds of the caller’s own groups', async () => {
    const seller = await harness.createAccount('Cancelling Seller', ['seller']);
    const installer = await writeTempFile('install.sh', '#!/bin/sh\necho hello\n');
    const packageId = (await seller.client.uploadPackage<StoredPackage>(installer)).id;
    const created = await postGroup(seller, 'seller_cancel_twice', ['debian-12'], packageId);
    expect(created.status).toBe(201);
    const group = created.body as unknown as PresentedPackageGroup;

    expect(
      await apiErrorOf(other.client.request('POST', `/v1/package-groups/${group.id}/cancel`)),
    ).toEqual({ status: 404, code: 'PACKAGE_GROUP_NOT_FOUND' });
    expect(
      (await seller.client.request<PresentedPackageGroup>('GET', `/v1/package-groups/${group.id}`))
        .state,
    ).toBe('Building');
    await seller.client.request('POST', `/v1/package-groups/${group.name}/cancel`);
    expect(
      await apiErrorOf(seller.client.request('POST', `/v1/package-groups/${group.id}/cancel`)),
    ).toEqual({ status: 409, code: 'NOTHING_TO_CANCEL' });
    // A cancelled group has finished: it may be deleted.
    await seller.client.request('DELETE', `/v1/package-groups/${group.id}`);
  });

  /** StartBuild over the AWS JSON protocol, signed with a new access key of `both`. */
  async function startBuildOverAws(): Promise<{ status: number; body: Record<string, unknown> }> {
    const key = await both.client.request<{ accessKeyId: string; secretAccessKey: string }>(
      'POST',
      '/v1/access-keys',
    );
    const input = {
      FulfillmentOptionIds: ['fo-debian'],
      SourceImageId: goldImageId,
      DestinationImageName: 'acme over aws',
    };
    return injectAwsOperation(harness.server.app, key, 'StartBuild', input);
  }
});
