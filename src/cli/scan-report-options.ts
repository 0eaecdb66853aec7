import { writeFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';

import { Option, type Command } from 'commander';

import { REPORT_FORMATS } from '../scanner/reports/report-formats.js';
import { SEVERITY_ORDER } from '../scanner/scan/scan-report.js';
import { ApiClient } from './api-client.js';
import { note } from './output.js';

/** Options of the commands that fetch a stored scan report from the server. */
export interface ScanReportOptions {
  format: string;
  severity?: string;
  ignoreUnfixed?: boolean;
  output?: string;
}

/** Adds `--format`, `--severity`, `--ignore-unfixed` and `--output`, as `goldsmith scan` has them. */
export function withScanReportOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(Object.keys(REPORT_FORMATS))
        .default('table'),
    )
    .option(
      '--severity <list>',
      `only these severities, comma-separated (${SEVERITY_ORDER.join(', ')})`,
    )
    .option('--ignore-unfixed', 'leave out vulnerabilities that have no fixed version')
    .option('--output <file>', 'write the report to a file instead of standard output');
}

/** Fetches the scan report at `route` (`/v1/builds/ID/scan-report`) rendered as asked, and prints or saves it. */
export async function printScanReport(route: string, opts: ScanReportOptions): Promise<void> {
  const query = new URLSearchParams({ format: opts.format });
  if (opts.severity !== undefined) query.set('severity', opts.severity);
  if (opts.ignoreUnfixed === true) query.set('ignoreUnfixed', 'true');
  const client = await ApiClient.fromEnvironment();
  const report = await text(await client.download(`${route}?${query.toString()}`));
  if (opts.output === undefined) {
    process.stdout.write(report.endsWith('\n') ? report : `${report}\n`);
  } else {
    await writeFile(opts.output, report);
    note(`report written to ${opts.output}`);
  }
}
