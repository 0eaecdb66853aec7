import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { TestAccount } from '../support/goldsmith-harness.js';
import { startConsoleHarness, type ConsoleHarness } from './support/console-harness.js';

describe('console sign-in, navigation and session security (Chromium)', () => {
  let consoleHarness: ConsoleHarness;
  let seller: TestAccount;
  let operator: TestAccount;

  beforeAll(async () => {
    consoleHarness = await startConsoleHarness();
    seller = await consoleHarness.createAccount('Acme Software', ['seller']);
    operator = await consoleHarness.createAccount('Ops Team', ['operator']);
  });
  afterEach(() => expect(consoleHarness.takePageProblems()).toEqual([]));
  afterAll(async () => consoleHarness?.stop());

  it('shows a wrong token’s error on the sign-in page', async () => {
    const page = await consoleHarness.newPage();
    await page.goto(consoleHarness.consoleUrl);
    await page.getByRole('heading', { name: 'Sign in to Goldsmith' }).waitFor();
    await consoleHarness.screenshot(page, 'sign-in');
    await page.getByLabel('API token').fill('gs_not_a_token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByText('Sign-in failed');
    await alert.waitFor();
    expect(await page.getByText('the API token is not valid').isVisible()).toBe(true);
    expect(await page.getByText('UNAUTHENTICATED').isVisible()).toBe(true);
    await consoleHarness.screenshot(page, 'sign-in-error');
  });

  it('signs a seller in to the seller’s navigation only', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, seller);
    const nav = page.getByRole('navigation').filter({ hasText: 'Goldsmith console' });
    for (const text of ['Image Build', 'Manage packages', 'Scan status', 'File upload']) {
      await nav.getByText(text, { exact: true }).first().waitFor();
    }
    for (const text of ['Investigations', 'Accounts', 'Vulnerability database', 'Gold images']) {
      expect(await nav.getByText(text, { exact: true }).count(), text).toBe(0);
    }
    expect(await page.getByRole('button', { name: /Acme Software/ }).isVisible()).toBe(true);
    await consoleHarness.screenshot(page, 'seller-home');
  });

  it('signs an operator in to the operator’s navigation', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, operator);
    const nav = page.getByRole('navigation').filter({ hasText: 'Goldsmith console' });
    for (const text of ['Investigations', 'Load form review', 'Base images', 'Accounts']) {
      await nav.getByRole('link', { name: text, exact: true }).waitFor();
    }
    expect(await nav.getByText('Image Build', { exact: true }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Investigations', exact: true }).click();
    await page.getByRole('heading', { name: 'Investigations', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/operator/investigations');
    await consoleHarness.screenshot(page, 'operator-home');
  });

  it('keeps the session cookie HttpOnly and SameSite=Strict, out of page scripts’ reach', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, seller);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'goldsmith_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(session?.value).not.toContain(seller.token);
    expect(await page.evaluate<string>('document.cookie')).not.toContain('goldsmith_session');
  });

  it('refuses a POST with the cookie but no CSRF header, and accepts it with the header', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, operator);
    const results = await page.evaluate(async () => {
      const post = (headers: Record<string, string>) =>
        fetch('/v1/accounts', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ name: 'Made In Browser', roles: ['buyer'] }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { code?: string } }));
      const without = await post({});
      const session = (await (await fetch('/v1/session')).json()) as { csrfToken: string };
      const withHeader = await post({ 'x-csrf-token': session.csrfToken });
      return { without, withHeader };
    });
    expect(results.without).toEqual({
      status: 403,
      body: expect.objectContaining({ code: 'CSRF_TOKEN_INVALID' }),
    });
    expect(results.withHeader.status).toBe(201);
  });

  it('signs out from the top bar, and the old cookie no longer works', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, seller);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'goldsmith_session');
    expect(cookie).toBeDefined();

    await page.getByRole('button', { name: /Acme Software/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Goldsmith' }).waitFor();

    const reply = await fetch(`${consoleHarness.goldsmith.url}/v1/session`, {
      headers: { cookie: `goldsmith_session=${cookie!.value}` },
    });
    expect(reply.status).toBe(401);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Goldsmith' }).waitFor();
  });
});
