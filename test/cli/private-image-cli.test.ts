import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tarRoot, writeRootDir } from '../domain/gold-images/gold-image-fixtures.js';
import { publishGroupAsProduct } from '../private-builds/private-build-fixtures.js';
import { runCli, startServerProcess, type ServerProcess } from '../support/cli-process.js';
import { tempDir } from '../support/paths.js';

describe('goldsmith private-image, against a server process', () => {
  let server: ServerProcess;
  let buyerEnv: Record<string, string>;
  let goldImageId: string;

  beforeAll(async () => {
    const dataDir = tempDir('private-cli');
    server = await startServerProcess(['--data-dir', dataDir, '--workers', '0']);
    const operatorEnv = {
      GOLDSMITH_URL: server.url,
      GOLDSMITH_TOKEN: server.operatorToken!,
      XDG_CONFIG_HOME: tempDir('xdg'),
    };
    const account = async (name: string, role: string) => {
      const created = await runCli(
        ['account', 'create', '--name', name, '--role', role, '--json'],
        operatorEnv,
      );
      expect(created.code, created.stderr).toBe(0);
      return JSON.parse(created.stdout) as { accountId: string; token: string };
    };
    const seller = await account('Seller', 'seller');
    const buyer = await account('Buyer', 'buyer');
    buyerEnv = { ...operatorEnv, GOLDSMITH_TOKEN: buyer.token };

    // The catalog rows go straight into the server's database; publishing is tested elsewhere.
    const store = await openSqliteStore(path.join(dataDir, 'goldsmith.db'));
    try {
      const { productId } = await publishGroupAsProduct(store, {
        sellerAccountId: seller.accountId,
        title: 'Acme Cli Agent',
        groupId: 'pg-cli',
        optionId: 'fo-cli',
      });
      await store.subscriptions.insertIfAbsent({
        id: 'sub-cli',
        buyerAccountId: buyer.accountId,
        productId,
        eulaUrl: 'https://acme.test/eula',
        createdAt: new Date().toISOString(),
      });
    } finally {
      await store.close();
    }
    const file = tarRoot(writeRootDir(), path.join(tempDir('private-cli-root'), 'root.tar'));
    const imported = await runCli(['gold-image', 'import', file, '--name', 'gold'], buyerEnv);
    expect(imported.code, imported.stderr).toBe(0);
    goldImageId = imported.stdout.trim();
  });
  afterAll(async () => server?.kill('SIGTERM'));

  it('starts a build, lists and shows it, and reads its (empty) logs', async () => {
    const started = await runCli(
      [
        'private-image',
        'build',
        '--fulfillment-option',
        'fo-cli',
        '--source-image',
        goldImageId,
        '--name',
        'acme on gold',
        '--tag',
        'team=infra',
        '--client-token',
        'cli-1',
      ],
      buyerEnv,
    );
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^bld-[0-9a-f]{16}$/);

    const listed = await runCli(['private-image', 'list', '--json'], buyerEnv);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id, status: 'InProgress', tags: { team: 'infra' } }),
    ]);
    const table = await runCli(['private-image', 'list'], buyerEnv);
    expect(table.stdout).toContain(id);
    const shown = await runCli(['private-image', 'show', id], buyerEnv);
    expect(shown.stdout).toContain(`${id} InProgress`);
    expect(shown.stdout).toMatch(/stdout: http:\/\/.*\/logs\?stream=stdout&expires=\d+&signature=/);
    const logs = await runCli(
      ['private-image', 'logs', id, '--stream', 'stderr', '--json'],
      buyerEnv,
    );
    expect(logs.code, logs.stderr).toBe(0);
    expect(JSON.parse(logs.stdout)).toEqual({ lines: [] });
  });

  it('reports a refused build with its code and exit status 1', async () => {
    const refused = await runCli(
      [
        'private-image',
        'build',
        '--fulfillment-option',
        'fo-cli',
        '--source-image',
        goldImageId,
        '--name',
        'x',
      ],
      buyerEnv,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('INVALID_DESTINATION_IMAGE_NAME');
  });
});
