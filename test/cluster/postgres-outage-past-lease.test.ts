import { describe, expect, it } from 'vitest';

import { OS_BUILD_JOB } from '../../src/domain/builds/build-jobs.js';
import { waitForGroup } from '../support/goldsmith-harness.js';
import { buildLog } from '../support/cluster/build-logs.js';
import { privateClusterEachTest } from '../support/cluster/private-cluster.js';
import { startSleepingBuild } from '../support/cluster/sleeping-build.js';

describe('PostgreSQL down for longer than a job lease, with two workers', () => {
  const startPrivateCluster = privateClusterEachTest();

  // Which worker finishes is a race (the first one's heartbeat may renew its expired lease
  // before the other claims the job); either way the build ends once and consistently.
  it('finishes the build once, with one worker owning it at the end', async () => {
    const { postgres, cluster } = await startPrivateCluster({ jobLeaseSeconds: 3 });
    const { workers, seller, submitted, buildId } = await startSleepingBuild(
      cluster,
      'acme_pg_l1',
      2,
    );

    await postgres.stop('fast');
    // Heartbeats come every lease/3: four failed ones mean the lease has run out meanwhile.
    const failedHeartbeats = () =>
      workers.flatMap((w) => w.logRecords()).filter((r) => r['msg'] === 'heartbeat failed').length;
    while (failedHeartbeats() < 4) await new Promise((resolve) => setTimeout(resolve, 200));
    await postgres.start();

    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('Successful');
    const [job] = await cluster.database.query<{ state: string; attempts: number }>(
      'select state, attempts from jobs where kind = $1',
      [OS_BUILD_JOB],
    );
    expect(job!.state).toBe('done');
    expect(group.builds[0]!.attempts).toBe(job!.attempts);
    // Exactly one attempt was recorded as done, by one process.
    const done = workers.flatMap((w) =>
      w.logRecords().filter((r) => r['msg'] === 'job done' && r['kind'] === OS_BUILD_JOB),
    );
    expect(done).toHaveLength(1);
    const lines = await buildLog(seller.client, buildId);
    expect(lines.map((l) => l.text)).toContain('install done');
  }, 900_000);
});
