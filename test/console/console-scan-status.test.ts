import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { submitGroup, writeTempFile, type TestAccount } from '../support/goldsmith-harness.js';
import { PHONE, startConsoleHarness, type ConsoleHarness } from './support/console-harness.js';

describe('console Scan status page (Chromium)', () => {
  let consoleHarness: ConsoleHarness;
  let seller: TestAccount;
  let installer: string;

  beforeAll(async () => {
    consoleHarness = await startConsoleHarness();
    seller = await consoleHarness.createAccount('Acme Software', ['seller']);
    const other = await consoleHarness.createAccount('Other Vendor', ['seller']);
    installer = await writeTempFile('install.sh', '#!/bin/sh\necho hello\n');
    await submitGroup(seller.client, 'acme_agent_r1', ['debian-12'], [installer]);
    await submitGroup(seller.client, 'acme_agent_r2', ['debian-12'], [installer]);
    await submitGroup(other.client, 'other_tool_r1', ['debian-12'], [installer]);
  });
  afterEach(() => expect(consoleHarness.takePageProblems()).toEqual([]));
  afterAll(async () => consoleHarness?.stop());

  it('lists the seller’s package groups, only theirs, and refreshes', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, seller, 'seller/scan-status');
    await page.getByRole('heading', { name: 'Scan status', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Scan status' });
    await table.getByRole('row', { name: /acme_agent_r1/ }).waitFor();
    expect(await table.getByRole('row', { name: /acme_agent_r2/ }).textContent()).toContain(
      'Building',
    );
    expect(await table.getByText('other_tool_r1').count()).toBe(0);
    await consoleHarness.screenshot(page, 'seller-scan-status');

    await submitGroup(seller.client, 'acme_agent_r3', ['debian-12'], [installer]);
    await page.getByRole('button', { name: 'Refresh status' }).click();
    await table.getByRole('row', { name: /acme_agent_r3/ }).waitFor();

    await page.getByRole('searchbox', { name: 'Filter package groups' }).fill('r2');
    await table.getByRole('row', { name: /acme_agent_r1/ }).waitFor({ state: 'detached' });
    expect(await table.getByRole('row', { name: /acme_agent_r2/ }).isVisible()).toBe(true);
    expect(await table.getByRole('row', { name: /acme_agent_r3/ }).count()).toBe(0);
  });

  it('shows an API failure in the page, and recovers on Retry', async () => {
    const page = await consoleHarness.newPage();
    await page.route('**/v1/package-groups', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ code: 'INTERNAL_ERROR', message: 'internal error; request id t1' }),
      }),
    );
    await consoleHarness.signIn(page, seller, 'seller/scan-status');
    await page.getByText('Could not load package groups').waitFor();
    expect(await page.getByText('internal error; request id t1').isVisible()).toBe(true);
    expect(await page.getByRole('navigation').first().isVisible()).toBe(true);
    await consoleHarness.screenshot(page, 'seller-scan-status-error');

    await page.unroute('**/v1/package-groups');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('row', { name: /acme_agent_r1/ }).waitFor();
    expect(await page.getByText('Could not load package groups').count()).toBe(0);
  });

  it('explains a page of a role the account does not hold', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, seller, 'operator/accounts');
    await page.getByText('which this account does not hold').waitFor();
  });

  it('fits a phone: page readable without sideways scrolling, navigation behind its toggle', async () => {
    const page = await consoleHarness.newPage(PHONE);
    await consoleHarness.signIn(page, seller, 'seller/scan-status');
    await page.getByRole('heading', { name: 'Scan status', level: 1 }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
    await consoleHarness.screenshot(page, 'phone-scan-status');

    await page.getByRole('button', { name: 'Open side navigation' }).click();
    const link = page.getByRole('link', { name: 'Manage packages', exact: true });
    await link.waitFor();
    await consoleHarness.screenshot(page, 'phone-navigation');
    await link.click();
    await page.getByRole('heading', { name: 'Manage packages', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/seller/packages');
  });
});
