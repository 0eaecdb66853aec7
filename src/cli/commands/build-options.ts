import { hostname } from 'node:os';

import { InvalidArgumentError, type Command } from 'commander';

import {
  buildConfig,
  DEFAULT_DATA_DIR,
  type ConfigInput,
  type GoldsmithConfig,
} from '../../config/config.js';
import type { OsVersion } from '../../domain/catalog/os-catalog.js';
import { ISOLATION_KINDS, type WorkerCapabilities } from '../../domain/jobs/job-requirements.js';
import { PLATFORMS } from '../../domain/types.js';
import type { ProcessRole } from '../../domain/workers/worker-record.js';
import { parseSize, parseWholeNumber } from '../option-parsers.js';

/** Parsed options as commander hands them: strings, flags as booleans, unset ones undefined. */
export type CommandOptions = Readonly<Record<string, string | boolean | undefined>>;

/** OS families a worker may name; whether this build can run them is checked at start. */
const OS_FAMILIES = ['debian', 'rhel', 'windows'] as const satisfies readonly OsVersion['family'][];

/**
 * Adds the options of every process on the shared data: where the database, blobs and keys
 * live, and the local directories. `goldsmith server` and `goldsmith worker` both take them.
 */
export function withDataOptions(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'local directory: the default database, blobs and keys, and sandboxes and staging',
      process.env['GOLDSMITH_DATA_DIR'] ?? DEFAULT_DATA_DIR,
    )
    .option(
      '--base-cache <dir>',
      'host cache of base image roots (default: DATA_DIR/bases)',
      process.env['GOLDSMITH_BASE_CACHE'],
    )
    .option(
      '--keys-dir <dir>',
      'the secret key files; every process of a cluster must mount the same ones (default: DATA_DIR/keys)',
      process.env['GOLDSMITH_KEYS_DIR'],
    )
    .option(
      '--database <url>',
      'sqlite:PATH or postgres://… (default: SQLite in the data directory; a cluster needs PostgreSQL)',
      process.env['GOLDSMITH_DATABASE'],
    )
    .option(
      '--blobs <location>',
      'where blobs live: a directory or s3://bucket/prefix (default: DATA_DIR/blobs)',
      process.env['GOLDSMITH_BLOBS'],
    )
    .option(
      '--s3-endpoint <url>',
      'the S3-compatible server of an s3:// --blobs (default: AWS); credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the AWS profile',
      process.env['GOLDSMITH_S3_ENDPOINT'],
    )
    .option('--s3-region <region>', 'the S3 region', process.env['GOLDSMITH_S3_REGION'])
    .option(
      '--s3-path-style',
      'address buckets as ENDPOINT/BUCKET, as most self-hosted S3 servers need',
      process.env['GOLDSMITH_S3_PATH_STYLE'] === '1' ? '1' : undefined,
    );
}

/** Adds the options of build workers: how many, what they can run, and each build's limits. */
export function withBuildOptions(command: Command): Command {
  return command
    .option(
      '--workers <n>',
      'concurrent builds in this process (default: number of cores)',
      process.env['GOLDSMITH_WORKERS'],
    )
    .option(
      '--platforms <list>',
      `platforms the build workers run, comma-separated: ${PLATFORMS.join(', ')}`,
      process.env['GOLDSMITH_PLATFORMS'] ?? 'linux',
    )
    .option(
      '--os-families <list>',
      `OS families the build workers run, comma-separated: ${OS_FAMILIES.join(', ')}`,
      process.env['GOLDSMITH_OS_FAMILIES'] ?? 'debian',
    )
    .option(
      '--isolation <list>',
      `isolation the build workers run installers in, comma-separated: ${ISOLATION_KINDS.join(', ')}`,
      process.env['GOLDSMITH_ISOLATION'] ?? 'container',
    )
    .option(
      '--webhook-workers <n>',
      'concurrent webhook deliveries, independent of --workers (default 2; 0: none)',
      process.env['GOLDSMITH_WEBHOOK_WORKERS'],
    )
    .option(
      '--webhook-allow-private',
      'let webhooks reach loopback and private addresses (env GOLDSMITH_WEBHOOK_ALLOW_PRIVATE=1)',
      process.env['GOLDSMITH_WEBHOOK_ALLOW_PRIVATE'] === '1',
    )
    .option(
      '--build-timeout <seconds>',
      'wall-clock limit of one installer run',
      process.env['GOLDSMITH_BUILD_TIMEOUT'] ?? '3600',
    )
    .option(
      '--build-memory <size>',
      'memory limit of one installer run',
      process.env['GOLDSMITH_BUILD_MEMORY'] ?? '2G',
    )
    .option(
      '--build-pids <n>',
      'process limit of one installer run',
      process.env['GOLDSMITH_BUILD_PIDS'] ?? '1024',
    )
    .option(
      '--build-cpus <n>',
      'CPU limit of one installer run, in cores',
      process.env['GOLDSMITH_BUILD_CPUS'] ?? '1',
    )
    .option(
      '--build-disk <size>',
      'disk space an installer may write',
      process.env['GOLDSMITH_BUILD_DISK'] ?? '10G',
    )
    .option(
      '--input-wait <seconds>',
      'how long an installer may block on input, using no CPU, before it counts as waiting for input',
      process.env['GOLDSMITH_INPUT_WAIT'] ?? '60',
    )
    .option(
      '--build-retries <n>',
      'retries of a build that failed on Goldsmith’s side, before Investigating',
      process.env['GOLDSMITH_BUILD_RETRIES'] ?? '2',
    )
    .option(
      '--job-lease <seconds>',
      'how long a build survives its worker going silent before another takes it over',
      process.env['GOLDSMITH_JOB_LEASE'] ?? '60',
    )
    .option(
      '--debian-mirror <url>',
      'Debian archive for base images (default: from the host’s apt sources)',
      process.env['GOLDSMITH_DEBIAN_MIRROR'],
    )
    .option(
      '--debian-security-mirror <url>',
      'Debian security archive (default: from the host’s apt sources)',
      process.env['GOLDSMITH_DEBIAN_SECURITY_MIRROR'],
    )
    .option(
      '--scan-gate <file>',
      'scan gate configuration (default: scan-gate.json in the data directory, if present)',
      process.env['GOLDSMITH_SCAN_GATE'],
    );
}

/**
 * The configuration of a process on the shared data that runs build workers and listens on
 * `--port` and `--host`: what its data, build and listen options name, then `extra`.
 */
export function processConfig(opts: CommandOptions, extra: ConfigInput = {}): GoldsmithConfig {
  return buildConfig({
    ...dataConfig(opts),
    ...buildWorkerConfig(opts),
    port: whole(opts, 'port', '--port'),
    host: text(opts, 'host'),
    ...extra,
  });
}

/** The configuration the data options name. */
function dataConfig(opts: CommandOptions): ConfigInput {
  const s3Endpoint = text(opts, 's3Endpoint');
  const s3Region = text(opts, 's3Region');
  return {
    dataDir: text(opts, 'dataDir'),
    baseCacheDir: text(opts, 'baseCache'),
    keysDir: text(opts, 'keysDir'),
    database: text(opts, 'database'),
    blobs: text(opts, 'blobs'),
    s3: {
      ...(s3Endpoint === undefined ? {} : { endpoint: s3Endpoint }),
      ...(s3Region === undefined ? {} : { region: s3Region }),
      // A flag: commander sets it to true, the environment to '1'; unset, it is undefined.
      forcePathStyle: opts['s3PathStyle'] !== undefined,
    },
  };
}

/** The configuration the build options name. */
function buildWorkerConfig(opts: CommandOptions): ConfigInput {
  const workers = opts['workers'];
  const webhookWorkers = text(opts, 'webhookWorkers');
  return {
    // `--no-workers` (the server's) sets it to false.
    workers:
      workers === false
        ? 0
        : typeof workers === 'string'
          ? parseWholeNumber(workers, '--workers')
          : undefined,
    capabilities: parseCapabilities(opts),
    webhookWorkers:
      webhookWorkers === undefined
        ? undefined
        : parseWholeNumber(webhookWorkers, '--webhook-workers'),
    webhookAllowPrivateAddresses: opts['webhookAllowPrivate'] === true,
    limits: {
      wallClockMs: whole(opts, 'buildTimeout', '--build-timeout') * 1000,
      memoryBytes: parseSize(text(opts, 'buildMemory') ?? '', '--build-memory'),
      pids: whole(opts, 'buildPids', '--build-pids'),
      cpus: Number(text(opts, 'buildCpus')),
    },
    diskLimitBytes: parseSize(text(opts, 'buildDisk') ?? '', '--build-disk'),
    inputWaitMs: whole(opts, 'inputWait', '--input-wait') * 1000,
    buildRetries: whole(opts, 'buildRetries', '--build-retries'),
    jobLeaseMs: whole(opts, 'jobLease', '--job-lease') * 1000,
    debianMirror: text(opts, 'debianMirror'),
    debianSecurityMirror: text(opts, 'debianSecurityMirror'),
    scanGateFile: text(opts, 'scanGate'),
  };
}

/** The worker capabilities of `--platforms`, `--os-families` and `--isolation`. */
export function parseCapabilities(opts: CommandOptions): WorkerCapabilities {
  return {
    platforms: parseList(text(opts, 'platforms') ?? '', '--platforms', PLATFORMS),
    osFamilies: parseList(text(opts, 'osFamilies') ?? '', '--os-families', OS_FAMILIES),
    isolation: parseList(text(opts, 'isolation') ?? '', '--isolation', ISOLATION_KINDS),
  };
}

/**
 * Pino options for a process's JSON log lines: each carries the process's role, so the lines
 * of a cluster's processes can be told apart once collected in one place.
 */
export function processLogger(role: ProcessRole): { level: string; base: Record<string, unknown> } {
  return {
    level: process.env['GOLDSMITH_LOG_LEVEL'] ?? 'info',
    base: { pid: process.pid, hostname: hostname(), role },
  };
}

function parseList<T extends string>(value: string, option: string, allowed: readonly T[]): T[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new InvalidArgumentError(`${option} needs at least one value`);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item))
      throw new InvalidArgumentError(
        `${option}: unknown value "${item}"; one of ${allowed.join(', ')}`,
      );
  }
  return [...new Set(items as T[])];
}

function text(opts: CommandOptions, name: string): string | undefined {
  const value = opts[name];
  return typeof value === 'string' ? value : undefined;
}

function whole(opts: CommandOptions, name: string, option: string): number {
  return parseWholeNumber(text(opts, name) ?? '', option);
}
