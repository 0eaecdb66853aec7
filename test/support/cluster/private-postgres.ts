import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { chown, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

import { tempDir } from '../paths.js';

const run = promisify(execFile);

/*
 * A PostgreSQL cluster of one test's own, for tests that restart the database: the machine's
 * server at 5432 is shared with every other test file and must never be restarted.
 */

/** A running private PostgreSQL cluster, trusted on loopback, and ways to bounce it. */
export interface PrivatePostgres {
  readonly port: number;
  /** A URL of `database` on this cluster (user postgres, no password). */
  url(database: string): string;
  /** `pg_ctl restart -m MODE`: every open connection is cut. */
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server (`pg_ctl stop -m MODE`), keeping its data for `start`. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts the stopped server again on the same port. */
  start(): Promise<void>;
  /** Stops the server and deletes its files; safe to call again. */
  destroy(): Promise<void>;
}

/** Initialises a cluster in a fresh directory and starts it on a free loopback port. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const dir = tempDir('private-pg');
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  // postgres refuses to run as root: the cluster belongs to the postgres OS user.
  const { uid, gid } = await postgresUser();
  await chown(dir, uid, gid);
  const asPostgres = (tool: string, args: string[]) =>
    run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { cwd: dir });

  await asPostgres('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  // Its socket lives in its own directory; fsync off, since the data is thrown away.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const pgCtl = (args: string[]) => asPostgres('pg_ctl', ['-D', dataDir, '-l', logFile, ...args]);
  await pgCtl(['-w', '-o', options, 'start']);

  let destroyed = false;
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async restart(mode = 'fast') {
      await pgCtl(['-w', '-m', mode, '-o', options, 'restart']);
    },
    async stop(mode = 'fast') {
      await pgCtl(['-w', '-m', mode, 'stop']);
    },
    async start() {
      await pgCtl(['-w', '-o', options, 'start']);
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await pgCtl(['-w', '-m', 'immediate', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The newest installed PostgreSQL's binaries (Debian keeps them per major version). */
function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  if (versions[0] === undefined) throw new Error(`no PostgreSQL under ${root}`);
  return path.join(root, versions[0], 'bin');
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: group } = await run('id', ['-g', 'postgres']);
  return { uid: Number(stdout.trim()), gid: Number(group.trim()) };
}

/** A loopback TCP port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
