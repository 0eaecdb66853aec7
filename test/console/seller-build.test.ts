import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  submitGroup,
  waitForGroup,
  writeTempFile,
  type TestAccount,
} from '../support/goldsmith-harness.js';
import { PHONE, startConsoleHarness, type ConsoleHarness } from './support/console-harness.js';

// Real builds: one worker builds the failing group (submitted through the API) and then the
// group the browser submits; each tiny .sh build takes seconds to a minute on this machine.
describe('console seller Image Build pages (Chromium, real builds)', () => {
  let consoleHarness: ConsoleHarness;
  let seller: TestAccount;

  beforeAll(async () => {
    consoleHarness = await startConsoleHarness({ workers: 1 });
    seller = await consoleHarness.createAccount('Acme Software', ['seller']);
    const failing = await writeTempFile(
      'install.sh',
      '#!/bin/sh\necho "checking the licence"\necho "licence file is missing" >&2\nexit 3\n',
    );
    await submitGroup(seller.client, 'acme_broken', ['debian-12'], [failing]);
  }, 120_000);
  afterEach(() => expect(consoleHarness.takePageProblems()).toEqual([]));
  afterAll(async () => consoleHarness?.stop());

  it('shows a failed build’s findings and installer output behind its information icon', async () => {
    await waitForGroup(seller.client, 'acme_broken', 600_000);
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, seller, 'seller/scan-status');
    const table = page.getByRole('table', { name: 'Scan status' });
    const row = table.getByRole('row', { name: /acme_broken/ });
    await row.getByText('Issues found').waitFor();

    await page.getByRole('button', { name: 'Show builds of acme_broken' }).click();
    // The expanded build row carries its own information icon.
    await table.getByRole('button', { name: 'Findings of debian-12' }).waitFor();
    await page.getByRole('button', { name: 'Findings of acme_broken' }).click();
    const popover = page.getByRole('dialog', { name: /Findings of acme_broken/ });
    await popover.getByText('What to do').waitFor();
    expect(await popover.getByText('INSTALLER_EXIT_STATUS', { exact: true }).count()).toBe(1);
    expect(
      await popover
        .getByRole('heading', { name: /The installer ended with exit status 3/ })
        .count(),
    ).toBe(1);
    expect(await popover.getByText('Evidence: exitCode').isVisible()).toBe(true);
    const output = popover.getByLabel('Installer output');
    await output.getByText(/stderr: licence file is missing/).waitFor();
    expect(await output.textContent()).toContain('stdout: checking the licence');
    await consoleHarness.screenshot(page, 'seller-findings');
  }, 700_000);

  it('shows how long a build has been Investigating and, after four business days, contacts operations', async () => {
    // Investigating needs a failure on Goldsmith's side; the failed group's list entry is
    // turned into a build investigated since January, and the support case is answered here.
    const page = await consoleHarness.newPage();
    await page.route('**/v1/package-groups', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as {
        packageGroups: { name: string; state: string; builds: object[] }[];
      };
      for (const group of body.packageGroups.filter((g) => g.name === 'acme_broken')) {
        group.state = 'Investigating';
        group.builds = group.builds.map((build) => ({
          ...build,
          state: 'Investigating',
          findings: [],
          investigation: {
            since: '2026-01-05T10:00:00.000Z',
            contactAvailableAt: '2026-01-09T10:00:00.000Z',
          },
        }));
      }
      await route.fulfill({ response, json: body });
    });
    const sent: unknown[] = [];
    await page.route('**/v1/builds/*/support-cases', async (route) => {
      sent.push(route.request().postDataJSON());
      await route.fulfill({
        status: 201,
        json: { id: 'case-1', message: 'still stuck', state: 'open', createdAt: '2026-01-12' },
      });
    });
    await consoleHarness.signIn(page, seller, 'seller/scan-status');
    const table = page.getByRole('table', { name: 'Scan status' });
    await table
      .getByRole('row', { name: /acme_broken/ })
      .getByText('Investigating')
      .waitFor();
    await page.getByRole('button', { name: 'Show builds of acme_broken' }).click();
    await table.getByText(/Investigating since/).waitFor();
    await page.getByRole('button', { name: 'Findings of debian-12' }).click();
    const popover = page.getByRole('dialog', { name: /Findings of debian-12/ });
    await popover.getByText(/Investigating since/).waitFor();
    await popover.getByRole('button', { name: 'Contact operations' }).click();
    await popover.getByLabel('Message to the operators').fill('still stuck');
    await popover.getByRole('button', { name: 'Send' }).click();
    await popover.getByText('Your support case is open.').waitFor();
    expect(sent).toEqual([{ message: 'still stuck' }]);
  });

  it('Create revision copies a group under its next name', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, seller, 'seller/scan-status');
    await page.getByRole('button', { name: 'Create revision of acme_broken' }).click();
    await page.getByRole('heading', { name: 'Start package', level: 1 }).waitFor();
    const name = page.getByLabel('Enter a unique name for your package group');
    await expect.poll(() => name.inputValue()).toBe('acme_broken_r2');
    expect(await page.getByRole('checkbox', { name: /Debian 12/ }).isChecked()).toBe(true);
    expect(await page.getByRole('button', { name: /Installer/ }).textContent()).toContain(
      'install.sh',
    );

    // An API validation error lands on the field it concerns (no Windows base image exists).
    await page.getByRole('radio', { name: 'AWS Marketplace base Windows AMIs' }).check();
    await page.getByText('No windows OS versions are offered.').waitFor();
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText(/PLATFORM_NOT_AVAILABLE/).waitFor();
    expect(await page.getByRole('heading', { name: 'Start package', level: 1 }).isVisible()).toBe(
      true,
    );
  });

  it('fits a phone: Start package without sideways scrolling', async () => {
    const page = await consoleHarness.newPage(PHONE);
    await consoleHarness.signIn(page, seller, 'seller/packages?start=1');
    await page.getByRole('heading', { name: 'Start package', level: 1 }).waitFor();
    await page.getByRole('checkbox', { name: /Debian 12/ }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
  });

  it('submits a package group from Start package and follows it live to its image details', async () => {
    const page = await consoleHarness.newPage();
    await consoleHarness.signIn(page, seller, 'seller/packages');
    await page.getByRole('heading', { name: 'Manage packages', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Start package' }).click();
    await page.getByRole('heading', { name: 'Start package', level: 1 }).waitFor();

    // The name is checked as the seller types.
    const name = page.getByLabel('Enter a unique name for your package group');
    await name.fill('acme agent');
    await page.getByText('The name contains “ ”').waitFor();
    await name.fill('acme_broken');
    await page.getByText('acme_broken was used before').waitFor();
    await page.getByRole('button', { name: 'Use acme_broken_r2' }).click();
    expect(await name.inputValue()).toBe('acme_broken_r2');
    await name.fill('acme_console_r1');
    await page.getByText('was used before').waitFor({ state: 'detached' });

    const installer = await writeTempFile(
      'setup-console.sh',
      '#!/bin/sh\nmkdir -p /opt/acme && echo "installed" > /opt/acme/README\n',
    );
    await page.locator('input[type="file"]').setInputFiles(installer);
    // The file's progress bar ends in its result, and the one uploaded file becomes the installer.
    // Exact, and in the page: the live region that announces it to screen readers says it too.
    await page.locator('#root').getByText('Uploaded', { exact: true }).waitFor();
    await page
      .getByRole('button', { name: /Installer/ })
      .filter({ hasText: 'setup-console.sh' })
      .waitFor();
    await page.getByRole('checkbox', { name: /Debian 12/ }).check();
    await consoleHarness.screenshot(page, 'seller-start-package');
    await page.getByRole('button', { name: 'Submit' }).click();

    // Scan status follows the build without Refresh status.
    await page.getByRole('heading', { name: 'Scan status', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Scan status' });
    const row = table.getByRole('row', { name: /acme_console_r1/ });
    await row.waitFor();
    await row.getByText('Successful').waitFor({ timeout: 600_000 });
    await page.getByRole('button', { name: 'Show builds of acme_console_r1' }).click();
    const imageLink = table.getByRole('row', { name: /debian-12/ }).getByRole('link');
    await imageLink.waitFor();
    const imageId = (await imageLink.textContent()) ?? '';
    await consoleHarness.screenshot(page, 'seller-scan-status-expanded');

    await imageLink.click();
    await page.getByRole('heading', { name: imageId, level: 1 }).waitFor();
    const sbom = page.getByRole('table', { name: 'SBOM packages' });
    await sbom.getByRole('row', { name: /base-files/ }).waitFor();
    await page.getByRole('searchbox', { name: 'Filter packages' }).fill('dpkg');
    await sbom.getByRole('row', { name: /^dpkg/ }).waitFor();
    expect(await sbom.getByRole('row', { name: /base-files/ }).count()).toBe(0);
    await consoleHarness.screenshot(page, 'seller-image-details');

    // Severity filters ask the API for only those findings.
    await page.getByRole('tab', { name: 'Vulnerabilities' }).click();
    await page.getByRole('table', { name: 'Vulnerabilities' }).waitFor();
    await page.getByRole('button', { name: /Filter by severity/ }).click();
    const filtered = page.waitForRequest((request) =>
      request.url().includes('scan-report?format=json&severity=critical'),
    );
    await page.getByRole('option', { name: 'critical' }).click();
    await filtered;
    await page.getByText('No vulnerabilities of the chosen severities.').waitFor();

    await page.getByRole('tab', { name: 'Downloads' }).click();
    const json = await page
      .getByRole('link', { name: /Scan report: Goldsmith JSON/ })
      .getAttribute('href');
    const cyclonedx = await page
      .getByRole('link', { name: /Scan report: CycloneDX/ })
      .getAttribute('href');
    const origin = new URL(consoleHarness.consoleUrl).origin;
    // The browser context's cookie session, as a click on the link would send it.
    const jsonReply = await page.request.get(origin + (json ?? ''));
    expect(jsonReply.status()).toBe(200);
    const report = (await jsonReply.json()) as { gate: { passed: boolean }; packages: unknown[] };
    expect(report.gate.passed).toBe(true);
    expect(report.packages.length).toBeGreaterThan(0);
    const bomReply = await page.request.get(origin + (cyclonedx ?? ''));
    expect(bomReply.headers()['content-disposition']).toContain(`${imageId}.scan.`);
    expect(((await bomReply.json()) as { bomFormat: string }).bomFormat).toBe('CycloneDX');
  }, 700_000);
});
