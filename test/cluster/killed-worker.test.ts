import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterEach, describe, expect, it } from 'vitest';

import { OS_BUILD_JOB } from '../../src/domain/builds/build-jobs.js';
import { waitForGroup } from '../support/goldsmith-harness.js';
import { attemptLines, buildLog } from '../support/cluster/build-logs.js';
import type { GoldsmithProcess } from '../support/cluster/goldsmith-process.js';
import { startSleepingBuild } from '../support/cluster/sleeping-build.js';
import { createTestCluster, type TestCluster } from '../support/cluster/test-cluster.js';

const run = promisify(execFile);

/** What the host shows of a worker's sandboxes and networks. */
async function hostState(): Promise<{ mounts: string; namespaces: string[]; loops: string }> {
  const { stdout: netns } = await run('ip', ['netns', 'list']);
  const { stdout: loops } = await run('losetup', ['--list', '--noheadings', '-O', 'BACK-FILE']);
  return {
    mounts: await readFile('/proc/self/mountinfo', 'utf8'),
    namespaces: netns.split('\n').map((line) => line.split(' ')[0]!),
    loops,
  };
}

/** The namespaces a worker's sink network records name (its data directory is its host's). */
async function recordedNamespaces(worker: GoldsmithProcess): Promise<string[]> {
  const dir = path.join(worker.spec.dataDir, 'sandboxes', 'networks');
  const names: string[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.network.json'))) {
    const record = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as {
      buildNamespace: string;
      sinkNamespace: string;
    };
    names.push(record.buildNamespace, record.sinkNamespace);
  }
  return names;
}

describe('a worker killed with SIGKILL in the middle of an install', () => {
  let cluster: TestCluster | undefined;
  afterEach(async () => {
    await cluster?.dispose();
    cluster = undefined;
  });

  it('loses its build to the other worker after the lease, and cleans up when it restarts', async () => {
    cluster = await createTestCluster({ jobLeaseSeconds: 3 });
    const { workers, seller, submitted, buildId } = await startSleepingBuild(
      cluster,
      'acme_kill_w1',
      2,
    );

    // The worker running attempt 1 is the one whose sandbox directory holds its session.
    const session = `${buildId}-1`;
    const holds = async (w: GoldsmithProcess) =>
      (await readdir(path.join(w.spec.dataDir, 'sandboxes'))).includes(session);
    const owners = [];
    for (const w of workers) if (await holds(w)) owners.push(w);
    expect(owners).toHaveLength(1);
    const victim = owners[0]!;
    const survivor = workers.find((w) => w !== victim)!;
    const sessionDir = path.join(victim.spec.dataDir, 'sandboxes', session);
    const victimNamespaces = await recordedNamespaces(victim);

    await victim.kill('SIGKILL');

    // Its leftovers are on the host until it comes back.
    const left = await hostState();
    expect(left.mounts).toContain(sessionDir);
    expect(left.loops).toContain(sessionDir);
    expect(left.namespaces).toEqual(expect.arrayContaining(victimNamespaces));

    const group = await waitForGroup(seller.client, submitted.id);
    expect(group.state).toBe('Successful');
    expect(group.builds[0]!.attempts).toBe(2);
    const lines = await buildLog(seller.client, buildId);
    expect(attemptLines(lines)).toEqual([
      expect.stringMatching(/attempt 1$/),
      expect.stringMatching(/attempt 2$/),
    ]);
    expect(lines.filter((l) => l.text === 'install done')).toHaveLength(1);
    const [job] = await cluster.database.query<{ state: string; attempts: number }>(
      'select state, attempts from jobs where kind = $1',
      [OS_BUILD_JOB],
    );
    expect(job).toEqual({ state: 'done', attempts: 2 });
    // Attempt 2 ran on the survivor.
    expect(
      survivor
        .logRecords()
        .filter((r) => r['msg'] === 'job done' && r['kind'] === OS_BUILD_JOB)
        .map((r) => r['attempt']),
    ).toEqual([2]);

    // Back on the same host (data directory), the killed worker removes what it left.
    await cluster.restart(victim);
    expect(await readdir(path.join(victim.spec.dataDir, 'sandboxes'))).not.toContain(session);
    const after = await hostState();
    expect(after.mounts).not.toContain(sessionDir);
    expect(after.loops).not.toContain(sessionDir);
    for (const name of victimNamespaces) expect(after.namespaces).not.toContain(name);
  }, 900_000);
});
