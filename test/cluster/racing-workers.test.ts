import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { OS_BUILD_JOB } from '../../src/domain/builds/build-jobs.js';
import { submitGroup, waitForGroup } from '../support/goldsmith-harness.js';
import { repoRoot } from '../support/paths.js';
import { attemptLines, buildLog } from '../support/cluster/build-logs.js';
import { createTestCluster, type TestCluster } from '../support/cluster/test-cluster.js';

const GROUPS = 6;
const INSTALLER = path.join(repoRoot, 'examples', 'hello-sh', 'install.sh');

describe('two worker processes on one database', () => {
  let cluster: TestCluster | undefined;
  afterEach(async () => {
    await cluster?.dispose();
    cluster = undefined;
  });

  it('run every build exactly once', async () => {
    cluster = await createTestCluster();
    const api = await cluster.start('api');
    const workers = [
      await cluster.start('worker', { workers: 2 }),
      await cluster.start('worker', { workers: 2 }),
    ];
    const seller = await cluster.createAccount(api.url, 'Acme', ['seller']);

    // Submitted at once, so both idle workers wake on the same notifications and race.
    const submitted = await Promise.all(
      Array.from({ length: GROUPS }, (_, i) =>
        submitGroup(seller.client, `acme_race_${i}`, ['debian-12'], [INSTALLER]),
      ),
    );
    const groups = await Promise.all(submitted.map((g) => waitForGroup(seller.client, g.id)));

    for (const group of groups) {
      expect(group.state).toBe('Successful');
      expect(group.builds.map((b) => b.attempts)).toEqual([1]);
      const lines = await buildLog(seller.client, group.builds[0]!.id);
      expect(attemptLines(lines)).toHaveLength(1);
      expect(lines.filter((l) => l.text === 'installed /opt/hello/hello')).toHaveLength(1);
    }

    // The queue: each build's job was claimed once and finished.
    const jobs = await cluster.database.query<{ id: string; state: string; attempts: number }>(
      'select id, state, attempts from jobs where kind = $1',
      [OS_BUILD_JOB],
    );
    expect(jobs).toHaveLength(GROUPS);
    for (const job of jobs) expect(job).toMatchObject({ state: 'done', attempts: 1 });

    // The processes: each job started in exactly one of them, once.
    const startsOf = (jobId: string) =>
      workers.map(
        (w) =>
          w.logRecords().filter((r) => r['msg'] === 'job started' && r['jobId'] === jobId).length,
      );
    for (const job of jobs) expect(startsOf(job.id).sort()).toEqual([0, 1]);
    // Each worker runs two builds at a time, so with six queued both must have taken some.
    for (const [i] of workers.entries()) {
      expect(jobs.filter((job) => startsOf(job.id)[i] === 1).length).toBeGreaterThan(0);
    }
    expect(
      api.logRecords().filter((r) => r['msg'] === 'job started' && r['kind'] === OS_BUILD_JOB),
    ).toEqual([]);
  }, 900_000);
});
