import type { Command } from 'commander';

import { DEFAULT_PORT } from '../../config/config.js';
import type { Account } from '../../domain/types.js';
import { ApiClient } from '../api-client.js';
import { saveCredentials } from '../credentials.js';
import { printJson } from '../output.js';

/** `goldsmith login`: checks a URL and token and stores them for later commands. */
export function loginCommand(program: Command): void {
  program
    .command('login')
    .description(
      'store the server URL and API token (GOLDSMITH_URL / GOLDSMITH_TOKEN override them)',
    )
    .option(
      '--url <url>',
      'server URL',
      process.env['GOLDSMITH_URL'] ?? `http://127.0.0.1:${DEFAULT_PORT}`,
    )
    .option('--token <token>', 'API token', process.env['GOLDSMITH_TOKEN'])
    .option('--json', 'JSON output')
    .action(async (opts: { url: string; token?: string; json?: boolean }) => {
      if (opts.token === undefined) throw new Error('give --token or set GOLDSMITH_TOKEN');
      const me = await new ApiClient(opts.url, opts.token).request<Account>(
        'GET',
        '/v1/accounts/me',
      );
      const file = await saveCredentials({ url: opts.url, token: opts.token });
      if (opts.json)
        printJson({ accountId: me.id, name: me.name, roles: me.roles, credentials: file });
      else
        process.stdout.write(
          `logged in to ${opts.url} as ${me.name} (${me.id}, ${me.roles.join(', ')}); saved in ${file}\n`,
        );
    });
}
