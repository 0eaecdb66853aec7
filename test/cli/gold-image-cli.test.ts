import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli, startServerProcess, type ServerProcess } from '../support/cli-process.js';
import { tempDir } from '../support/paths.js';
import { tarRoot, writeRootDir } from '../domain/gold-images/gold-image-fixtures.js';

describe('goldsmith gold-image, against a server process', () => {
  let server: ServerProcess;
  let buyerEnv: Record<string, string>;

  beforeAll(async () => {
    server = await startServerProcess(['--data-dir', tempDir('gold-cli'), '--workers', '0']);
    const operatorEnv = {
      GOLDSMITH_URL: server.url,
      GOLDSMITH_TOKEN: server.operatorToken!,
      XDG_CONFIG_HOME: tempDir('xdg'),
    };
    const created = await runCli(
      ['account', 'create', '--name', 'Buyer', '--role', 'buyer', '--json'],
      operatorEnv,
    );
    expect(created.code, created.stderr).toBe(0);
    const { token } = JSON.parse(created.stdout) as { token: string };
    buyerEnv = { ...operatorEnv, GOLDSMITH_TOKEN: token };
  });
  afterAll(async () => server?.kill('SIGTERM'));

  it('imports a root filesystem tar, printing the id, and lists it', async () => {
    const file = tarRoot(writeRootDir(), path.join(tempDir('gold-cli-root'), 'root.tar.gz'), '-z');
    const imported = await runCli(['gold-image', 'import', file, '--name', 'cli gold'], buyerEnv);
    expect(imported.code, imported.stderr).toBe(0);
    const id = imported.stdout.trim();
    expect(id).toMatch(/^img-[0-9a-f]{17}$/);
    expect(imported.stderr).toMatch(/uploading root\.tar\.gz: \d+ of \d+ bytes \(100%\)/);
    expect(imported.stderr).toContain('imported cli gold (debian-12)');

    const listed = await runCli(['gold-image', 'list', '--json'], buyerEnv);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id, name: 'cli gold', owner: 'self', osVersion: 'debian-12' }),
    ]);
    const table = await runCli(['gold-image', 'list'], buyerEnv);
    expect(table.stdout).toContain(id);
  });

  it('reports a refused import with its code and exit status 1', async () => {
    const file = tarRoot(writeRootDir(null), path.join(tempDir('gold-cli-root'), 'no-os.tar'));
    const refused = await runCli(['gold-image', 'import', file, '--json'], buyerEnv);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('GOLD_IMAGE_OS_UNKNOWN');
  });
});
