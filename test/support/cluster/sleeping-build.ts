import type { PackageGroupView } from '../../../src/domain/package-groups/package-group-service.js';
import { submitGroup, writeTempFile, type TestAccount } from '../goldsmith-harness.js';
import { waitForLogLine } from './build-logs.js';
import type { GoldsmithProcess } from './goldsmith-process.js';
import type { TestCluster } from './test-cluster.js';

/** An installer that runs long enough for a test to break something while it runs. */
export const SLEEPING_INSTALLER =
  '#!/bin/sh\necho "install started"\nsleep 8\necho "install done"\n';

/** The processes of startSleepingBuild, and the build whose installer is running. */
export interface SleepingBuild {
  readonly api: GoldsmithProcess;
  readonly workers: GoldsmithProcess[];
  readonly seller: TestAccount;
  readonly submitted: PackageGroupView;
  readonly buildId: string;
}

/**
 * Starts an API server and `workerCount` workers on the cluster, and submits a group named
 * `groupName` with the sleeping installer; returns once its one build's installer has started.
 */
export async function startSleepingBuild(
  cluster: TestCluster,
  groupName: string,
  workerCount: number,
): Promise<SleepingBuild> {
  const api = await cluster.start('api');
  const workers: GoldsmithProcess[] = [];
  for (let i = 0; i < workerCount; i += 1) workers.push(await cluster.start('worker'));
  const seller = await cluster.createAccount(api.url, 'Acme', ['seller']);
  const installer = await writeTempFile('install.sh', SLEEPING_INSTALLER);
  const submitted = await submitGroup(seller.client, groupName, ['debian-12'], [installer]);
  const buildId = submitted.builds[0]!.id;
  await waitForLogLine(seller.client, buildId, 'install started');
  return { api, workers, seller, submitted, buildId };
}
