import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli, startServerProcess, type ServerProcess } from '../support/cli-process.js';
import { repoRoot, tempDir } from '../support/paths.js';

describe('operators’ CLI for builds in Investigating', () => {
  let server: ServerProcess;
  let operatorEnv: Record<string, string>;
  let sellerEnv: Record<string, string>;

  beforeAll(async () => {
    // No reachable mirror and an empty base cache: every build fails on our side.
    server = await startServerProcess([
      '--data-dir',
      tempDir('operator-cli'),
      '--base-cache',
      tempDir('operator-cli-bases'),
      '--debian-mirror',
      'http://127.0.0.1:9/debian',
      '--debian-security-mirror',
      'http://127.0.0.1:9/debian-security',
      '--build-retries',
      '0',
    ]);
    operatorEnv = { GOLDSMITH_URL: server.url, GOLDSMITH_TOKEN: server.operatorToken! };
    const created = await runCli(
      ['account', 'create', '--name', 'Acme', '--role', 'seller', '--json'],
      operatorEnv,
    );
    const { token } = JSON.parse(created.stdout) as { token: string };
    sellerEnv = { GOLDSMITH_URL: server.url, GOLDSMITH_TOKEN: token };
  });
  afterAll(async () => server?.kill('SIGTERM'));

  it('shows the seller Investigating since a date, lists it for operators, and closes it with a note', async () => {
    const installer = path.join(repoRoot, 'examples', 'hello-sh', 'install.sh');
    const args = [
      'package-group',
      'create',
      '--name',
      'acme_r1',
      '--os',
      'debian-11',
      '--installer',
      installer,
      '--wait',
    ];
    const submitted = await runCli(args, sellerEnv);
    expect(submitted.code).toBe(4);
    expect(submitted.stdout).toMatch(
      /Investigating since \S+; the operators are on it; you can contact the operators from \S+/,
    );

    const listed = await runCli(['operator', 'investigations', '--json'], operatorEnv);
    expect(listed.code, listed.stderr).toBe(0);
    const builds = JSON.parse(listed.stdout) as { id: string; internalError: string }[];
    expect(builds).toHaveLength(1);
    expect(builds[0]!.internalError).toMatch(/mmdebstrap/);

    const refused = await runCli(['operator', 'investigations'], sellerEnv);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('FORBIDDEN_ROLE');

    const tooEarly = await runCli(
      ['build', 'contact', builds[0]!.id, '--message', 'any news?'],
      sellerEnv,
    );
    expect(tooEarly.code).toBe(1);
    expect(tooEarly.stderr).toContain('SUPPORT_CONTACT_TOO_EARLY');

    const closed = await runCli(
      ['operator', 'close', builds[0]!.id, '--message', 'use release 2.5 for debian-11'],
      operatorEnv,
    );
    expect(closed.code, closed.stderr).toBe(0);
    const shown = await runCli(['package-group', 'show', 'acme_r1'], sellerEnv);
    expect(shown.stdout).toContain('OPERATOR_CLOSED');
    expect(shown.stdout).toContain('use release 2.5 for debian-11');
  });
});
