import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { ApiClient } from '../../src/cli/api-client.js';
import type { LogPage } from '../../src/domain/builds/build-service.js';
import {
  startHarness,
  submitGroup,
  waitForGroup,
  writeTempFile,
  type Harness,
} from '../support/goldsmith-harness.js';
import { startServerProcess, type ServerProcess } from '../support/cli-process.js';
import { repoRoot, tempDir, testBaseCacheDir } from '../support/paths.js';

describe('durable builds', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  it('a queued build survives a server restart and completes', async () => {
    const dataDir = tempDir('restart');
    const first: Harness = await startHarness({ dataDir, workers: 0 });
    const operatorToken = first.server.operatorToken!;
    const seller = await first.createAccount('Acme', ['seller']);
    const installer = path.join(repoRoot, 'examples', 'hello-sh', 'install.sh');
    const submitted = await submitGroup(
      seller.client,
      'acme_queued_r1',
      ['debian-12'],
      [installer],
    );
    expect(submitted.state).toBe('Building');
    await first.stop();

    const second = await startHarness({ dataDir, workers: 1 }, operatorToken);
    cleanups.push(() => second.stop());
    expect(second.server.operatorToken).toBeUndefined();
    const client = new ApiClient(second.url, seller.token);
    const group = await waitForGroup(client, submitted.id);
    expect(group.state).toBe('Successful');
    expect(group.builds[0]!.attempts).toBe(1);
  });

  it('a build whose server was killed mid-install is taken over after its lease and its sandbox is cleaned', async () => {
    const dataDir = tempDir('crash');
    const args = [
      '--data-dir',
      dataDir,
      '--base-cache',
      testBaseCacheDir,
      '--workers',
      '1',
      '--job-lease',
      '3',
    ];
    let server: ServerProcess = await startServerProcess([...args]);
    // A graceful stop at the end, so the server removes its sink networks.
    cleanups.push(() => server.kill('SIGTERM'));
    const operatorToken = server.operatorToken!;
    expect(operatorToken).toMatch(/^gs_/);
    const operator = new ApiClient(server.url, operatorToken);
    const seller = await operator.request<{ token: string }>('POST', '/v1/accounts', {
      name: 'Acme',
      roles: ['seller'],
    });
    const client = new ApiClient(server.url, seller.token);
    const installer = await writeTempFile(
      'install.sh',
      '#!/bin/sh\necho "install started"\nsleep 8\necho "install done"\n',
    );
    const submitted = await submitGroup(client, 'acme_crash_r1', ['debian-12'], [installer]);
    const buildId = submitted.builds[0]!.id;

    // Wait until the installer runs, then kill the whole server with SIGKILL.
    for (let i = 0; ; i += 1) {
      const page = await client.request<LogPage>(
        'GET',
        `/v1/builds/${buildId}/logs?after=0&limit=1000`,
      );
      if (page.lines.some((l) => l.text === 'install started')) break;
      if (i > 3000) throw new Error('installer never started');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await server.kill('SIGKILL');
    const orphan = `${buildId}-1`;
    expect(await readdir(path.join(dataDir, 'sandboxes'))).toContain(orphan);

    server = await startServerProcess([...args]);
    const restarted = new ApiClient(server.url, seller.token);
    const group = await waitForGroup(restarted, submitted.id);
    expect(group.state).toBe('Successful');
    expect(group.builds[0]!.attempts).toBe(2);
    const page = await restarted.request<LogPage>(
      'GET',
      `/v1/builds/${buildId}/logs?after=0&limit=1000`,
    );
    expect(page.lines.filter((l) => l.text === 'install done')).toHaveLength(1);

    // The dead worker's sandbox: no directory, no mount left.
    expect(await readdir(path.join(dataDir, 'sandboxes'))).not.toContain(orphan);
    const mounts = await readFile('/proc/self/mountinfo', 'utf8');
    expect(mounts).not.toContain(orphan);
  });
});
