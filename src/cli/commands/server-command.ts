import type { Command } from 'commander';

import { buildConfig, DEFAULT_DATA_DIR, DEFAULT_PORT } from '../../config/config.js';
import { startGoldsmith } from '../../server/goldsmith-server.js';
import { parseHolidays } from '../../domain/calendar/business-days.js';
import { parseSize, parseWholeNumber } from '../option-parsers.js';

/** `goldsmith server`: API, console and workers in one process. */
export function serverCommand(program: Command): void {
  program
    .command('server')
    .description('run the Goldsmith server: HTTP API and build workers')
    .option(
      '--data-dir <dir>',
      'where the database, blobs and base images live',
      process.env['GOLDSMITH_DATA_DIR'] ?? DEFAULT_DATA_DIR,
    )
    .option(
      '--base-cache <dir>',
      'host cache of base image roots (default: DATA_DIR/bases)',
      process.env['GOLDSMITH_BASE_CACHE'],
    )
    .option('--port <n>', 'HTTP port', process.env['GOLDSMITH_PORT'] ?? String(DEFAULT_PORT))
    .option('--host <addr>', 'address to listen on', process.env['GOLDSMITH_HOST'] ?? '0.0.0.0')
    .option(
      '--database <url>',
      'sqlite:PATH or postgres://… (default: SQLite in the data directory)',
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
    )
    .option(
      '--workers <n>',
      'concurrent builds in this process (default: number of cores; 0: none)',
      process.env['GOLDSMITH_WORKERS'],
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
      '--max-package-size <size>',
      'largest package upload, e.g. 500M or 2G',
      process.env['GOLDSMITH_MAX_PACKAGE_SIZE'] ?? '2G',
    )
    .option(
      '--max-gold-image-size <size>',
      'largest extracted size of an imported gold image, e.g. 20G',
      process.env['GOLDSMITH_MAX_GOLD_IMAGE_SIZE'] ?? '20G',
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
      '--private-build-limit <n>',
      'private image builds one account may have in progress at once',
      process.env['GOLDSMITH_PRIVATE_BUILD_LIMIT'] ?? '5',
    )
    .option(
      '--instance-limit <n>',
      'instances one account may have running at once',
      process.env['GOLDSMITH_INSTANCE_LIMIT'] ?? '3',
    )
    .option(
      '--instance-stop-grace <seconds>',
      'how long a stopped instance may take to shut down before it is killed',
      process.env['GOLDSMITH_INSTANCE_STOP_GRACE'] ?? '15',
    )
    .option(
      '--instance-memory <size>',
      'memory limit of one instance, e.g. 2G',
      process.env['GOLDSMITH_INSTANCE_MEMORY'] ?? '2G',
    )
    .option(
      '--instance-pids <n>',
      'process limit of one instance',
      process.env['GOLDSMITH_INSTANCE_PIDS'] ?? '4096',
    )
    .option(
      '--instance-timeout <seconds>',
      'how long an instance may run before it is stopped',
      process.env['GOLDSMITH_INSTANCE_TIMEOUT'] ?? String(24 * 60 * 60),
    )
    .option(
      '--build-cpus <n>',
      'CPU limit of one installer run, in cores',
      process.env['GOLDSMITH_BUILD_CPUS'] ?? '1',
    )
    .option(
      '--holidays <dates>',
      'days that are not business days, besides weekends: 2026-12-25,2027-01-01',
      process.env['GOLDSMITH_HOLIDAYS'] ?? '',
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
    )
    .action(async (opts: Record<string, string | undefined>) => {
      const s3Endpoint = opts['s3Endpoint'];
      const s3Region = opts['s3Region'];
      const config = buildConfig({
        blobs: opts['blobs'],
        s3: {
          ...(s3Endpoint === undefined ? {} : { endpoint: s3Endpoint }),
          ...(s3Region === undefined ? {} : { region: s3Region }),
          // A flag: commander sets it to true, the environment to '1'; unset, it is undefined.
          forcePathStyle: opts['s3PathStyle'] !== undefined,
        },
        dataDir: opts['dataDir'],
        baseCacheDir: opts['baseCache'],
        port: parseWholeNumber(opts['port'] ?? '', '--port'),
        host: opts['host'],
        database: opts['database'],
        workers:
          opts['workers'] === undefined
            ? undefined
            : parseWholeNumber(opts['workers'], '--workers'),
        // A flag: commander gives true, or the environment default.
        webhookAllowPrivateAddresses: (opts['webhookAllowPrivate'] as unknown) === true,
        webhookWorkers:
          opts['webhookWorkers'] === undefined
            ? undefined
            : parseWholeNumber(opts['webhookWorkers'], '--webhook-workers'),
        maxPackageBytes: parseSize(opts['maxPackageSize'] ?? '', '--max-package-size'),
        maxGoldImageBytes: parseSize(opts['maxGoldImageSize'] ?? '', '--max-gold-image-size'),
        limits: {
          wallClockMs: parseWholeNumber(opts['buildTimeout'] ?? '', '--build-timeout') * 1000,
          memoryBytes: parseSize(opts['buildMemory'] ?? '', '--build-memory'),
          pids: parseWholeNumber(opts['buildPids'] ?? '', '--build-pids'),
          cpus: Number(opts['buildCpus']),
        },
        diskLimitBytes: parseSize(opts['buildDisk'] ?? '', '--build-disk'),
        inputWaitMs: parseWholeNumber(opts['inputWait'] ?? '', '--input-wait') * 1000,
        buildRetries: parseWholeNumber(opts['buildRetries'] ?? '', '--build-retries'),
        privateBuildLimit: parseWholeNumber(
          opts['privateBuildLimit'] ?? '',
          '--private-build-limit',
        ),
        instanceLimit: parseWholeNumber(opts['instanceLimit'] ?? '', '--instance-limit'),
        instanceStopGraceMs:
          parseWholeNumber(opts['instanceStopGrace'] ?? '', '--instance-stop-grace') * 1000,
        instanceLimits: {
          memoryBytes: parseSize(opts['instanceMemory'] ?? '', '--instance-memory'),
          pids: parseWholeNumber(opts['instancePids'] ?? '', '--instance-pids'),
          wallClockMs: parseWholeNumber(opts['instanceTimeout'] ?? '', '--instance-timeout') * 1000,
        },
        holidays: [...parseHolidays(opts['holidays'] ?? '')],
        jobLeaseMs: parseWholeNumber(opts['jobLease'] ?? '', '--job-lease') * 1000,
        debianMirror: opts['debianMirror'],
        debianSecurityMirror: opts['debianSecurityMirror'],
        scanGateFile: opts['scanGate'],
      });
      const server = await startGoldsmith(config, {
        logger: { level: process.env['GOLDSMITH_LOG_LEVEL'] ?? 'info' },
      });
      if (server.operatorToken !== undefined) {
        process.stdout.write(`operator token: ${server.operatorToken}\n`);
        process.stdout.write('(shown once: store it, e.g. with `goldsmith login --token …`)\n');
      }
      process.stdout.write(`goldsmith listening on ${server.url} (data in ${config.dataDir})\n`);
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`${signal}: stopping; running builds go back to the queue\n`);
        server.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`error while stopping: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    });
}
