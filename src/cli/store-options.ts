import { mkdir } from 'node:fs/promises';

import type { Command } from 'commander';

import { buildConfig, DEFAULT_DATA_DIR, type GoldsmithConfig } from '../config/config.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** Options of commands that work on the server's data directory directly, with no server. */
export interface StoreOptions {
  dataDir: string;
  database?: string;
}

/** Adds `--data-dir` and `--database`, with the server's defaults and environment. */
export function withStoreOptions(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'the server’s data directory, holding its database (env GOLDSMITH_DATA_DIR)',
      process.env['GOLDSMITH_DATA_DIR'] ?? DEFAULT_DATA_DIR,
    )
    .option(
      '--database <url>',
      'sqlite:PATH or postgres://… (default: SQLite in the data directory)',
      process.env['GOLDSMITH_DATABASE'],
    );
}

/** Opens the store the server uses, runs `work`, and closes it. */
export async function withStore(
  opts: StoreOptions,
  work: (store: Store, config: GoldsmithConfig) => Promise<void>,
): Promise<void> {
  const config = buildConfig({ dataDir: opts.dataDir, database: opts.database });
  // A first command on a new machine makes the data directory, as the server would.
  if (opts.database === undefined) await mkdir(config.dataDir, { recursive: true });
  const store = await openStore(config.database);
  try {
    await work(store, config);
  } finally {
    await store.close();
  }
}
