import type { Command } from 'commander';

import type { AccessKeyView } from '../../domain/access-keys/access-key.js';
import { ApiClient } from '../api-client.js';
import { printJson, printTable } from '../output.js';

/** `goldsmith access-key create|list|delete`: keys for the AWS-compatible build API. */
export function accessKeyCommand(program: Command): void {
  const accessKey = program
    .command('access-key')
    .description('access keys for the AWS-compatible build API (SigV4)');

  accessKey
    .command('create')
    .description('create an access key; the secret is printed this once')
    .option('--json', 'print {"accessKeyId": …, "secretAccessKey": …}')
    .action(async (opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const created = await client.request<{ accessKeyId: string; secretAccessKey: string }>(
        'POST',
        '/v1/access-keys',
      );
      if (opts.json) {
        printJson({ accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey });
      } else {
        process.stdout.write(
          `accessKeyId: ${created.accessKeyId}\nsecretAccessKey: ${created.secretAccessKey}\n` +
            'The secret is not shown again; keep it now.\n',
        );
      }
    });

  accessKey
    .command('list')
    .description('list access keys (never their secrets)')
    .option('--account <id>', "another account's keys (operators)")
    .option('--json', 'JSON output')
    .action(async (opts: { account?: string; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const query =
        opts.account === undefined ? '' : `?accountId=${encodeURIComponent(opts.account)}`;
      const { accessKeys } = await client.request<{ accessKeys: AccessKeyView[] }>(
        'GET',
        `/v1/access-keys${query}`,
      );
      if (opts.json) printJson(accessKeys);
      else
        printTable(
          ['ACCESS KEY ID', 'CREATED', 'LAST USED'],
          accessKeys.map((k) => [k.accessKeyId, k.createdAt, k.lastUsedAt ?? 'never']),
        );
    });

  accessKey
    .command('delete')
    .description('delete an access key; requests signed with it are refused from now on')
    .argument('<id>', 'access key id')
    .action(async (id: string) => {
      const client = await ApiClient.fromEnvironment();
      await client.request('DELETE', `/v1/access-keys/${encodeURIComponent(id)}`);
      process.stdout.write(`deleted ${id}\n`);
    });
}
