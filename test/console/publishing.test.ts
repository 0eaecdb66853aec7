import { readFile } from 'node:fs/promises';

import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { fillForm, validRow } from '../publishing/load-form/load-form-fixtures.js';
import {
  submitGroup,
  waitForGroup,
  writeTempFile,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { PHONE, startConsoleHarness, type ConsoleHarness } from './support/console-harness.js';

const GROUP = 'acme_agent_r1';
const DESCRIPTION = 'Acme Agent 1.0 launch';

describe('console publishing pages: File upload, Load form review, Products (Chromium)', () => {
  let consoleHarness: ConsoleHarness;
  let seller: TestAccount;
  let operator: TestAccount;
  let buyer: TestAccount;
  let filledForm: Buffer | undefined;

  beforeAll(async () => {
    consoleHarness = await startConsoleHarness({ workers: 1 });
    seller = await consoleHarness.createAccount('Acme Software', ['seller']);
    operator = await consoleHarness.createAccount('Goldsmith Operations', ['operator']);
    buyer = await consoleHarness.createAccount('Buyer Inc', ['buyer']);
    const installer = await writeTempFile('install.sh', '#!/bin/sh\necho hello\n');
    await submitGroup(seller.client, GROUP, ['debian-12'], [installer]);
    const group = await waitForGroup(seller.client, GROUP);
    expect(group.state).toBe('Successful');
  }, 900_000);
  afterEach(() => expect(consoleHarness.takePageProblems()).toEqual([]));
  afterAll(async () => consoleHarness?.stop());

  async function openUploadDialog(page: Page) {
    await page.getByRole('button', { name: 'Upload load form' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upload load form' });
    await dialog.waitFor();
    return dialog;
  }

  it('downloads the load form and uploads it filled in, with progress', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, seller, 'seller/file-upload');
    await page.getByRole('heading', { name: 'File upload', level: 1 }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download load form' }).click(),
    ]);
    const downloadPath = await download.path();
    const downloadedForm = await readFile(downloadPath);
    expect(downloadedForm.subarray(0, 2).toString()).toBe('PK');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(downloadedForm).buffer);
    expect(workbook.getWorksheet('Product')).toBeDefined();

    const filled = await fillForm(downloadedForm, [
      validRow({
        productTitle: 'Acme Agent',
        softwareVersion: '1.0.0',
        packageGroupName: GROUP,
        visibility: 'limited',
        testAccountIds: buyer.accountId,
      }),
    ]);
    const formPath = await writeTempFile('acme-load-form.xlsx', filled);
    filledForm = filled;

    // Hold the upload until the progress bar has been seen, so it cannot finish unobserved.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/v1/load-form-submissions?*', async (route) => {
      await released;
      await route.continue();
    });
    const dialog = await openUploadDialog(page);
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await dialog.getByText('Choose the filled-in load form.').waitFor();
    expect(await dialog.getByText('Enter a description.').isVisible()).toBe(true);
    await dialog.locator('input[type=file]').setInputFiles(formPath);
    await dialog.getByRole('textbox', { name: 'Description' }).fill(DESCRIPTION);
    expect(await dialog.getByText('Enter a description.').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await dialog.getByRole('progressbar').waitFor();
    release();
    await dialog.waitFor({ state: 'detached' });
    await page.unroute('**/v1/load-form-submissions?*');

    const row = page.getByRole('table', { name: 'File upload' }).getByRole('row', {
      name: new RegExp(DESCRIPTION),
    });
    await row.waitFor();
    expect(await row.textContent()).toContain('Submitted');
    expect(await row.textContent()).toContain('acme-load-form.xlsx');
    await consoleHarness.screenshot(page, 'seller-file-upload');
  }, 120_000);

  it('shows the API’s refusal of a broken workbook in the upload dialog', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, seller, 'seller/file-upload');
    const broken = await writeTempFile('broken.xlsx', 'this is only text\n');
    const dialog = await openUploadDialog(page);
    await dialog.locator('input[type=file]').setInputFiles(broken);
    await dialog.getByRole('textbox', { name: 'Description' }).fill('A broken form');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await dialog.getByText('The load form was not accepted').waitFor();
    expect(await dialog.getByText('LOAD_FORM_INVALID').isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(
      await page.getByRole('row', { name: /A broken form/ }).count(),
      'a refused form is not listed',
    ).toBe(0);
  }, 60_000);

  it('runs the review: operator asks, seller answers, operator publishes', async () => {
    if (filledForm === undefined) throw new Error('the upload test must run first');
    const form = filledForm;
    const ops = await consoleHarness.newPage();
    await consoleHarness.signIn(ops, operator, 'operator/load-form-review');
    await ops.getByRole('heading', { name: 'Load form review', level: 1 }).waitFor();
    await ops.getByRole('button', { name: 'Filter by state' }).click();
    await ops.getByRole('option', { name: 'Published' }).click();
    await ops.getByText('No submissions in state Published.').waitFor();
    await ops.getByRole('button', { name: 'Filter by state' }).click();
    await ops.getByRole('option', { name: 'Submitted' }).click();
    await ops.getByRole('link', { name: DESCRIPTION }).click();
    await ops.getByRole('heading', { name: DESCRIPTION, level: 1 }).waitFor();
    expect(await ops.getByText(GROUP).first().isVisible()).toBe(true);

    const act = async (button: string, confirm: string, message?: string) => {
      await ops.getByRole('button', { name: button, exact: true }).click();
      const dialog = ops.getByRole('dialog');
      await dialog.waitFor();
      if (message !== undefined) await dialog.getByRole('textbox').fill(message);
      await dialog.getByRole('button', { name: confirm, exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
    };
    await act('Start review', 'Start review');
    await ops.getByText('Under review').first().waitFor();

    // A question is required: the dialog says so before the API is asked.
    await ops.getByRole('button', { name: 'Ask for clarification' }).click();
    await ops.getByRole('dialog').getByRole('button', { name: 'Send question' }).click();
    await ops.getByText('Enter the question.').waitFor();
    await ops.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await act('Ask for clarification', 'Send question', 'Which ports does the agent open?');
    await ops.getByText('Needs clarification').first().waitFor();
    await consoleHarness.screenshot(ops, 'operator-load-form-review');

    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, seller, 'seller/file-upload');
    await page.getByRole('link', { name: DESCRIPTION }).click();
    const conversation = page.getByRole('list', { name: 'Conversation' });
    await conversation.getByText('Which ports does the agent open?').waitFor();
    await page.getByRole('textbox', { name: 'Answer' }).fill('Only port 8080.');
    await page.getByRole('button', { name: 'Send answer' }).click();
    await conversation.getByText('Only port 8080.').waitFor();
    await page.getByText('Under review').first().waitFor();
    await consoleHarness.screenshot(page, 'seller-submission-conversation');
    // Sent once: a second request would fail (the submission is no longer NeedsClarification).
    expect(await conversation.getByText('Only port 8080.').count()).toBe(1);
    expect(await page.getByText('Could not send the answer').count()).toBe(0);

    // A corrected workbook replaces the submission's one, with no description asked.
    const corrected = await writeTempFile('acme-load-form-v2.xlsx', form);
    await page.getByRole('button', { name: 'Upload corrected form' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upload corrected form' });
    expect(await dialog.getByRole('textbox', { name: 'Description' }).count()).toBe(0);
    await dialog.locator('input[type=file]').setInputFiles(corrected);
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('acme-load-form-v2.xlsx').first().waitFor();
    await conversation.getByText(/Corrected form/).waitFor();

    await ops.getByRole('button', { name: 'Refresh submission' }).click();
    await ops.getByRole('list', { name: 'Conversation' }).getByText('Only port 8080.').waitFor();
    await act('Publish', 'Publish', 'Welcome aboard.');
    await ops.getByText('Published').first().waitFor();
    expect(await ops.getByRole('button', { name: 'Reject' }).isDisabled()).toBe(true);
  }, 120_000);

  it('lists the published product on the seller’s Products page and makes it public', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, seller, 'seller/products');
    await page.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
    const row = page.getByRole('table', { name: 'Products' }).getByRole('row', {
      name: /Acme Agent/,
    });
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain('1.0.0');
    expect(text).toContain(GROUP);
    expect(text).toContain('debian-12');
    expect(text).toContain('Limited');
    await consoleHarness.screenshot(page, 'seller-products');

    await row.getByRole('button', { name: /Make .* public/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Make fulfillment option public' });
    await dialog.getByRole('button', { name: 'Make public' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText('Public').waitFor();
    expect(await row.getByRole('button', { name: /Make .* public/ }).count()).toBe(0);

    const phone = await consoleHarness.newPage(PHONE);
    await consoleHarness.signIn(phone, seller, 'seller/products');
    await phone.getByRole('row', { name: /Acme Agent/ }).waitFor();
    expect(
      await phone.evaluate<number>('document.documentElement.scrollWidth'),
    ).toBeLessThanOrEqual(PHONE.width);
  }, 60_000);
});
