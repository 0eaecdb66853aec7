import type { Command } from 'commander';

import type { WebhookDelivery } from '../../domain/webhooks/webhook-records.js';
import type { WebhookSigningSecret } from '../../domain/webhooks/webhook-secrets.js';
import { ApiClient } from '../api-client.js';
import { parseWholeNumber } from '../option-parsers.js';
import { printJson, printTable } from '../output.js';

/** `goldsmith webhook secret|deliveries`: the caller's signing secret and delivery record. */
export function webhookCommand(program: Command): void {
  const webhook = program
    .command('webhook')
    .description('signed webhook notifications: signing secret and deliveries');

  webhook
    .command('secret')
    .description('print the signing secret of your webhooks (created on first use)')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const secret = await client.request<WebhookSigningSecret>('GET', '/v1/webhooks/secret');
      if (opts.json) printJson(secret);
      else process.stdout.write(`${secret.secret}\n`);
    });

  webhook
    .command('deliveries')
    .description('list your most recent webhook deliveries, newest first')
    .option('--limit <n>', 'at most this many (1-500)', '50')
    .option('--json', 'JSON output')
    .action(async (opts: { limit: string; json?: boolean }) => {
      const limit = parseWholeNumber(opts.limit, '--limit');
      const client = await ApiClient.fromEnvironment();
      const { deliveries } = await client.request<{ deliveries: WebhookDelivery[] }>(
        'GET',
        `/v1/webhooks/deliveries?limit=${limit}`,
      );
      if (opts.json) printJson(deliveries);
      else
        printTable(
          ['DELIVERY', 'EVENT', 'STATUS', 'ATTEMPTS', 'LAST', 'CREATED', 'URL'],
          deliveries.map((d) => [
            d.id,
            d.eventType,
            d.status,
            `${d.attempts}/${d.maxAttempts}`,
            d.lastStatusCode === null ? (d.lastError ?? '-') : String(d.lastStatusCode),
            d.createdAt,
            d.url,
          ]),
        );
    });
}
