import type { Command } from 'commander';

import { buildConfig, DEFAULT_DATA_DIR } from '../../config/config.js';
import { systemClock } from '../../domain/clock.js';
import { generateKeys } from '../../server/key-files.js';
import { note } from '../output.js';

/** `goldsmith keys generate`: the secret key files a cluster's processes share. */
export function keysCommand(program: Command): void {
  program
    .command('keys')
    .description('the secret key files of the server and workers')
    .command('generate')
    .description(
      'create the key files once, before a cluster starts; existing files are kept, never replaced',
    )
    .option(
      '--keys-dir <dir>',
      'where to create them (default: DATA_DIR/keys)',
      process.env['GOLDSMITH_KEYS_DIR'],
    )
    .option(
      '--data-dir <dir>',
      'the data directory whose keys/ to use without --keys-dir',
      process.env['GOLDSMITH_DATA_DIR'] ?? DEFAULT_DATA_DIR,
    )
    .action(async (opts: { keysDir?: string; dataDir: string }) => {
      const { keysDir } = buildConfig({ dataDir: opts.dataDir, keysDir: opts.keysDir });
      const { created, existing } = await generateKeys(keysDir, systemClock);
      for (const file of created) note(`created ${file}`);
      for (const file of existing) note(`kept ${file} (it exists)`);
    });
}
