import type { Command } from 'commander';

import type { LogPage } from '../../domain/builds/build-service.js';
import type { OsBuild, SupportCase } from '../../domain/types.js';
import { ApiClient } from '../api-client.js';
import { printJson } from '../output.js';
import {
  printScanReport,
  withScanReportOptions,
  type ScanReportOptions,
} from '../scan-report-options.js';

/** `goldsmith build show|contact|logs|report`. */
export function buildCommand(program: Command): void {
  const build = program.command('build').description('OS builds');

  build
    .command('show')
    .description('show one OS build with its phases and findings')
    .argument('<buildId>')
    .action(async (buildId: string) => {
      const client = await ApiClient.fromEnvironment();
      printJson(await client.request<OsBuild>('GET', `/v1/builds/${encodeURIComponent(buildId)}`));
    });

  build
    .command('contact')
    .description('contact the operators about a build Investigating for four business days or more')
    .argument('<buildId>')
    .requiredOption('--message <text>', 'what you want the operators to know')
    .option('--json', 'JSON output')
    .action(async (buildId: string, opts: { message: string; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const supportCase = await client.request<SupportCase>(
        'POST',
        `/v1/builds/${encodeURIComponent(buildId)}/support-cases`,
        { message: opts.message },
      );
      if (opts.json) printJson(supportCase);
      else process.stdout.write(`support case ${supportCase.id} opened\n`);
    });

  build
    .command('logs')
    .description('print the installer output of a build')
    .argument('<buildId>')
    .option('--follow', 'keep printing new lines until the build ends')
    .option('--json', 'one JSON object per line: {seq, at, stream, text}')
    .action(async (buildId: string, opts: { follow?: boolean; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      let after = 0;
      for (;;) {
        const page = await client.request<LogPage>(
          'GET',
          `/v1/builds/${encodeURIComponent(buildId)}/logs?after=${after}&limit=1000`,
        );
        for (const line of page.lines) {
          if (opts.json) process.stdout.write(JSON.stringify(line) + '\n');
          else process.stdout.write(`${line.at} ${line.stream.padEnd(6)} ${line.text}\n`);
        }
        after = page.nextSeq;
        if (page.lines.length === 1000) continue;
        if (!opts.follow || page.complete) return;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    });

  withScanReportOptions(
    build
      .command('report')
      .description('print the scan report of a build (also when the gate stopped it)')
      .argument('<buildId>'),
  ).action(async (buildId: string, opts: ScanReportOptions) => {
    await printScanReport(`/v1/builds/${encodeURIComponent(buildId)}/scan-report`, opts);
  });
}
