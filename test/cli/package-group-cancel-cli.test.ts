import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PresentedPackageGroup } from '../../src/domain/package-groups/package-group-service.js';
import { runCli, startServerProcess, type ServerProcess } from '../support/cli-process.js';
import { repoRoot, tempDir } from '../support/paths.js';

describe('package-group cancel and --account-queue-limit, against a server process', () => {
  let server: ServerProcess;
  let sellerEnv: Record<string, string>;
  const installer = path.join(repoRoot, 'examples', 'hello-sh', 'install.sh');
  const create = (name: string, os: string) =>
    runCli(
      ['package-group', 'create', '--name', name, '--os', os, '--installer', installer, '--json'],
      sellerEnv,
    );

  beforeAll(async () => {
    // No workers: builds stay queued until cancelled.
    server = await startServerProcess([
      '--data-dir',
      tempDir('cli-cancel'),
      '--workers',
      '0',
      '--account-queue-limit',
      '2',
    ]);
    const operatorEnv = {
      GOLDSMITH_URL: server.url,
      GOLDSMITH_TOKEN: server.operatorToken!,
      XDG_CONFIG_HOME: tempDir('xdg'),
    };
    const created = await runCli(
      ['account', 'create', '--name', 'Acme Software', '--role', 'seller', '--json'],
      operatorEnv,
    );
    expect(created.code, created.stderr).toBe(0);
    const { token } = JSON.parse(created.stdout) as { token: string };
    sellerEnv = { ...operatorEnv, GOLDSMITH_TOKEN: token };
  });
  afterAll(async () => server?.kill('SIGTERM'));

  it('refuses builds past the limit, and cancels a group’s unfinished builds once', async () => {
    const first = await create('acme_first', 'debian-12,debian-13');
    expect(first.code, first.stderr).toBe(0);
    const refused = await create('acme_second', 'debian-12');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ACCOUNT_QUEUE_FULL');

    const cancelled = await runCli(['package-group', 'cancel', 'acme_first', '--json'], sellerEnv);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    const group = JSON.parse(cancelled.stdout) as PresentedPackageGroup;
    expect(group.state).toBe('Cancelled');
    expect(group.builds.map((b) => b.state)).toEqual(['Cancelled', 'Cancelled']);

    const again = await runCli(['package-group', 'cancel', 'acme_first'], sellerEnv);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('NOTHING_TO_CANCEL');
    // The cancelled builds no longer count towards the limit.
    const second = await create('acme_second', 'debian-12');
    expect(second.code, second.stderr).toBe(0);
  });
});
