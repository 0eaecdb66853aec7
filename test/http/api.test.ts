import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PackageGroupView } from '../../src/domain/package-groups/package-group-service.js';
import type { StoredPackage } from '../../src/domain/types.js';
import { ApiClient } from '../../src/cli/api-client.js';
import {
  apiErrorOf,
  startHarness,
  submitGroup,
  writeTempFile,
  type Harness,
  type TestAccount,
} from '../support/goldsmith-harness.js';

describe('HTTP API (no workers)', () => {
  let harness: Harness;
  let seller: TestAccount;
  let other: TestAccount;
  let installer: string;

  beforeAll(async () => {
    harness = await startHarness({ workers: 0, maxPackageBytes: 4096 });
    seller = await harness.createAccount('Acme Software', ['seller']);
    other = await harness.createAccount('Other Vendor', ['seller', 'buyer']);
    installer = await writeTempFile('install.sh', '#!/bin/sh\necho hello\n');
  });
  afterAll(async () => harness?.stop());

  it('serves an OpenAPI document describing the routes', async () => {
    const doc = await new ApiClient(harness.url, undefined).request<{
      openapi: string;
      paths: Record<string, unknown>;
    }>('GET', '/openapi.json');
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/package-groups',
        '/v1/package-groups/{idOrName}',
        '/v1/builds/{buildId}/logs',
        '/v1/packages',
      ]),
    );
  });

  it('refuses requests without a valid token, with a stable code', async () => {
    expect(
      await apiErrorOf(new ApiClient(harness.url, undefined).request('GET', '/v1/package-groups')),
    ).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(
      await apiErrorOf(new ApiClient(harness.url, 'gs_wrong').request('GET', '/v1/package-groups')),
    ).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });

  it('lets only operators create accounts, and new tokens work', async () => {
    expect(
      await apiErrorOf(
        seller.client.request('POST', '/v1/accounts', { name: 'x', roles: ['seller'] }),
      ),
    ).toEqual({
      status: 403,
      code: 'FORBIDDEN_ROLE',
    });
    const me = await seller.client.request<{ id: string; roles: string[] }>(
      'GET',
      '/v1/accounts/me',
    );
    expect(me.id).toBe(seller.accountId);
    expect(me.id).toMatch(/^[1-9]\d{11}$/);
    expect(me.roles).toEqual(['seller']);
    const issued = await harness.operator.request<{ token: string }>(
      'POST',
      `/v1/accounts/${seller.accountId}/tokens`,
      {
        name: 'ci',
      },
    );
    const again = await new ApiClient(harness.url, issued.token).request<{ id: string }>(
      'GET',
      '/v1/accounts/me',
    );
    expect(again.id).toBe(seller.accountId);
  });

  it('validates request bodies against the schema', async () => {
    expect(
      await apiErrorOf(seller.client.request('POST', '/v1/package-groups', { name: 'x' })),
    ).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it('streams uploads with their sha256 and refuses files over the size limit, keeping nothing', async () => {
    const pkg = await seller.client.uploadPackage<StoredPackage>(installer);
    expect(pkg.digest).toBe(
      'sha256:' +
        (await import('node:crypto'))
          .createHash('sha256')
          .update('#!/bin/sh\necho hello\n')
          .digest('hex'),
    );
    expect(pkg.size).toBe(21);

    const big = await writeTempFile('big.run', Buffer.alloc(5000, 1));
    expect(await apiErrorOf(seller.client.uploadPackage(big))).toEqual({
      status: 413,
      code: 'PACKAGE_TOO_LARGE',
    });
    const { packages } = await seller.client.request<{ packages: StoredPackage[] }>(
      'GET',
      '/v1/packages',
    );
    expect(packages.map((p) => p.fileName)).not.toContain('big.run');
    const blobFiles = await readdir(path.join(harness.dataDir, 'blobs'), { recursive: true });
    expect(blobFiles.filter((f) => !/^(sha256(\/[0-9a-f]{64})?|tmp)$/.test(f))).toEqual([]);

    const badName = await writeTempFile('.hidden.sh', 'x');
    expect(await apiErrorOf(seller.client.uploadPackage(badName))).toEqual({
      status: 400,
      code: 'INVALID_PACKAGE_FILE_NAME',
    });
  });

  it('creates a package group with one build per OS version and refuses its name afterwards', async () => {
    const group = await submitGroup(
      seller.client,
      'acme_api_r1',
      ['debian-12', 'debian-13'],
      [installer],
    );
    expect(group.state).toBe('Building');
    expect(group.builds.map((b) => [b.osVersion, b.state, b.imageId])).toEqual([
      ['debian-12', 'Building', null],
      ['debian-13', 'Building', null],
    ]);
    for (const build of group.builds) expect(Date.parse(build.submittedAt)).not.toBeNaN();

    const byName = await seller.client.request<PackageGroupView>(
      'GET',
      '/v1/package-groups/acme_api_r1',
    );
    expect(byName.id).toBe(group.id);
    const { packageGroups } = await seller.client.request<{ packageGroups: PackageGroupView[] }>(
      'GET',
      '/v1/package-groups',
    );
    expect(packageGroups.map((g) => g.name)).toContain('acme_api_r1');

    expect(
      await apiErrorOf(submitGroup(seller.client, 'acme_api_r1', ['debian-12'], [installer])),
    ).toEqual({
      status: 409,
      code: 'PACKAGE_GROUP_NAME_USED',
    });
    expect(
      await apiErrorOf(seller.client.request('DELETE', '/v1/package-groups/acme_api_r1')),
    ).toEqual({
      status: 409,
      code: 'PACKAGE_GROUP_BUSY',
    });
  });

  it('answers the seed’s rules with their own codes over HTTP', async () => {
    const rpm = await writeTempFile('agent.rpm', 'not really an rpm');
    const msi = await writeTempFile('setup.msi', 'msi');
    expect(
      await apiErrorOf(submitGroup(seller.client, 'bad name', ['debian-12'], [installer])),
    ).toMatchObject({
      code: 'INVALID_PACKAGE_GROUP_NAME',
    });
    expect(
      await apiErrorOf(submitGroup(seller.client, 'rpm_on_debian', ['debian-12'], [rpm])),
    ).toMatchObject({
      code: 'INSTALLER_INCOMPATIBLE_WITH_OS',
    });
    expect(
      await apiErrorOf(submitGroup(seller.client, 'msi_on_linux', ['debian-12'], [msi])),
    ).toMatchObject({
      code: 'INSTALLER_EXTENSION_NOT_ALLOWED',
    });
    const pkg = await seller.client.uploadPackage<StoredPackage>(msi);
    expect(
      await apiErrorOf(
        seller.client.request('POST', '/v1/package-groups', {
          name: 'windows_group',
          platform: 'windows',
          osVersions: ['windows-2022'],
          packages: [{ packageId: pkg.id, installer: true }],
        }),
      ),
    ).toMatchObject({ status: 400, code: 'PLATFORM_NOT_AVAILABLE' });
    expect(
      await apiErrorOf(submitGroup(seller.client, 'old_debian', ['debian-10'], [installer])),
    ).toMatchObject({
      code: 'OS_VERSION_NOT_OFFERED',
    });
    // None of the refused names was used up.
    const ok = await submitGroup(seller.client, 'rpm_on_debian', ['debian-12'], [installer]);
    expect(ok.name).toBe('rpm_on_debian');
  });

  it('scopes everything to the account: another account gets 404, not 403, and may reuse the name', async () => {
    const group = await submitGroup(seller.client, 'acme_private_r1', ['debian-12'], [installer]);
    const build = group.builds[0]!;
    for (const route of [
      `/v1/package-groups/${group.id}`,
      '/v1/package-groups/acme_private_r1',
      `/v1/builds/${build.id}`,
      `/v1/builds/${build.id}/logs`,
    ]) {
      expect(await apiErrorOf(other.client.request('GET', route))).toMatchObject({ status: 404 });
    }
    expect(
      await apiErrorOf(other.client.request('DELETE', `/v1/package-groups/${group.id}`)),
    ).toMatchObject({
      status: 404,
      code: 'PACKAGE_GROUP_NOT_FOUND',
    });
    const { packageGroups } = await other.client.request<{ packageGroups: PackageGroupView[] }>(
      'GET',
      '/v1/package-groups',
    );
    expect(packageGroups).toEqual([]);
    const theirPkg = (
      await seller.client.request<{ packages: StoredPackage[] }>('GET', '/v1/packages')
    ).packages[0]!;
    expect(
      await apiErrorOf(
        other.client.request('POST', '/v1/package-groups', {
          name: 'steal',
          platform: 'linux',
          osVersions: ['debian-12'],
          packages: [{ packageId: theirPkg.id, installer: true }],
        }),
      ),
    ).toMatchObject({ status: 404, code: 'PACKAGE_NOT_FOUND' });

    const otherInstaller = await writeTempFile('install.sh', '#!/bin/sh\ntrue\n');
    const same = await submitGroup(
      other.client,
      'acme_private_r1',
      ['debian-12'],
      [otherInstaller],
    );
    expect(same.name).toBe('acme_private_r1');
  });

  it('lists the OS versions of the catalog', async () => {
    const { osVersions } = await seller.client.request<{
      osVersions: { id: string; platform: string }[];
    }>('GET', '/v1/os-versions');
    expect(osVersions.map((o) => o.id)).toEqual(['debian-11', 'debian-12', 'debian-13']);
  });
});
