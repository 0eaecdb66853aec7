import type { Command } from 'commander';

import { startWorker } from '../../server/goldsmith-worker.js';
import { parseWholeNumber } from '../option-parsers.js';
import {
  processConfig,
  processLogger,
  withBuildOptions,
  withDataOptions,
} from './build-options.js';
import { stopOnSignals } from './process-signals.js';

/** The port of a worker's health and metrics listener: beside the API's 7780. */
export const DEFAULT_WORKER_PORT = 7781;

/** `goldsmith worker`: build workers alone, on the cluster's database and blob store. */
export function workerCommand(program: Command): void {
  const command = program
    .command('worker')
    .description(
      'run build workers only, without the API: they take jobs from the shared database (a cluster needs PostgreSQL and shared blobs, e.g. S3)',
    );
  withDataOptions(command);
  withBuildOptions(command);
  command
    .option(
      '--port <n>',
      'port of the health, readiness and metrics listener',
      process.env['GOLDSMITH_WORKER_PORT'] ?? String(DEFAULT_WORKER_PORT),
    )
    .option('--host <addr>', 'address to listen on', process.env['GOLDSMITH_HOST'] ?? '0.0.0.0')
    .option(
      '--drain-timeout <seconds>',
      'on SIGTERM or SIGINT, how long running builds may finish before they go back to the queue',
      process.env['GOLDSMITH_DRAIN_TIMEOUT'] ?? '600',
    )
    .action(async (opts: Record<string, string | undefined>) => {
      const config = processConfig(opts, {
        drainTimeoutMs: parseWholeNumber(opts['drainTimeout'] ?? '', '--drain-timeout') * 1000,
      });
      const worker = await startWorker(config, { logger: processLogger('worker') });
      process.stdout.write(
        `goldsmith worker ${worker.id} listening on ${worker.url} (${config.workers} build workers; data in ${config.dataDir})\n`,
      );
      stopOnSignals((signal) => {
        process.stdout.write(
          `${signal}: draining; running builds may finish for ${config.drainTimeoutMs / 1000}s, then go back to the queue\n`,
        );
        return worker.drain(config.drainTimeoutMs);
      });
    });
}
