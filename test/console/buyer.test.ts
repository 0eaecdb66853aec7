import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { publishProduct } from '../private-builds/private-build-fixtures.js';
import {
  submitGroup,
  waitForGroup,
  writeTempFile,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { tempDir } from '../support/paths.js';
import { PHONE, startConsoleHarness, type ConsoleHarness } from './support/console-harness.js';

const LONG = 600_000;

describe('console buyer pages (Chromium)', () => {
  let consoleHarness: ConsoleHarness;
  let buyer: TestAccount;
  let productId: string;

  /** Picks `option` in the Cloudscape Select labelled `label`. */
  async function choose(page: Page, label: string, option: RegExp): Promise<void> {
    await page.getByRole('button', { name: new RegExp(label) }).click();
    await page.getByRole('option', { name: option }).first().click();
  }

  beforeAll(async () => {
    consoleHarness = await startConsoleHarness({ workers: 1, instanceLimit: 2 });
    const seller = await consoleHarness.createAccount('Acme Software', ['seller']);
    buyer = await consoleHarness.createAccount('Buyer One', ['buyer']);
    // One small real build: it makes the debian-12 base image and the product's package group.
    const installer = await writeTempFile(
      'install.sh',
      '#!/bin/sh\nset -e\nmkdir -p /opt/acme\necho "acme agent 2.4" > /opt/acme/VERSION\n',
    );
    const submitted = await submitGroup(
      seller.client,
      'acme_console_r1',
      ['debian-12'],
      [installer],
    );
    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('Successful');
    ({ productId } = await publishProduct(consoleHarness.goldsmith.server.store, {
      sellerAccountId: seller.accountId,
      title: 'Acme Agent',
      options: [
        {
          id: 'fo-console-1',
          packageGroupId: group.id,
          packageGroupName: group.name,
          osVersions: ['debian-12'],
        },
      ],
    }));
  }, LONG);
  afterEach(() => expect(consoleHarness.takePageProblems()).toEqual([]));
  afterAll(async () => consoleHarness?.stop());

  it(
    'searches, subscribes, builds a private image live, launches it and follows its console',
    async () => {
      const page = await consoleHarness.newPage();
      await consoleHarness.signIn(page, buyer, 'buyer/products');
      await page.getByRole('heading', { name: 'Products search', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Acme Agent' }).waitFor();
      const filtered = page.waitForRequest((request) =>
        request.url().includes('deliveryMethod=private-image-build'),
      );
      await choose(page, 'Delivery method', /^Private image build/);
      await filtered;
      const search = page.getByRole('searchbox', { name: 'Search products' });
      await search.fill('no such product');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByText('No products match the search.').waitFor();
      await search.fill('acme');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('link', { name: 'Acme Agent' }).waitFor();
      await consoleHarness.screenshot(page, 'buyer-product-search');

      await page.getByRole('link', { name: 'Acme Agent' }).click();
      await page.getByRole('heading', { name: 'Acme Agent', level: 1 }).waitFor();
      const options = page.getByRole('table', { name: 'Versions and fulfillment options' });
      expect(await options.getByRole('row', { name: /fo-console-1/ }).textContent()).toContain(
        'Private image build',
      );
      await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
      await page.getByRole('button', { name: 'Accept terms and subscribe' }).click();
      await page.getByText('Subscribed', { exact: true }).waitFor();
      await consoleHarness.screenshot(page, 'buyer-product');

      await page.getByRole('button', { name: 'Create new private image', exact: true }).click();
      await page.getByRole('heading', { name: 'Create new private image', level: 1 }).waitFor();
      // The option comes chosen from the product page.
      await page.getByRole('button', { name: /Fulfillment option.*Acme Agent 2\.4/ }).waitFor();
      await page.getByRole('tab', { name: 'Public' }).click();
      await choose(page, 'Source image', /debian-12/);
      const name = page.getByLabel('Destination image name');
      await name.fill('a#');
      await page.getByText('The name must be 3-128 characters').waitFor();
      await name.fill('acme on debian (console)');
      await page.getByText('The name must be 3-128 characters').waitFor({ state: 'detached' });
      await page.getByLabel('Description').fill('the agent on the public base');
      await page.getByText('28/255 characters').waitFor();
      await page.getByRole('button', { name: 'Add new tag' }).click();
      await page.getByPlaceholder('Enter key').fill('team');
      await page.getByPlaceholder('Enter value').fill('infra');
      await consoleHarness.screenshot(page, 'buyer-create-private-image');
      await page.getByRole('button', { name: 'Create private image' }).click();

      // The list follows the build without a click.
      await page.getByRole('heading', { name: 'Private images builds', level: 1 }).waitFor();
      const builds = page.getByRole('table', { name: 'Private images builds' });
      const row = builds.getByRole('row', { name: /acme on debian \(console\)/ });
      await row.getByText('In progress').waitFor();
      await row.getByText('Succeeded').waitFor({ timeout: LONG });
      expect(await row.getByRole('link', { name: /^stdout of bld-/ }).count()).toBe(1);
      await consoleHarness.screenshot(page, 'buyer-builds');

      await page.goto(`${consoleHarness.consoleUrl}buyer/images`);
      const images = page.getByRole('table', { name: 'Images (Owned by me)' });
      const imageRow = images.getByRole('row', { name: /acme on debian \(console\)/ });
      await imageRow.waitFor();
      expect(await imageRow.textContent()).toContain('fo-console-1');
      await page.getByRole('radio', { name: 'Select acme on debian (console)' }).click();
      await page.getByText('team=infra').waitFor();
      expect(await page.getByRole('link', { name: /qcow2 disk/ }).getAttribute('href')).toMatch(
        /^\/v1\/images\/img-[0-9a-f]+\/disk\?format=qcow2$/,
      );
      await consoleHarness.screenshot(page, 'buyer-images');

      await page.getByRole('button', { name: 'Launch', exact: true }).click();
      await page.getByLabel('Command').fill('echo CONSOLE-MARKER-$((6*7)); sleep 300');
      await page.getByRole('button', { name: 'Launch instance' }).click();
      await page.getByRole('heading', { name: /^Instance i-/, level: 1 }).waitFor();
      const consoleLog = page.getByRole('log', { name: 'Console output' });
      await consoleLog.getByText('CONSOLE-MARKER-42').waitFor({ timeout: LONG });
      await page.getByText('Running', { exact: true }).waitFor();
      await consoleHarness.screenshot(page, 'buyer-instance-console');

      await page.getByRole('button', { name: 'Stop instance' }).click();
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      await page.getByText('Stopped', { exact: true }).waitFor({ timeout: LONG });
      await page.getByRole('button', { name: 'Terminate instance' }).click();
      await page.getByRole('button', { name: 'Terminate', exact: true }).click();
      await page.getByText('Terminated', { exact: true }).waitFor({ timeout: LONG });

      await page.goto(`${consoleHarness.consoleUrl}buyer/instances`);
      const instances = page.getByRole('table', { name: 'Instances' });
      await instances.getByRole('row', { name: /Terminated/ }).waitFor();
      expect(await instances.getByRole('row', { name: /i-[0-9a-f]{17}/ }).count()).toBe(1);
    },
    LONG,
  );

  it('shows an API refusal of the build at its field, on a phone', async () => {
    // Subscribing again returns the first subscription: this test stands on its own.
    await buyer.client.request('POST', `/v1/products/${productId}/subscriptions`, {
      acceptTerms: true,
    });
    const page = await consoleHarness.newPage(PHONE);
    await page.route('**/v1/private-image-builds', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 400,
            contentType: 'application/json',
            body: JSON.stringify({
              code: 'INSTALLER_MISMATCH',
              message: 'the installer does not fit the source image',
            }),
          })
        : route.continue(),
    );
    await consoleHarness.signIn(page, buyer, 'buyer/private-builds?create=1&optionId=fo-console-1');
    await page.getByRole('button', { name: /Fulfillment option.*Acme Agent 2\.4/ }).waitFor();
    await page.getByRole('tab', { name: 'Public' }).click();
    await choose(page, 'Source image', /debian-12/);
    await page.getByLabel('Destination image name').fill('refused image');
    await page.getByRole('button', { name: 'Create private image' }).click();
    await page
      .getByText('the installer does not fit the source image (INSTALLER_MISMATCH)')
      .waitFor();
    expect(new URL(page.url()).searchParams.get('create')).toBe('1');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
    await consoleHarness.screenshot(page, 'phone-buyer-create-private-image');
  });

  it('imports a gold image from a small root filesystem tar with progress', async () => {
    const root = tempDir('console-gold-root');
    mkdirSync(path.join(root, 'etc'));
    writeFileSync(
      path.join(root, 'etc/os-release'),
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n',
    );
    const tarball = path.join(tempDir('console-gold-tar'), 'tiny-rootfs.tar');
    execFileSync('tar', ['-C', root, '-cf', tarball, '.']);

    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, buyer, 'buyer/gold-images');
    await page.getByRole('heading', { name: 'Gold images', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Import gold image' }).click();
    await page.locator('input[type="file"]').setInputFiles(tarball);
    await page.getByLabel('Name').fill('tiny gold');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const row = page
      .getByRole('table', { name: 'Gold images' })
      .getByRole('row', { name: /tiny gold/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Owned by me');
    expect(await row.textContent()).toContain('debian-12');
  });

  it('creates an access key, showing its secret once, and deletes it', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, buyer, 'buyer/access-keys');
    await page.getByRole('heading', { name: 'Access keys', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Create access key' }).click();
    await page.getByText('This is the only time the secret access key can be viewed').waitFor();
    const { accessKeys } = await buyer.client.request<{ accessKeys: { accessKeyId: string }[] }>(
      'GET',
      '/v1/access-keys',
    );
    expect(accessKeys).toHaveLength(1);
    const keyId = accessKeys[0]!.accessKeyId;
    await page.getByRole('button', { name: 'Copy secret access key' }).waitFor();
    const table = page.getByRole('table', { name: 'Access keys' });
    await table.getByRole('row', { name: new RegExp(keyId) }).waitFor();
    await consoleHarness.screenshot(page, 'buyer-access-keys');

    // Once the page is left, the secret is gone for good.
    await page.reload();
    await table.getByRole('row', { name: new RegExp(keyId) }).waitFor();
    expect(await page.getByText('This is the only time').count()).toBe(0);

    await page.getByRole('button', { name: `Delete ${keyId}` }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await table.getByRole('row', { name: new RegExp(keyId) }).waitFor({ state: 'detached' });
  });
});
