import type { Command } from 'commander';

import type { LoadFormSubmission } from '../../domain/publishing/publishing-types.js';
import { ApiClient } from '../api-client.js';
import { note, printJson } from '../output.js';
import { printSubmissions } from './load-form-command.js';

/** `goldsmith review list|start|clarify|publish|reject` (operators). */
export function reviewCommand(program: Command): void {
  const review = program
    .command('review')
    .description('review sellers’ load form submissions (operators)');

  review
    .command('list')
    .description('list submissions, oldest first')
    .option('--state <state>', 'Submitted, UnderReview, NeedsClarification, Published or Rejected')
    .option('--json', 'JSON output')
    .action(async (opts: { state?: string; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const query = opts.state === undefined ? '' : `?state=${encodeURIComponent(opts.state)}`;
      const { submissions } = await client.request<{ submissions: LoadFormSubmission[] }>(
        'GET',
        `/v1/review/submissions${query}`,
      );
      return opts.json ? printJson(submissions) : printSubmissions(submissions);
    });

  const actions = [
    ['start', 'start reviewing a Submitted form', false],
    ['clarify', 'ask the seller a question', true],
    ['publish', 'check the rules again and publish the products', false],
    ['reject', 'reject the submission, telling the seller why', true],
  ] as const;
  for (const [action, description, needsMessage] of actions) {
    const command = review
      .command(action)
      .description(description)
      .argument('<id>')
      .option('--json', 'JSON output');
    if (needsMessage) command.requiredOption('--message <text>', 'what the seller reads');
    else command.option('--message <text>', 'a note for the seller');
    command.action(async (id: string, opts: { message?: string; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const submission = await client.request<LoadFormSubmission>(
        'POST',
        `/v1/review/submissions/${encodeURIComponent(id)}/${action}`,
        opts.message === undefined ? {} : { message: opts.message },
      );
      if (opts.json) printJson(submission);
      else note(`submission ${submission.id} is ${submission.state}`);
    });
  }
}
