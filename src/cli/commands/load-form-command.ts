import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

import type { Command } from 'commander';

import type { LoadFormSubmission } from '../../domain/publishing/publishing-types.js';
import { ApiClient } from '../api-client.js';
import { note, printJson, printTable } from '../output.js';

/** Prints a submission with its entries' rows and its conversation. */
export function printSubmission(submission: LoadFormSubmission): void {
  process.stdout.write(
    [
      `submission ${submission.id}: ${submission.state}`,
      `  file:        ${submission.fileName}`,
      `  description: ${submission.description}`,
      `  submitted:   ${submission.submittedAt} (target date ${submission.targetDate})`,
      ...submission.entries.map(
        (e) =>
          `  row ${e.row}: ${e.productTitle} ${e.softwareVersion} ← ${e.packageGroupName} (${e.fulfillmentAction}, ${e.visibility})`,
      ),
      ...(submission.conversation.length === 0 ? [] : ['conversation:']),
      ...submission.conversation.map((m) => `  ${m.at} ${m.author} (${m.kind}): ${m.text}`),
    ].join('\n') + '\n',
  );
}

/** Prints submissions as a table. */
export function printSubmissions(submissions: readonly LoadFormSubmission[]): void {
  printTable(
    ['SUBMISSION', 'ACCOUNT', 'STATE', 'SUBMITTED', 'TARGET', 'DESCRIPTION'],
    submissions.map((s) => [
      s.id,
      s.accountId,
      s.state,
      s.submittedAt,
      s.targetDate,
      s.description.slice(0, 60),
    ]),
  );
}

const submissionRoute = (id: string) => `/v1/load-form-submissions/${encodeURIComponent(id)}`;

/** `goldsmith load-form download|submit|status|answer|correct` (sellers). */
export function loadFormCommand(program: Command): void {
  const loadForm = program
    .command('load-form')
    .description('publish package groups as products with the load form (sellers)');

  loadForm
    .command('download')
    .description('download the load form (.xlsx) offering your Successful package groups')
    .option('--output <file>', 'where to write it', 'goldsmith-load-form.xlsx')
    .option('--json', 'JSON output')
    .action(async (opts: { output: string; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      await pipeline(await client.download('/v1/load-form'), createWriteStream(opts.output));
      if (opts.json) printJson({ file: path.resolve(opts.output) });
      else note(`load form written to ${opts.output}`);
    });

  loadForm
    .command('submit')
    .description('submit a filled-in load form with a short description')
    .argument('<file>')
    .requiredOption('--description <text>', 'what this submission is (at most 500 characters)')
    .option('--json', 'JSON output')
    .action(async (file: string, opts: { description: string; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const query = new URLSearchParams({
        fileName: path.basename(file),
        description: opts.description,
      });
      const submission = await client.uploadFile<LoadFormSubmission>(
        'POST',
        `/v1/load-form-submissions?${query.toString()}`,
        file,
      );
      if (opts.json) return printJson(submission);
      note(
        `submission ${submission.id} is ${submission.state}; target date ${submission.targetDate}`,
      );
    });

  loadForm
    .command('status')
    .description('list your submissions, or show one with its conversation')
    .argument('[id]')
    .option('--json', 'JSON output')
    .action(async (id: string | undefined, opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      if (id !== undefined) {
        const submission = await client.request<LoadFormSubmission>('GET', submissionRoute(id));
        return opts.json ? printJson(submission) : printSubmission(submission);
      }
      const { submissions } = await client.request<{ submissions: LoadFormSubmission[] }>(
        'GET',
        '/v1/load-form-submissions',
      );
      return opts.json ? printJson(submissions) : printSubmissions(submissions);
    });

  loadForm
    .command('answer')
    .description('answer the operators’ question about a submission')
    .argument('<id>')
    .requiredOption('--message <text>', 'your answer')
    .option('--json', 'JSON output')
    .action(async (id: string, opts: { message: string; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const submission = await client.request<LoadFormSubmission>(
        'POST',
        `${submissionRoute(id)}/answer`,
        { message: opts.message },
      );
      if (opts.json) printJson(submission);
      else note(`submission ${submission.id} is ${submission.state}`);
    });

  loadForm
    .command('correct')
    .description('replace a submission’s workbook with a corrected one')
    .argument('<id>')
    .argument('<file>')
    .option('--json', 'JSON output')
    .action(async (id: string, file: string, opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const query = new URLSearchParams({ fileName: path.basename(file) });
      const submission = await client.uploadFile<LoadFormSubmission>(
        'POST',
        `${submissionRoute(id)}/corrected-form?${query.toString()}`,
        file,
      );
      if (opts.json) printJson(submission);
      else note(`submission ${submission.id} is ${submission.state}`);
    });
}
