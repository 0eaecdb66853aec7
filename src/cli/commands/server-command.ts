import { InvalidArgumentError, type Command } from 'commander';

import { DEFAULT_PORT } from '../../config/config.js';
import { startGoldsmith } from '../../server/goldsmith-server.js';
import { parseHolidays } from '../../domain/calendar/business-days.js';
import { parseSize, parseWholeNumber } from '../option-parsers.js';
import {
  processConfig,
  processLogger,
  withBuildOptions,
  withDataOptions,
} from './build-options.js';
import { stopOnSignals } from './process-signals.js';

/** `goldsmith server`: the API and console, with build workers unless `--no-workers`. */
export function serverCommand(program: Command): void {
  const command = program
    .command('server')
    .description('run the Goldsmith server: HTTP API and console, and build workers');
  withDataOptions(command);
  withBuildOptions(command);
  command
    .option(
      '--no-workers',
      'API and console only: no build workers, sandbox or instances (webhook deliveries still run unless --webhook-workers 0)',
    )
    .option('--port <n>', 'HTTP port', process.env['GOLDSMITH_PORT'] ?? String(DEFAULT_PORT))
    .option('--host <addr>', 'address to listen on', process.env['GOLDSMITH_HOST'] ?? '0.0.0.0')
    .option(
      '--trust-proxy',
      'behind a load balancer: take the protocol, host and client address from its X-Forwarded-* headers (env GOLDSMITH_TRUST_PROXY=1)',
      process.env['GOLDSMITH_TRUST_PROXY'] === '1',
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
      '--private-build-limit <n>',
      'private image builds one account may have in progress at once',
      process.env['GOLDSMITH_PRIVATE_BUILD_LIMIT'] ?? '5',
    )
    .option(
      '--account-queue-limit <n>',
      'build jobs one account may have queued or running at once',
      process.env['GOLDSMITH_ACCOUNT_QUEUE_LIMIT'] ?? '100',
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
      '--export-link-ttl <seconds>',
      'how long a link to a downloadable image export stays valid (at most 604800, 7 days)',
      process.env['GOLDSMITH_EXPORT_LINK_TTL'] ?? '3600',
    )
    .option(
      '--holidays <dates>',
      'days that are not business days, besides weekends: 2026-12-25,2027-01-01',
      process.env['GOLDSMITH_HOLIDAYS'] ?? '',
    )
    .action(async (opts: Record<string, string | undefined>) => {
      const config = processConfig(opts, {
        // A flag: commander gives true, or the environment default.
        trustProxy: (opts['trustProxy'] as unknown) === true,
        maxPackageBytes: parseSize(opts['maxPackageSize'] ?? '', '--max-package-size'),
        maxGoldImageBytes: parseSize(opts['maxGoldImageSize'] ?? '', '--max-gold-image-size'),
        privateBuildLimit: parseWholeNumber(
          opts['privateBuildLimit'] ?? '',
          '--private-build-limit',
        ),
        accountQueueLimit: parseWholeNumber(
          opts['accountQueueLimit'] ?? '',
          '--account-queue-limit',
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
        exportLinkTtlSeconds: parseLinkTtl(opts['exportLinkTtl'] ?? '', '--export-link-ttl'),
      });
      const server = await startGoldsmith(config, { logger: processLogger('server') });
      if (server.operatorToken !== undefined) {
        process.stdout.write(`operator token: ${server.operatorToken}\n`);
        process.stdout.write('(shown once: store it, e.g. with `goldsmith login --token …`)\n');
      }
      const workers = config.workers === 0 ? 'no build workers' : `${config.workers} build workers`;
      process.stdout.write(
        `goldsmith listening on ${server.url} (data in ${config.dataDir}; ${workers})\n`,
      );
      stopOnSignals((signal) => {
        process.stdout.write(`${signal}: stopping; running builds go back to the queue\n`);
        return server.stop();
      });
    });
}

/** Object stores sign a link for at most seven days (SigV4), and an expired link is useless. */
function parseLinkTtl(value: string, option: string): number {
  const seconds = parseWholeNumber(value, option);
  if (seconds < 1 || seconds > 7 * 24 * 3600) {
    throw new InvalidArgumentError(`${option} takes 1 to 604800 seconds, not ${seconds}`);
  }
  return seconds;
}
