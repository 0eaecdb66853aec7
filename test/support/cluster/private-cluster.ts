import { afterEach } from 'vitest';

import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';
import { createTestCluster, type ClusterOptions, type TestCluster } from './test-cluster.js';

/** A test cluster on a PostgreSQL server of its own, which the test may stop and restart. */
export interface PrivateCluster {
  readonly postgres: PrivatePostgres;
  readonly cluster: TestCluster;
}

/**
 * Registers a hook that disposes of the test's private cluster, and destroys its PostgreSQL
 * server, after each test; returns how a test starts one. The machine's shared server must
 * never restart, so tests that stop PostgreSQL use this.
 */
export function privateClusterEachTest(): (
  options: Omit<ClusterOptions, 'postgresServerUrl'>,
) => Promise<PrivateCluster> {
  let postgres: PrivatePostgres | undefined;
  let cluster: TestCluster | undefined;
  afterEach(async () => {
    await cluster?.dispose();
    await postgres?.destroy();
    cluster = undefined;
    postgres = undefined;
  });
  return async (options) => {
    postgres = await startPrivatePostgres();
    cluster = await createTestCluster({ ...options, postgresServerUrl: postgres.url('postgres') });
    return { postgres, cluster };
  };
}
