import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import type { ConfigInput } from '../../../src/config/config.js';
import type { Role } from '../../../src/domain/types.js';
import { startHarness, type Harness, type TestAccount } from '../../support/goldsmith-harness.js';
import { repoRoot } from '../../support/paths.js';
import { ensureConsoleBuilt } from './console-build.js';

/** Screenshots of the console's main pages, for people reviewing a change (git-ignored). */
export const SCREENSHOT_DIR = path.join(repoRoot, 'test-results', 'console-screenshots');

/** Debian's Chromium (scripts/setup.sh installs it); GOLDSMITH_CHROMIUM points elsewhere. */
const CHROMIUM = process.env['GOLDSMITH_CHROMIUM'] ?? '/usr/bin/chromium';

export const DESKTOP = { width: 1280, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

export interface ConsoleHarness {
  readonly goldsmith: Harness;
  /** The console's address: `http://127.0.0.1:PORT/console/`. */
  readonly consoleUrl: string;
  createAccount(name: string, roles: Role[]): Promise<TestAccount>;
  /** A fresh browser context (its own cookies) and page. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Opens `path` under the console, signs in on the sign-in page, and waits for the page's heading. */
  signIn(page: Page, account: TestAccount, path?: string): Promise<void>;
  /** Uncaught page errors and Content-Security-Policy violations since the last call. */
  takePageProblems(): string[];
  /** Saves a full-page screenshot as SCREENSHOT_DIR/<name>.png. */
  screenshot(page: Page, name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Goldsmith (no build workers) serving the built console on a free
 * port, and headless Chromium driven by playwright-core. A missing Chromium
 * fails the tests: the console is tested in a real browser or not at all.
 */
export async function startConsoleHarness(config: ConfigInput = {}): Promise<ConsoleHarness> {
  await ensureConsoleBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // Without build workers unless a test asks for them (`{ workers: 1 }` builds for real).
  const goldsmith = await startHarness({ workers: 0, ...config });
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  } catch (error) {
    await goldsmith.stop();
    throw new Error(
      `cannot start Chromium at ${CHROMIUM}; install it with \`apt-get install chromium\` (scripts/setup.sh does): ${String(error)}`,
    );
  }
  const contexts: BrowserContext[] = [];
  let problems: string[] = [];
  const consoleUrl = `${goldsmith.url}/console/`;
  return {
    goldsmith,
    consoleUrl,
    createAccount: (name, roles) => goldsmith.createAccount(name, roles),
    async newPage(viewport = DESKTOP) {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.text().includes('Content Security Policy')) problems.push(message.text());
      });
      return page;
    },
    takePageProblems() {
      const taken = problems;
      problems = [];
      return taken;
    },
    async signIn(page, account, path = '') {
      await page.goto(consoleUrl + path);
      await page.getByLabel('API token').fill(account.token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
    },
    async screenshot(page, name) {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
    async stop() {
      for (const context of contexts) await context.close();
      await browser.close();
      await goldsmith.stop();
    },
  };
}
