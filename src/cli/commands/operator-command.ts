import type { Command } from 'commander';

import type { BuildView } from '../../domain/builds/build-view.js';
import type { SupportCase } from '../../domain/types.js';
import type { WorkerRecord } from '../../domain/workers/worker-record.js';
import { workerState } from '../../domain/workers/worker-record.js';
import { ApiClient } from '../api-client.js';
import { note, printJson, printTable } from '../output.js';

/** `goldsmith operator investigations|retry|close|workers` and `goldsmith support-case list`. */
export function operatorCommand(program: Command): void {
  const operator = program
    .command('operator')
    .description('builds that failed on Goldsmith’s side (operators)');

  operator
    .command('investigations')
    .description('list builds in Investigating, oldest first, with their internal error')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const { builds } = await client.request<{ builds: BuildView[] }>(
        'GET',
        '/v1/operator/investigations',
      );
      if (opts.json) return printJson(builds);
      printTable(
        ['BUILD', 'ACCOUNT', 'OS', 'SINCE', 'ATTEMPTS', 'INTERNAL ERROR'],
        builds.map((b) => [
          b.id,
          b.accountId,
          b.osVersion,
          b.investigation?.since ?? '-',
          String(b.attempts),
          (b.internalError ?? '').slice(0, 80),
        ]),
      );
    });

  operator
    .command('retry')
    .description('run an Investigating build again from the start')
    .argument('<buildId>')
    .option('--json', 'JSON output')
    .action(async (buildId: string, opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const build = await client.request<BuildView>(
        'POST',
        `/v1/operator/builds/${encodeURIComponent(buildId)}/retry`,
      );
      if (opts.json) printJson(build);
      else note(`build ${build.id} queued again (${build.state})`);
    });

  operator
    .command('close')
    .description('close an Investigating build as IssuesFound with a note to the seller')
    .argument('<buildId>')
    .requiredOption('--message <text>', 'what the seller must change')
    .option('--json', 'JSON output')
    .action(async (buildId: string, opts: { message: string; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const build = await client.request<BuildView>(
        'POST',
        `/v1/operator/builds/${encodeURIComponent(buildId)}/close`,
        {
          message: opts.message,
        },
      );
      if (opts.json) printJson(build);
      else note(`build ${build.id} closed as ${build.state}`);
    });

  operator
    .command('workers')
    .description('list the live build worker processes, with what they run and how busy they are')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const { workers } = await client.request<{ workers: WorkerRecord[] }>('GET', '/v1/workers');
      if (opts.json) return printJson(workers);
      printTable(
        ['WORKER', 'ROLE', 'STATE', 'BUSY', 'PLATFORMS', 'OS FAMILIES', 'ISOLATION', 'LAST SEEN'],
        workers.map((w) => [
          w.id,
          w.role,
          workerState(w),
          `${w.busy}/${w.concurrency}`,
          w.capabilities.platforms.join(','),
          w.capabilities.osFamilies.join(','),
          w.capabilities.isolation.join(','),
          w.lastSeenAt,
        ]),
      );
    });

  program
    .command('support-case')
    .description('support cases about builds in Investigating')
    .command('list')
    .description('list support cases (operators: all; others: their own)')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const { supportCases } = await client.request<{ supportCases: SupportCase[] }>(
        'GET',
        '/v1/support-cases',
      );
      if (opts.json) return printJson(supportCases);
      printTable(
        ['CASE', 'ACCOUNT', 'BUILD', 'STATE', 'CREATED', 'MESSAGE'],
        supportCases.map((c) => [
          c.id,
          c.accountId,
          c.buildId,
          c.state,
          c.createdAt,
          c.message.slice(0, 60),
        ]),
      );
    });
}
