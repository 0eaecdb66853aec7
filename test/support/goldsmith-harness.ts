import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { ApiClient } from '../../src/cli/api-client.js';
import { buildConfig, type ConfigInput } from '../../src/config/config.js';
import type { Clock } from '../../src/domain/clock.js';
import type { PackageGroupView } from '../../src/domain/package-groups/package-group-service.js';
import { isFinalState } from '../../src/domain/package-groups/group-state.js';
import type { Role, StoredPackage } from '../../src/domain/types.js';
import { startGoldsmith, type RunningGoldsmith } from '../../src/server/goldsmith-server.js';
import { tempDir, testBaseCacheDir } from './paths.js';

export interface TestAccount {
  readonly accountId: string;
  readonly token: string;
  readonly client: ApiClient;
}

export interface Harness {
  readonly server: RunningGoldsmith;
  readonly dataDir: string;
  readonly url: string;
  readonly operator: ApiClient;
  createAccount(name: string, roles: Role[]): Promise<TestAccount>;
  stop(): Promise<void>;
}

/** Starts a real Goldsmith on a free port, sharing the test base image cache. */
export async function startHarness(
  input: ConfigInput = {},
  operatorToken?: string,
  clock?: Clock,
): Promise<Harness> {
  const dataDir = input.dataDir ?? tempDir('data');
  const config = buildConfig({
    port: 0,
    host: '127.0.0.1',
    workers: 1,
    baseCacheDir: testBaseCacheDir,
    retryDelayMs: 500,
    ...input,
    dataDir,
  });
  const server = await startGoldsmith(config, clock === undefined ? {} : { clock });
  const token = server.operatorToken ?? operatorToken;
  if (token === undefined) throw new Error('no operator token: pass the one of the first start');
  const operator = new ApiClient(server.url, token);
  return {
    server,
    dataDir,
    url: server.url,
    operator,
    async createAccount(name, roles) {
      const created = await operator.request<{ accountId: string; token: string }>(
        'POST',
        '/v1/accounts',
        { name, roles },
      );
      return { ...created, client: new ApiClient(server.url, created.token) };
    },
    stop: () => server.stop(),
  };
}

/** Writes a file into a fresh directory and returns its path. */
export async function writeTempFile(
  name: string,
  content: string | Buffer,
  mode = 0o644,
): Promise<string> {
  const file = path.join(tempDir('pkg'), name);
  await writeFile(file, content, { mode });
  return file;
}

/** Uploads files (the first is the installer) and creates a package group. */
export async function submitGroup(
  client: ApiClient,
  name: string,
  osVersions: string[],
  files: string[],
): Promise<PackageGroupView> {
  const packages = [];
  for (const [index, file] of files.entries()) {
    const pkg = await client.uploadPackage<StoredPackage>(file);
    packages.push({ packageId: pkg.id, installer: index === 0 });
  }
  return client.request<PackageGroupView>('POST', '/v1/package-groups', {
    name,
    platform: 'linux',
    osVersions,
    packages,
  });
}

/** Polls a group until all its builds are final. */
export async function waitForGroup(
  client: ApiClient,
  idOrName: string,
  timeoutMs = 900_000,
): Promise<PackageGroupView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const group = await client.request<PackageGroupView>('GET', `/v1/package-groups/${idOrName}`);
    if (group.builds.every((b) => isFinalState(b.state))) return group;
    if (Date.now() > deadline)
      throw new Error(`group ${idOrName} still ${group.state} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Expects a promise to fail with an API error of this code and status. */
export async function apiErrorOf(
  promise: Promise<unknown>,
): Promise<{ status: number; code: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status?: number; code?: string };
    if (typeof e.status === 'number' && typeof e.code === 'string')
      return { status: e.status, code: e.code };
    throw error;
  }
  throw new Error('expected the request to fail');
}
