import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { ApiClient } from '../../src/cli/api-client.js';
import { startServerProcess, type ServerProcess } from '../support/cli-process.js';
import { submitGroup, waitForGroup, writeTempFile } from '../support/goldsmith-harness.js';
import { tempDir, testBaseCacheDir } from '../support/paths.js';

interface InstanceBody {
  id: string;
  state: string;
  stateReason: string | null;
}

describe('instances across a server crash', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  it('marks the instances of a killed server failed and removes their sandboxes', async () => {
    const dataDir = tempDir('instance-crash');
    const args = ['--data-dir', dataDir, '--base-cache', testBaseCacheDir, '--workers', '1'];
    let server: ServerProcess = await startServerProcess([...args]);
    // A graceful stop at the end, so the server removes its sink networks.
    cleanups.push(() => server.kill('SIGTERM'));
    const operator = new ApiClient(server.url, server.operatorToken!);
    const seller = await operator.request<{ token: string }>('POST', '/v1/accounts', {
      name: 'Acme',
      roles: ['seller'],
    });
    let client = new ApiClient(server.url, seller.token);
    // A build makes the debian-12 base image of this server.
    const installer = await writeTempFile('install.sh', '#!/bin/sh\necho ok\n');
    const submitted = await submitGroup(client, 'acme_crash_r1', ['debian-12'], [installer]);
    expect((await waitForGroup(client, submitted.id)).state).toBe('Successful');
    const { osVersions } = await client.request<{
      osVersions: { id: string; baseImageId: string | null }[];
    }>('GET', '/v1/os-versions');
    const imageId = osVersions.find((os) => os.id === 'debian-12')!.baseImageId!;

    const launched = await client.request<InstanceBody>('POST', '/v1/instances', {
      imageId,
      command: ['/bin/sh', '-c', 'echo up; exec sleep 300'],
    });
    for (;;) {
      const instance = await client.request<InstanceBody>('GET', `/v1/instances/${launched.id}`);
      if (instance.state === 'running') break;
      expect(instance.state).toBe('pending');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await server.kill('SIGKILL');
    expect(await readdir(path.join(dataDir, 'sandboxes'))).toContain(launched.id);

    server = await startServerProcess([...args]);
    client = new ApiClient(server.url, seller.token);
    const failed = await client.request<InstanceBody>('GET', `/v1/instances/${launched.id}`);
    expect(failed.state).toBe('failed');
    expect(failed.stateReason).toContain('process that ran it ended');
    expect(await readdir(path.join(dataDir, 'sandboxes'))).not.toContain(launched.id);
    expect(await readFile('/proc/self/mountinfo', 'utf8')).not.toContain(launched.id);
    const terminated = await client.request<InstanceBody>(
      'POST',
      `/v1/instances/${launched.id}/terminate`,
    );
    expect(terminated.state).toBe('terminated');
  });
});
