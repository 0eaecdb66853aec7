import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli, startServerProcess, type ServerProcess } from '../support/cli-process.js';
import { repoRoot, tempDir, testBaseCacheDir } from '../support/paths.js';

describe('the goldsmith CLI, against a server process', () => {
  let server: ServerProcess;
  let operatorEnv: Record<string, string>;
  let sellerEnv: Record<string, string>;

  beforeAll(async () => {
    server = await startServerProcess([
      '--data-dir',
      tempDir('cli'),
      '--base-cache',
      testBaseCacheDir,
      '--workers',
      '1',
    ]);
    expect(server.operatorToken).toMatch(/^gs_/);
    operatorEnv = {
      GOLDSMITH_URL: server.url,
      GOLDSMITH_TOKEN: server.operatorToken!,
      XDG_CONFIG_HOME: tempDir('xdg'),
    };
  });
  afterAll(async () => server?.kill('SIGTERM'));

  it('creates a seller account, prints {accountId, token} with --json, and login stores them', async () => {
    const created = await runCli(
      ['account', 'create', '--name', 'Acme Software', '--role', 'seller', '--json'],
      operatorEnv,
    );
    expect(created.code, created.stderr).toBe(0);
    const { accountId, token } = JSON.parse(created.stdout) as { accountId: string; token: string };
    expect(accountId).toMatch(/^\d{12}$/);

    const xdg = tempDir('xdg');
    const login = await runCli(['login', '--url', server.url, '--token', token], {
      XDG_CONFIG_HOME: xdg,
      GOLDSMITH_URL: '',
      GOLDSMITH_TOKEN: '',
    });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(accountId);
    // Later commands use the stored login, with no environment.
    const env: Record<string, string> = { XDG_CONFIG_HOME: xdg };
    const list = await runCli(['package-group', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    sellerEnv = env;

    const refused = await runCli(
      ['account', 'create', '--name', 'x', '--role', 'buyer'],
      sellerEnv,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('FORBIDDEN_ROLE');
  });

  it('submits a group with --wait, showing per-OS progress, and shows it afterwards', async () => {
    const installer = path.join(repoRoot, 'examples', 'hello-sh', 'install.sh');
    const result = await runCli(
      [
        'package-group',
        'create',
        '--name',
        'hello_cli_r1',
        '--platform',
        'linux',
        '--os',
        'debian-12',
        '--installer',
        installer,
        '--wait',
        '--json',
      ],
      sellerEnv,
    );
    expect(result.code, result.stderr).toBe(0);
    const group = JSON.parse(result.stdout) as {
      state: string;
      builds: { id: string; state: string; imageId: string }[];
    };
    expect(group.state).toBe('Successful');
    expect(group.builds[0]!.imageId).toMatch(/^img-/);

    const shown = await runCli(['package-group', 'show', 'hello_cli_r1'], sellerEnv);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/debian-12\s+build-\S+\s+Successful\s+img-/);

    const logs = await runCli(['build', 'logs', group.builds[0]!.id, '--json'], sellerEnv);
    expect(logs.code).toBe(0);
    const lines = logs.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; stream: string });
    expect(lines).toContainEqual(
      expect.objectContaining({ stream: 'stdout', text: 'installed /opt/hello/hello' }),
    );

    const followed = await runCli(['build', 'logs', group.builds[0]!.id, '--follow'], sellerEnv);
    expect(followed.code).toBe(0);
    expect(followed.stdout).toContain('installed /opt/hello/hello');
  });

  it('exits 3 with the finding when the group has issues, and refuses the used name', async () => {
    const installer = path.join(repoRoot, 'examples', 'failing', 'install.sh');
    const args = [
      'package-group',
      'create',
      '--name',
      'failing_cli_r1',
      '--os',
      'debian-12',
      '--installer',
      installer,
      '--wait',
    ];
    const result = await runCli(args, sellerEnv);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/debian-12\s+Building/);
    expect(result.stdout).toContain('INSTALLER_EXIT_STATUS');
    expect(result.stdout).toContain('license.key is missing');

    const again = await runCli(args, sellerEnv);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('PACKAGE_GROUP_NAME_USED');
  });
});
