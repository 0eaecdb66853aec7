import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { BuildView } from '../../src/domain/builds/build-view.js';
import {
  submitGroup,
  waitForGroup,
  writeTempFile,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { repoRoot, tempDir } from '../support/paths.js';
import { osvLinesNaming, VULNDATA_DIR } from '../support/vulndata.js';
import { startConsoleHarness, type ConsoleHarness } from './support/console-harness.js';

const BOOKWORM = path.join(VULNDATA_DIR, 'debian-bookworm-security-changelog.osv.jsonl.xz');

describe('console operator pages (Chromium)', () => {
  let consoleHarness: ConsoleHarness;
  let operator: TestAccount;
  let seller: TestAccount;
  let broken: BuildView[];

  beforeAll(async () => {
    // A mirror nobody answers on and an empty base cache: base creation fails
    // on Goldsmith's side, so both builds of one group end in Investigating
    // without running an installer.
    consoleHarness = await startConsoleHarness({
      workers: 1,
      baseCacheDir: tempDir('no-mirror-cache'),
      debianMirror: 'http://127.0.0.1:9/debian',
      debianSecurityMirror: 'http://127.0.0.1:9/debian-security',
      buildRetries: 0,
    });
    operator = await consoleHarness.createAccount('Ops Team', ['operator']);
    seller = await consoleHarness.createAccount('Acme Software', ['seller']);
    const installer = path.join(repoRoot, 'examples', 'hello-sh', 'install.sh');
    const group = await submitGroup(
      seller.client,
      'acme_broken_r1',
      ['debian-12', 'debian-13'],
      [installer],
    );
    const done = await waitForGroup(seller.client, group.id, 300_000);
    broken = done.builds as BuildView[];
    expect(broken.map((b) => b.state)).toEqual(['Investigating', 'Investigating']);
    // Sellers may open a case only after four business days; the store takes one directly.
    await consoleHarness.goldsmith.server.store.supportCases.insert({
      id: 'case_console_1',
      accountId: seller.accountId,
      buildId: broken[0]!.id,
      message: 'Our build has been investigating for a week, any news?',
      state: 'open',
      createdAt: new Date().toISOString(),
    });
  }, 600_000);
  afterEach(() => expect(consoleHarness.takePageProblems()).toEqual([]));
  afterAll(async () => consoleHarness?.stop());

  it('shows Investigating builds with their error, retries one and closes the other', async () => {
    const [first, second] = broken as [BuildView, BuildView];
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, operator, 'operator/investigations');
    const table = page.getByRole('table', { name: 'Builds in Investigating' });
    const row = table.getByRole('row', { name: new RegExp(first.id) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Acme Software');
    expect(await row.textContent()).toContain('acme_broken_r1');

    await row.getByRole('link', { name: first.id }).click();
    await page.getByRole('heading', { name: `Build ${first.id}` }).waitFor();
    await page
      .getByText(/mmdebstrap|127\.0\.0\.1:9/)
      .first()
      .waitFor();
    await consoleHarness.screenshot(page, 'operator-investigations');

    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    const retryDialog = page.getByRole('dialog', { name: `Retry build ${first.id}?` });
    await retryDialog.getByRole('button', { name: 'Retry build' }).click();
    await page.getByText(`Build ${first.id} runs again: Building.`).waitFor();

    await table
      .getByRole('row', { name: new RegExp(second.id) })
      .getByRole('link', { name: second.id })
      .click();
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    const closeDialog = page.getByRole('dialog', { name: `Close build ${second.id}?` });
    const confirm = closeDialog.getByRole('button', { name: 'Close build' });
    expect(await confirm.isDisabled()).toBe(true);
    await closeDialog
      .getByRole('textbox', { name: 'Message to the seller' })
      .fill('Our mirror was down; please submit the group again.');
    await confirm.click();
    await page.getByText(`Build ${second.id} closed: Issues found.`).waitFor();
    await table.getByRole('row', { name: new RegExp(second.id) }).waitFor({ state: 'detached' });
    const closed = await operator.client.request<BuildView>('GET', `/v1/builds/${second.id}`);
    expect(closed.state).toBe('IssuesFound');
  }, 120_000);

  it('lists the support cases sellers opened', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, operator, 'operator/support-cases');
    const row = page
      .getByRole('table', { name: 'Support cases' })
      .getByRole('row', { name: /case_console_1/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Acme Software');
    expect(await row.textContent()).toContain('Open');
    await consoleHarness.screenshot(page, 'operator-support-cases');
  });

  it('creates a seller account and tokens, shown once, and revokes a token', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, operator, 'operator/accounts');
    await page.getByRole('button', { name: 'Create account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create account' });
    await dialog.getByRole('textbox', { name: 'Account name' }).fill('Globex/Tools');
    await dialog.getByText('Use 1-100 letters, digits, spaces or . _ @ -').waitFor();
    await dialog.getByRole('textbox', { name: 'Account name' }).fill('Globex Tools');
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Account Globex Tools created').waitFor();
    const token = (
      (await page.getByRole('group', { name: 'New API token' }).textContent()) ?? ''
    ).trim();
    expect(token.length).toBeGreaterThan(20);
    const me = await fetch(`${consoleHarness.goldsmith.url}/v1/accounts/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await me.json()).toMatchObject({ name: 'Globex Tools', roles: ['seller'] });

    await page.getByRole('heading', { name: 'API tokens of Globex Tools' }).waitFor();
    await page.getByRole('button', { name: 'Create token' }).click();
    const tokenDialog = page.getByRole('dialog', { name: 'Create an API token for Globex Tools' });
    await tokenDialog.getByRole('textbox', { name: 'Token name' }).fill('ci');
    await tokenDialog.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Token created for Globex Tools').waitFor();
    const tokens = page.getByRole('table', { name: 'API tokens of Globex Tools' });
    await tokens.getByRole('row', { name: /ci/ }).waitFor();
    await consoleHarness.screenshot(page, 'operator-accounts');

    // Shown once: dismissed, the secret is nowhere on the page.
    await page.getByRole('button', { name: 'Dismiss' }).first().click();
    await page.getByText('Account Globex Tools created').waitFor({ state: 'detached' });
    expect(await page.getByText(token).count()).toBe(0);

    await page.getByRole('button', { name: 'Revoke token ci' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke token ci?' })
      .getByRole('button', { name: 'Revoke token' })
      .click();
    await tokens.getByRole('row', { name: /ci/ }).waitFor({ state: 'detached' });
    expect(await tokens.getByRole('row', { name: /initial/ }).count()).toBe(1);
  });

  it('lists the base images per OS version and asks before a refresh', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, operator, 'operator/base-images');
    const row = page.getByRole('table', { name: 'OS versions' }).getByRole('row', {
      name: /debian-12/,
    });
    await row.waitFor();
    await page.getByRole('button', { name: 'Refresh debian-12' }).click();
    const dialog = page.getByRole('dialog', { name: 'Refresh the debian-12 base image?' });
    await dialog.getByRole('button', { name: 'Refresh base image' }).waitFor();
    await consoleHarness.screenshot(page, 'operator-base-images');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByText('refresh is queued').count()).toBe(0);
  });

  it('imports an advisory file and shows the new counts', async () => {
    const lines = osvLinesNaming(BOOKWORM, ['7zip']);
    const file = await writeTempFile('7zip-bookworm.jsonl', `${lines.join('\n')}\n`);
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, operator, 'operator/vulnerability-database');
    const sources = page.getByRole('table', { name: 'Sources' });
    await sources.getByText('Nothing imported yet.').waitFor();

    await page.locator('input[type=file]').setInputFiles({
      name: '7zip-bookworm.jsonl',
      mimeType: 'application/json',
      buffer: await readFile(file),
    });
    await page.getByRole('textbox', { name: 'Source' }).fill('bookworm-changelog');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Import finished').waitFor();
    expect(await page.getByText('Imported', { exact: true }).count()).toBe(1);
    const row = sources.getByRole('row', { name: /bookworm-changelog/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(String(lines.length));
    const ecosystems = page.getByRole('table', { name: 'Ecosystems' });
    expect(await ecosystems.getByRole('row', { name: /Debian:12/ }).textContent()).toContain(
      String(lines.length),
    );
    await consoleHarness.screenshot(page, 'operator-vulnerability-database');
  });

  it('keeps operator pages from sellers: not in the navigation, and explained', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, seller, 'operator/investigations');
    await page.getByText('which this account does not hold').waitFor();
    for (const name of ['Investigations', 'Support cases', 'Accounts', 'Vulnerability database'])
      expect(await page.getByRole('link', { name, exact: true }).count()).toBe(0);
  });
});
