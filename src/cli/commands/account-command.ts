import { Option, type Command } from 'commander';

import { ROLES, type Account } from '../../domain/types.js';
import { ApiClient } from '../api-client.js';
import { printJson, printTable } from '../output.js';

/** `goldsmith account create|list|token`: operators manage accounts and tokens. */
export function accountCommand(program: Command): void {
  const account = program.command('account').description('accounts and API tokens (operators)');

  account
    .command('create')
    .description('create an account and print its id and first token')
    .requiredOption('--name <name>', 'display name')
    .addOption(
      new Option('--role <role...>', 'one or more roles').choices(ROLES).makeOptionMandatory(),
    )
    .option('--json', 'print {"accountId": …, "token": …}')
    .action(async (opts: { name: string; role: string[]; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const roles = opts.role.flatMap((r) => r.split(','));
      const created = await client.request<{ accountId: string; token: string }>(
        'POST',
        '/v1/accounts',
        {
          name: opts.name,
          roles,
        },
      );
      if (opts.json) printJson({ accountId: created.accountId, token: created.token });
      else process.stdout.write(`account id: ${created.accountId}\ntoken: ${created.token}\n`);
    });

  account
    .command('list')
    .description('list accounts')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const { accounts } = await client.request<{ accounts: Account[] }>('GET', '/v1/accounts');
      if (opts.json) printJson(accounts);
      else
        printTable(
          ['ID', 'NAME', 'ROLES', 'CREATED'],
          accounts.map((a) => [a.id, a.name, a.roles.join(','), a.createdAt]),
        );
    });

  account
    .command('token')
    .description('issue another API token for an account (yours unless you are an operator)')
    .requiredOption('--account <id>', 'account id')
    .option('--name <name>', 'a name to recognise the token by', 'cli')
    .option('--json', 'JSON output')
    .action(async (opts: { account: string; name: string; json?: boolean }) => {
      const client = await ApiClient.fromEnvironment();
      const issued = await client.request<{ accountId: string; tokenId: string; token: string }>(
        'POST',
        `/v1/accounts/${encodeURIComponent(opts.account)}/tokens`,
        { name: opts.name },
      );
      if (opts.json) printJson(issued);
      else process.stdout.write(`token: ${issued.token}\n`);
    });
}
