/**
 * Cluster throughput: BENCH_GROUPS package groups (default 60) of two OS versions each, spread
 * over several seller accounts and submitted at once to 1, 2 and 3 `goldsmith worker` processes
 * (one build each) behind one `goldsmith server --no-workers`, all on one fresh PostgreSQL
 * database per run. Prints builds per minute, queue wait per account and the scaling ratio
 * throughput(W) / throughput(1). Figures only: every process shares this machine's cores, so
 * the ratio is what to read. Blobs live in one directory all processes share (processes on one
 * host), not on S3, so the figures are of the queue and the builds, not of an object store.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';

import { ApiClient } from '../cli/api-client.js';
import type { PackageGroupView } from '../domain/package-groups/package-group-service.js';
import { isFinalState } from '../domain/package-groups/group-state.js';
import { BUILD_PHASES, type OsBuild, type StoredPackage } from '../domain/types.js';
import { cleanupStaleNetworks } from '../sandbox/network/sink-network.js';
import { RuncSandbox } from '../sandbox/runc/runc-sandbox.js';

const GROUPS = Number(process.env['BENCH_GROUPS'] ?? 60);
const ACCOUNTS = Math.min(Number(process.env['BENCH_ACCOUNTS'] ?? 6), GROUPS);
const WORKER_COUNTS = (process.env['BENCH_WORKERS'] ?? '1,2,3').split(',').map(Number);
const OS_VERSIONS = (process.env['BENCH_OS'] ?? 'debian-12,debian-13').split(',');
const POSTGRES = process.env['BENCH_POSTGRES'] ?? 'postgres://root@127.0.0.1:5432/postgres';
// dist/bench/ → the repository root.
const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const bin = path.join(repoRoot, 'bin', 'goldsmith.js');
const baseCache =
  process.env['GOLDSMITH_BASE_CACHE'] ?? path.join(repoRoot, '.cache', 'test-bases');

/** One `goldsmith` process the bench started, in its own process group. */
interface BenchProcess {
  readonly url: string;
  readonly output: string;
  readonly running: boolean;
  stop(): Promise<void>;
}

/** What a run's builds took, as the API reports them. */
interface RunResult {
  readonly workers: number;
  readonly wallMs: number;
  readonly builds: OsBuild[];
  /** Each account's builds, by the account's name. */
  readonly byAccount: ReadonlyMap<string, OsBuild[]>;
}

/** Cleanups of what is running or on disk, last first; run on exit, error and signals. */
const cleanups: (() => Promise<void>)[] = [];

async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    await cleanups.pop()!().catch((error: unknown) =>
      process.stderr.write(`cleanup: ${String(error)}\n`),
    );
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1).padStart(7);
}

async function onPostgres(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh database for one run, dropped by the cleanups. */
async function createDatabase(): Promise<string> {
  const name = `goldsmith_bench_${randomBytes(6).toString('hex')}`;
  await onPostgres(`create database "${name}"`);
  // FORCE: a killed process's connections may linger until the server notices.
  cleanups.push(() => onPostgres(`drop database if exists "${name}" with (force)`));
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Starts `goldsmith` with `args` and waits until it prints where it listens. */
function startProcess(args: string[]): Promise<BenchProcess> {
  const child = spawn(process.execPath, [bin, ...args], {
    // Warnings and errors only: a failed build's cause, without a line per request.
    env: { ...process.env, GOLDSMITH_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own group, so a stop also ends whatever it spawned (runc, sink networks).
    detached: true,
  });
  const pid = child.pid!;
  let output = '';
  const append = (chunk: Buffer): void => {
    // The tail is enough to tell why a build failed.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stderr.on('data', append);
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let exited = false;
  void exit.then(() => (exited = true));
  const killGroup = (): void => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // No process left in the group.
    }
  };
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(killGroup, 15_000);
      await exit;
      clearTimeout(timer);
    }
    killGroup();
  };
  cleanups.push(stop);
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const wasListening = /listening on /.test(output);
      append(chunk);
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (wasListening || url === undefined) return;
      resolve({
        url,
        get output() {
          return output;
        },
        get running() {
          return !exited;
        },
        stop,
      });
    });
    void exit.then(() => reject(new Error(`goldsmith ${args[0]} exited:\n${output}`)));
  });
}

/** A temporary directory, removed by the cleanups once nothing in it is mounted. */
async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `goldsmith-cluster-bench-${label}-`));
  cleanups.push(async () => {
    const sandboxDir = path.join(dir, 'sandboxes');
    // A process killed mid-build leaves sandboxes, mounts and namespaces behind.
    await new RuncSandbox({ stateDir: sandboxDir }).cleanupStale();
    await cleanupStaleNetworks({ stateDir: path.join(sandboxDir, 'networks') });
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** The account's builds once all are final. */
async function allFinal(client: ApiClient): Promise<OsBuild[] | undefined> {
  const { packageGroups } = await client.request<{ packageGroups: PackageGroupView[] }>(
    'GET',
    '/v1/package-groups',
  );
  const builds = packageGroups.flatMap((group) => group.builds);
  return builds.every((build) => isFinalState(build.state)) ? builds : undefined;
}

/** Polls every client's package groups until all their builds are final: each client's builds. */
async function waitForAll(
  clients: ApiClient[],
  expected: number,
  processes: BenchProcess[],
): Promise<OsBuild[][]> {
  for (;;) {
    // A process that died would leave builds queued for ever.
    const gone = processes.find((p) => !p.running);
    if (gone !== undefined) throw new Error(`a goldsmith process exited:\n${gone.output}`);
    const lists = await Promise.all(clients.map(allFinal));
    const done = lists.filter((list) => list !== undefined);
    if (done.length === lists.length && done.flat().length === expected) return done;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function submitGroup(
  client: ApiClient,
  dir: string,
  name: string,
  osVersions: string[],
): Promise<void> {
  // Each group its own installer, so no two builds share an input.
  const file = path.join(dir, `${name}.sh`);
  await writeFile(
    file,
    `#!/bin/sh\nset -e\nmkdir -p /opt/bench\necho "${name}" > /opt/bench/installed\n`,
    { mode: 0o755 },
  );
  const pkg = await client.uploadPackage<StoredPackage>(file);
  await client.request('POST', '/v1/package-groups', {
    name,
    platform: 'linux',
    osVersions,
    packages: [{ packageId: pkg.id, installer: true }],
  });
}

function failIfUnsuccessful(builds: OsBuild[], processes: BenchProcess[]): void {
  const failed = builds.filter((build) => build.state !== 'Successful');
  if (failed.length === 0) return;
  const first = failed[0]!;
  throw new Error(
    `${failed.length} of ${builds.length} builds did not end Successful; the first: ` +
      `${first.osVersion} ${first.state} ${JSON.stringify(first.findings)}\n` +
      `process output (tails):\n${processes.map((p) => p.output).join('\n---\n')}`,
  );
}

/** Queued → the first phase's start: the time a build waited for a worker. */
function queueWaitMs(build: OsBuild): number {
  const starts = BUILD_PHASES.flatMap((phase) => {
    const timing = build.phases[phase];
    return timing === undefined ? [] : [Date.parse(timing.startedAt)];
  });
  const started = starts.length > 0 ? Math.min(...starts) : Date.parse(build.startedAt!);
  return started - Date.parse(build.submittedAt);
}

/** One run: a fresh database, the API, `workers` worker processes, every group at once. */
async function runWith(workers: number): Promise<RunResult> {
  const database = await createDatabase();
  const shared = await tempDir('shared');
  const keysDir = path.join(shared, 'keys');
  const blobsDir = path.join(shared, 'blobs');
  const installers = path.join(shared, 'installers');
  await mkdir(installers);
  const common = [
    '--database',
    database,
    '--blobs',
    blobsDir,
    '--keys-dir',
    keysDir,
    '--base-cache',
    baseCache,
  ];
  const api = await startProcess([
    'server',
    '--no-workers',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--data-dir',
    await tempDir('api'),
    ...common,
  ]);
  const operatorToken = /^operator token: (\S+)$/m.exec(api.output)?.[1];
  if (operatorToken === undefined)
    throw new Error(`the API printed no operator token:\n${api.output}`);
  const processes = [api];
  for (let i = 0; i < workers; i += 1) {
    processes.push(
      await startProcess([
        'worker',
        '--workers',
        '1',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--drain-timeout',
        '5',
        '--data-dir',
        await tempDir(`worker${i + 1}`),
        ...common,
      ]),
    );
  }

  const operator = new ApiClient(api.url, operatorToken);
  const createSeller = async (name: string): Promise<ApiClient> => {
    const created = await operator.request<{ token: string }>('POST', '/v1/accounts', {
      name,
      roles: ['seller'],
    });
    return new ApiClient(api.url, created.token);
  };

  // A fresh database adopts each cached base root on its first build; do that outside the count.
  const warmupStarted = performance.now();
  const warmup = await createSeller('Bench warm-up');
  await submitGroup(warmup, installers, 'bench_warmup', OS_VERSIONS);
  failIfUnsuccessful((await waitForAll([warmup], OS_VERSIONS.length, processes)).flat(), processes);
  process.stdout.write(
    `\n${workers} worker process(es): warm-up group ${seconds(performance.now() - warmupStarted)} s (adopting the cached bases)\n`,
  );

  const sellers = await Promise.all(
    Array.from({ length: ACCOUNTS }, (_, a) => createSeller(`Bench seller ${a + 1}`)),
  );
  const submitStarted = Date.now();
  await Promise.all(
    Array.from({ length: GROUPS }, (_, g) =>
      submitGroup(sellers[g % ACCOUNTS]!, installers, `bench_g${g + 1}`, OS_VERSIONS),
    ),
  );
  const perAccount = await waitForAll(sellers, GROUPS * OS_VERSIONS.length, processes);
  const builds = perAccount.flat();
  failIfUnsuccessful(builds, processes);
  // Server timestamps: the processes share this machine's clock.
  const lastFinished = Math.max(...builds.map((b) => Date.parse(b.finishedAt!)));
  await Promise.all(processes.map((p) => p.stop()));
  return {
    workers,
    wallMs: lastFinished - submitStarted,
    builds,
    byAccount: new Map(perAccount.map((list, a) => [`seller ${a + 1}`, list])),
  };
}

function throughput(result: RunResult): number {
  return result.builds.length / (result.wallMs / 60_000);
}

function report(result: RunResult): void {
  const retried = result.builds.filter((b) => b.attempts > 1).length;
  process.stdout.write(
    `${result.builds.length} builds Successful in ${seconds(result.wallMs)} s: ` +
      `${throughput(result).toFixed(1)} builds/min` +
      (retried > 0 ? ` (${retried} needed a retry)` : '') +
      '\nqueue wait (submitted → first phase), seconds\naccount      builds  median     max\n',
  );
  const rows = [...result.byAccount.entries(), ['all', result.builds] as const];
  for (const [name, builds] of rows) {
    const waits = builds.map(queueWaitMs);
    process.stdout.write(
      `${name.padEnd(12)} ${String(waits.length).padStart(6)} ${seconds(median(waits))} ${seconds(Math.max(...waits))}\n`,
    );
  }
}

async function main(): Promise<void> {
  process.stdout.write(
    `${GROUPS} groups × ${OS_VERSIONS.join(' + ')} from ${ACCOUNTS} accounts, submitted at once; ` +
      `worker processes: ${WORKER_COUNTS.join(', ')} (one build each); blobs on a shared directory\n`,
  );
  const results: RunResult[] = [];
  for (const workers of WORKER_COUNTS) {
    const result = await runWith(workers);
    report(result);
    results.push(result);
    await cleanUp();
  }
  const first = results[0]!;
  process.stdout.write(`\nworkers    wall s  builds/min  ratio to ${first.workers}\n`);
  for (const result of results) {
    process.stdout.write(
      `${String(result.workers).padStart(7)} ${seconds(result.wallMs)} ${throughput(result).toFixed(1).padStart(11)} ${(throughput(result) / throughput(first)).toFixed(2).padStart(10)}\n`,
    );
  }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    void cleanUp().finally(() => process.exit(130));
  });
}
try {
  await main();
} catch (error) {
  // Interrupted: the run fails because its processes were stopped, which says nothing.
  if (!interrupted) throw error;
} finally {
  await cleanUp();
}
