import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ProductView } from '../../src/domain/publishing/catalog-service.js';
import type { LoadFormSubmission } from '../../src/domain/publishing/publishing-types.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli, startServerProcess, type ServerProcess } from '../support/cli-process.js';
import { writeTempFile } from '../support/goldsmith-harness.js';
import { tempDir } from '../support/paths.js';
import { fillForm, validRow } from '../publishing/load-form/load-form-fixtures.js';
import { readFile } from 'node:fs/promises';

describe('publishing from the CLI', () => {
  let server: ServerProcess;
  let dataDir: string;
  let operatorEnv: Record<string, string>;
  let sellerEnv: Record<string, string>;
  let buyerEnv: Record<string, string>;
  let sellerId: string;

  async function account(role: string): Promise<{ accountId: string; token: string }> {
    const created = await runCli(
      ['account', 'create', '--name', role, '--role', role, '--json'],
      operatorEnv,
    );
    return JSON.parse(created.stdout) as { accountId: string; token: string };
  }

  beforeAll(async () => {
    dataDir = tempDir('publishing-cli');
    server = await startServerProcess(['--data-dir', dataDir, '--workers', '0']);
    operatorEnv = { GOLDSMITH_URL: server.url, GOLDSMITH_TOKEN: server.operatorToken! };
    const seller = await account('seller');
    sellerId = seller.accountId;
    sellerEnv = { GOLDSMITH_URL: server.url, GOLDSMITH_TOKEN: seller.token };
    buyerEnv = { GOLDSMITH_URL: server.url, GOLDSMITH_TOKEN: (await account('buyer')).token };

    // A group the pipeline built and scanned, recorded in the server's own database.
    const store = await openSqliteStore(path.join(dataDir, 'goldsmith.db'));
    try {
      const now = new Date().toISOString();
      await store.packageGroups.insertReservingName({
        id: 'pg-acme-web',
        accountId: sellerId,
        name: 'acme-web-2.1',
        platform: 'linux',
        osVersions: ['debian-12'],
        packages: [],
        createdAt: now,
        deletedAt: null,
      });
      await store.builds.insert({
        id: 'build-acme-web',
        accountId: sellerId,
        packageGroupId: 'pg-acme-web',
        osVersion: 'debian-12',
        state: 'Successful',
        imageId: 'img-acme-web',
        baseImageId: null,
        baseDigest: null,
        scanReportDigest: `sha256:${'c'.repeat(64)}`,
        submittedAt: now,
        startedAt: now,
        finishedAt: now,
        phases: {},
        findings: [],
        internalError: null,
        attempts: 1,
      });
    } finally {
      await store.close();
    }
  });
  afterAll(async () => server?.kill('SIGTERM'));

  it('downloads, submits, reviews, publishes, lists, shows and subscribes', async () => {
    const formFile = path.join(tempDir('form'), 'form.xlsx');
    const downloaded = await runCli(['load-form', 'download', '--output', formFile], sellerEnv);
    expect(downloaded.code, downloaded.stderr).toBe(0);
    const filled = await writeTempFile(
      'filled.xlsx',
      await fillForm(await readFile(formFile), [
        validRow({ visibility: 'public', testAccountIds: '' }),
      ]),
    );

    const submitted = await runCli(
      ['load-form', 'submit', filled, '--description', 'Acme Web 2.1', '--json'],
      sellerEnv,
    );
    expect(submitted.code, submitted.stderr).toBe(0);
    const { id } = JSON.parse(submitted.stdout) as LoadFormSubmission;

    const listed = await runCli(['review', 'list', '--state', 'Submitted', '--json'], operatorEnv);
    expect((JSON.parse(listed.stdout) as LoadFormSubmission[]).map((s) => s.id)).toEqual([id]);
    const refused = await runCli(['review', 'list'], sellerEnv);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('FORBIDDEN_ROLE');

    expect((await runCli(['review', 'start', id], operatorEnv)).code).toBe(0);
    expect(
      (await runCli(['review', 'clarify', id, '--message', 'Which port?'], operatorEnv)).code,
    ).toBe(0);
    expect((await runCli(['load-form', 'answer', id, '--message', '8080'], sellerEnv)).code).toBe(
      0,
    );
    expect((await runCli(['load-form', 'correct', id, filled], sellerEnv)).code).toBe(0);
    const published = await runCli(['review', 'publish', id, '--message', 'Welcome'], operatorEnv);
    expect(published.code, published.stderr).toBe(0);
    const status = await runCli(['load-form', 'status', id], sellerEnv);
    expect(status.stdout).toContain(`submission ${id}: Published`);
    expect(status.stdout).toContain('operator (question): Which port?');

    const products = await runCli(['product', 'list', '--search', 'web', '--json'], buyerEnv);
    const [product] = JSON.parse(products.stdout) as ProductView[];
    expect(product?.title).toBe('Acme Web Server');
    const shown = await runCli(['product', 'show', product!.id], buyerEnv);
    expect(shown.stdout).toContain('acme-web-2.1 on debian-12 (public)');

    const noTerms = await runCli(['product', 'subscribe', product!.id], buyerEnv);
    expect(noTerms.code).toBe(1);
    expect(noTerms.stderr).toContain('TERMS_NOT_ACCEPTED');
    const subscribed = await runCli(
      ['product', 'subscribe', product!.id, '--accept-terms', '--json'],
      buyerEnv,
    );
    expect(subscribed.code, subscribed.stderr).toBe(0);
    expect(JSON.parse(subscribed.stdout)).toMatchObject({ productId: product!.id });
  });
});
