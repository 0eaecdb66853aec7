import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { submitGroup, waitForGroup } from '../support/goldsmith-harness.js';
import { repoRoot } from '../support/paths.js';
import { buildLog } from '../support/cluster/build-logs.js';
import type { GoldsmithProcess } from '../support/cluster/goldsmith-process.js';
import { privateClusterEachTest } from '../support/cluster/private-cluster.js';
import { startSleepingBuild } from '../support/cluster/sleeping-build.js';

describe('PostgreSQL going away while a build runs', () => {
  const startPrivateCluster = privateClusterEachTest();

  /** An API server and a worker on a private PostgreSQL, and a build whose installer is running. */
  async function buildInProgress() {
    const { postgres, cluster } = await startPrivateCluster({ jobLeaseSeconds: 10 });
    const { api, workers, seller, submitted, buildId } = await startSleepingBuild(
      cluster,
      'acme_pg_r1',
      1,
    );
    const worker = workers[0]!;
    return { postgres, processes: [api, worker], worker, seller, submitted, buildId };
  }

  /** The build finished, every process is ready, and events and new builds flow again. */
  async function expectRecovered(
    processes: readonly GoldsmithProcess[],
    seller: Awaited<ReturnType<typeof buildInProgress>>['seller'],
    groupId: string,
    buildId: string,
  ): Promise<void> {
    const group = await waitForGroup(seller.client, groupId);
    expect(group.state).toBe('Successful');
    // Whether or not an attempt was retried, one ran the installer to its end.
    const lines = await buildLog(seller.client, buildId);
    expect(lines.map((l) => l.text)).toContain('install done');
    for (const p of processes) {
      expect((await fetch(`${p.url}/v1/ready`)).status).toBe(200);
      // The event bus writes the process's JSON log records, with its role.
      expect(p.logRecords()).toContainEqual(
        expect.objectContaining({ msg: 'event listener reconnected', role: expect.any(String) }),
      );
    }
    const again = await submitGroup(
      seller.client,
      'acme_pg_r2',
      ['debian-12'],
      [path.join(repoRoot, 'examples', 'hello-sh', 'install.sh')],
    );
    expect((await waitForGroup(seller.client, again.id)).state).toBe('Successful');
  }

  it('is restarted: the build finishes and the server serves again', async () => {
    const { postgres, processes, seller, submitted, buildId } = await buildInProgress();
    await postgres.restart('fast');
    await expectRecovered(processes, seller, submitted.id, buildId);
  }, 900_000);

  it('stays down past a lease heartbeat: the build still finishes', async () => {
    const { postgres, processes, worker, seller, submitted, buildId } = await buildInProgress();
    await postgres.stop('fast');
    // Down long enough that the worker's heartbeat fails at least once.
    const heartbeatFailed = () => worker.logRecords().some((r) => r['msg'] === 'heartbeat failed');
    while (!heartbeatFailed()) await new Promise((resolve) => setTimeout(resolve, 200));
    await postgres.start();
    await expectRecovered(processes, seller, submitted.id, buildId);
  }, 900_000);
});
