import { rm } from 'node:fs/promises';
import path from 'node:path';

import { S3Client } from '@aws-sdk/client-s3';

import { ApiClient } from '../../../src/cli/api-client.js';
import { cleanupStaleNetworks } from '../../../src/sandbox/network/sink-network.js';
import { RuncSandbox } from '../../../src/sandbox/runc/runc-sandbox.js';
import type { TestAccount } from '../goldsmith-harness.js';
import { tempDir, testBaseCacheDir } from '../paths.js';
import { startS3Server, type TestS3Server } from '../s3-server.js';
import {
  startGoldsmithProcess,
  type GoldsmithProcess,
  type ProcessRole,
  type ProcessSpec,
} from './goldsmith-process.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const CLUSTER_BUCKET = 'goldsmith-cluster';

/** How a test cluster is set up. */
export interface ClusterOptions {
  /** The PostgreSQL server the cluster's database is created on (default: the shared one). */
  readonly postgresServerUrl?: string;
  /** Seconds a job survives its worker going silent (--job-lease). */
  readonly jobLeaseSeconds?: number;
  /** Flags every process gets, e.g. `--build-retries`. */
  readonly extraArgs?: readonly string[];
}

/** Options of one process of the cluster. */
export interface StartOptions {
  /** Concurrent builds (default 1); ignored by `api`. */
  readonly workers?: number;
  /** Reuse a data directory, as a restarted process on the same host does. */
  readonly dataDir?: string;
  /** Reach S3 here instead of the cluster's s3rver directly (e.g. a recording proxy). */
  readonly s3Endpoint?: string;
}

/**
 * Goldsmith processes sharing one PostgreSQL database, one S3 bucket (on s3rver), one set of
 * keys and the test base image cache; each process has its own data directory, as on its own
 * host. `dispose` ends every process and removes everything.
 */
export interface TestCluster {
  readonly database: TestDatabase;
  readonly s3: TestS3Server;
  /** A client of the cluster's S3 server, for assertions on the bucket. */
  readonly s3Client: S3Client;
  /** The key prefix of the cluster's blobs in CLUSTER_BUCKET. */
  readonly prefix: string;
  /** Every process started, in order (restarted ones too). */
  readonly processes: readonly GoldsmithProcess[];
  /** The operator token, known once the first process has started. */
  readonly operatorToken: string;
  start(role: ProcessRole, options?: StartOptions): Promise<GoldsmithProcess>;
  /** Starts a process again with the same role, data directory and flags. */
  restart(previous: GoldsmithProcess): Promise<GoldsmithProcess>;
  /** Creates an account through the API process at `url`. */
  createAccount(url: string, name: string, roles: ('seller' | 'buyer')[]): Promise<TestAccount>;
  dispose(): Promise<void>;
}

/** Creates the database and bucket of a cluster; no process runs until `start`. */
export async function createTestCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const database = await createTestDatabase(options.postgresServerUrl);
  const s3 = await startS3Server([CLUSTER_BUCKET]).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const s3Client = new S3Client({ ...s3.connection });
  const prefix = 'cluster';
  const keysDir = tempDir('cluster-keys');
  const dataDirs = new Set<string>();
  const processes: GoldsmithProcess[] = [];
  let operatorToken: string | undefined;

  const commonArgs = [
    '--database',
    database.url,
    '--blobs',
    `s3://${CLUSTER_BUCKET}/${prefix}`,
    '--s3-region',
    s3.connection.region!,
    '--s3-path-style',
    '--base-cache',
    testBaseCacheDir,
    '--job-lease',
    String(options.jobLeaseSeconds ?? 60),
    ...(options.extraArgs ?? []),
  ];
  const env = {
    AWS_ACCESS_KEY_ID: s3.connection.credentials!.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.connection.credentials!.secretAccessKey,
  };

  const launch = async (spec: ProcessSpec): Promise<GoldsmithProcess> => {
    dataDirs.add(spec.dataDir);
    const started = await startGoldsmithProcess(spec);
    processes.push(started);
    operatorToken ??= started.operatorToken;
    return started;
  };

  return {
    database,
    s3,
    s3Client,
    prefix,
    processes,
    get operatorToken(): string {
      if (operatorToken === undefined) throw new Error('no process of the cluster started yet');
      return operatorToken;
    },
    start(role, startOptions = {}) {
      const dataDir = startOptions.dataDir ?? tempDir(`cluster-${role}`);
      const s3Endpoint = startOptions.s3Endpoint ?? s3.connection.endpoint!;
      return launch({
        role,
        dataDir,
        workers: startOptions.workers ?? 1,
        args: [
          ...commonArgs,
          '--s3-endpoint',
          s3Endpoint,
          '--data-dir',
          dataDir,
          '--keys-dir',
          keysDir,
        ],
        env,
      });
    },
    restart: (previous) => launch(previous.spec),
    async createAccount(url, name, roles) {
      if (operatorToken === undefined) throw new Error('no process of the cluster started yet');
      const operator = new ApiClient(url, operatorToken);
      const created = await operator.request<{ accountId: string; token: string }>(
        'POST',
        '/v1/accounts',
        { name, roles },
      );
      return { ...created, client: new ApiClient(url, created.token) };
    },
    async dispose() {
      await Promise.all(processes.map((p) => p.stop()));
      // A process killed and never restarted leaves sandboxes, mounts and namespaces behind.
      for (const dataDir of dataDirs) {
        const sandboxDir = path.join(dataDir, 'sandboxes');
        try {
          await new RuncSandbox({ stateDir: sandboxDir }).cleanupStale();
          await cleanupStaleNetworks({ stateDir: path.join(sandboxDir, 'networks') });
        } catch {
          // Never delete a tree that may still hold mounts.
          continue;
        }
        await rm(dataDir, { recursive: true, force: true });
      }
      await rm(keysDir, { recursive: true, force: true });
      s3Client.destroy();
      await s3.stop();
      await database.drop();
    },
  };
}
