import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient } from '../../src/cli/api-client.js';
import type { LogPage } from '../../src/domain/builds/build-service.js';
import type { WorkerRecord } from '../../src/domain/workers/worker-record.js';
import { runCli } from '../support/cli-process.js';
import { createTestDatabase, type TestDatabase } from '../support/cluster/test-database.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';
import { submitGroup, waitForGroup, writeTempFile } from '../support/goldsmith-harness.js';
import { repoRoot, tempDir, testBaseCacheDir } from '../support/paths.js';

/*
 * The split roles as separate processes on one PostgreSQL database and one S3 bucket:
 * `server --no-workers` takes the requests, `goldsmith worker` builds. Each has its own data
 * directory; they share a keys directory, as a cluster shares a mounted secret.
 */

const bin = path.join(repoRoot, 'bin', 'goldsmith.js');

interface Spawned {
  readonly url: string;
  readonly exited: Promise<number | null>;
  /** What it wrote to stdout: its messages and JSON log lines. */
  output(): string;
  signal(signal: NodeJS.Signals): void;
}

/** Starts `goldsmith ARGS` and waits until it prints the address it listens on. */
function spawnGoldsmith(args: string[], env: Record<string, string>): Promise<Spawned> {
  const child: ChildProcess = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, GOLDSMITH_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let listening = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /^goldsmith .*listening on (http:\/\/\S+)/m.exec(output)?.[1];
      if (listening || url === undefined) return;
      listening = true;
      resolve({
        url,
        exited,
        output: () => output,
        signal: (signal) => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        },
      });
    });
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    void exited.then((code) => {
      if (!listening)
        reject(new Error(`goldsmith exited with ${code} before listening:\n${output}${errors}`));
    });
  });
}

/** The JSON log records among a process's complete output lines (the last may still be cut). */
function logRecords(output: string): Record<string, unknown>[] {
  return output
    .slice(0, output.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1500; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: never happened`);
}

describe('goldsmith worker and goldsmith server --no-workers', () => {
  let database: TestDatabase;
  let s3: TestS3Server;
  let server: Spawned;
  let worker: Spawned;
  let operatorToken: string;
  let operator: ApiClient;
  let seller: ApiClient;
  const keysDir = path.join(tempDir('cluster-keys'), 'keys');

  beforeAll(async () => {
    database = await createTestDatabase();
    s3 = await startS3Server(['cluster']);
    const keys = await runCli(['keys', 'generate', '--keys-dir', keysDir]);
    expect(keys.code, keys.stderr).toBe(0);
    expect(keys.stderr).toContain(path.join(keysDir, 'webhook-secret.key'));
    const shared = [
      '--database',
      database.url,
      '--blobs',
      's3://cluster/goldsmith',
      '--s3-endpoint',
      s3.connection.endpoint!,
      '--s3-region',
      'us-east-1',
      '--s3-path-style',
      '--keys-dir',
      keysDir,
    ];
    const credentials = {
      AWS_ACCESS_KEY_ID: s3.connection.credentials!.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.connection.credentials!.secretAccessKey,
    };
    server = await spawnGoldsmith(
      [
        'server',
        '--no-workers',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--data-dir',
        tempDir('cluster-api'),
        ...shared,
      ],
      credentials,
    );
    worker = await spawnGoldsmith(
      [
        'worker',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--workers',
        '1',
        '--data-dir',
        tempDir('cluster-worker'),
        '--base-cache',
        testBaseCacheDir,
        ...shared,
      ],
      credentials,
    );
    operatorToken = /^operator token: (\S+)$/m.exec(server.output())![1]!;
    operator = new ApiClient(server.url, operatorToken);
    const created = await operator.request<{ token: string }>('POST', '/v1/accounts', {
      name: 'Acme',
      roles: ['seller'],
    });
    seller = new ApiClient(server.url, created.token);
  }, 120_000);

  afterAll(async () => {
    server?.signal('SIGTERM');
    worker?.signal('SIGKILL');
    await Promise.all([server?.exited, worker?.exited]);
    await database?.drop();
    await s3?.stop();
  });

  it('the API server lists the worker process with its capabilities', async () => {
    const workerId = /^goldsmith worker (\S+) listening/m.exec(worker.output())![1]!;
    const { workers } = await operator.request<{ workers: WorkerRecord[] }>('GET', '/v1/workers');
    expect(workers).toEqual([
      expect.objectContaining({
        id: workerId,
        role: 'worker',
        concurrency: 1,
        draining: false,
        capabilities: { platforms: ['linux'], osFamilies: ['debian'], isolation: ['container'] },
      }),
    ]);
    await expect(seller.request('GET', '/v1/workers')).rejects.toMatchObject({
      code: 'FORBIDDEN_ROLE',
    });

    const listed = await runCli(['operator', 'workers'], {
      GOLDSMITH_URL: server.url,
      GOLDSMITH_TOKEN: operatorToken,
    });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^WORKER\s+ROLE\s+STATE\s+BUSY/);
    expect(listed.stdout).toContain(`${workerId}  worker`);
    expect(listed.stdout).toContain('0/1');

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^goldsmith_cluster_workers\{state="idle"\} 1$/m);
    expect(metrics).toMatch(/^goldsmith_workers 0$/m);
  });

  it('a group submitted to the API server is built by the worker process', async () => {
    const installer = path.join(repoRoot, 'examples', 'hello-sh', 'install.sh');
    const submitted = await submitGroup(seller, 'acme_split_1', ['debian-12'], [installer]);
    const group = await waitForGroup(seller, submitted.id);
    expect(group.state).toBe('Successful');

    const buildId = submitted.builds[0]!.id;
    const ran = (output: string) =>
      logRecords(output).filter(
        (r) =>
          r['msg'] === 'job started' &&
          (r['payload'] as Record<string, unknown> | undefined)?.['buildId'] === buildId,
      );
    expect(ran(worker.output())).toEqual([
      expect.objectContaining({ role: 'worker', workerId: expect.any(String) }),
    ]);
    expect(ran(server.output())).toEqual([]);
    expect(logRecords(server.output()).every((r) => r['role'] === 'server')).toBe(true);
  });

  it('a draining worker lets its running build finish, shows as draining, then leaves', async () => {
    const installer = await writeTempFile(
      'install.sh',
      '#!/bin/sh\necho "install started"\nsleep 6\necho "install done"\n',
    );
    const submitted = await submitGroup(seller, 'acme_split_drain', ['debian-12'], [installer]);
    const buildId = submitted.builds[0]!.id;
    await until('the installer starts', async () => {
      const page = await seller.request<LogPage>(
        'GET',
        `/v1/builds/${buildId}/logs?after=0&limit=1000`,
      );
      return page.lines.some((l) => l.text === 'install started') ? true : undefined;
    });

    worker.signal('SIGTERM');
    const draining = await until('the worker shows as draining', async () => {
      const { workers } = await operator.request<{ workers: WorkerRecord[] }>('GET', '/v1/workers');
      return workers.find((w) => w.draining);
    });
    expect(draining).toMatchObject({ role: 'worker', busy: 1 });

    expect(await worker.exited).toBe(0);
    const group = await seller.request<{
      state: string;
      builds: { attempts: number }[];
    }>('GET', `/v1/package-groups/${submitted.id}`);
    expect(group.state).toBe('Successful');
    expect(group.builds[0]!.attempts).toBe(1);
    const { workers } = await operator.request<{ workers: WorkerRecord[] }>('GET', '/v1/workers');
    expect(workers).toEqual([]);
  });
});

describe('goldsmith worker refuses what this build cannot run', () => {
  it.each([
    [['--os-families', 'debian,rhel'], 'cannot run OS family rhel'],
    [['--isolation', 'vm'], 'cannot run isolation vm'],
    [['--platforms', 'windows'], 'cannot run platform windows'],
    [['--os-families', 'suse'], '--os-families: unknown value "suse"'],
  ])('%j', async (flags, message) => {
    const dataDir = tempDir('refused-worker');
    const result = await runCli(['worker', '--data-dir', dataDir, '--port', '0', ...flags]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });
});
