import { randomBytes } from 'node:crypto';

import pg from 'pg';

/** The machine's PostgreSQL that every test shares (GOLDSMITH_TEST_POSTGRES overrides it). */
export const SHARED_POSTGRES_URL =
  process.env['GOLDSMITH_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database of one test's own: its URL, and a way to drop it. */
export interface TestDatabase {
  readonly url: string;
  /** Runs one statement on this database (for assertions on rows). */
  query<Row>(text: string, values?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

/**
 * Creates a database with a random name on the server of `serverUrl`. A whole database rather
 * than a schema: processes on it then share LISTEN/NOTIFY channels with nobody else.
 */
export async function createTestDatabase(serverUrl = SHARED_POSTGRES_URL): Promise<TestDatabase> {
  const name = `goldsmith_cluster_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (client) => client.query(`create database "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  let dropped = false;
  return {
    url: dbUrl,
    async query<Row>(text: string, values: unknown[] = []) {
      const client = new pg.Client({ connectionString: dbUrl });
      await client.connect();
      try {
        return (await client.query(text, values)).rows as Row[];
      } finally {
        await client.end();
      }
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      // FORCE: a killed process's connections may linger until the server notices.
      await onServer(serverUrl, (client) =>
        client.query(`drop database if exists "${name}" with (force)`),
      );
    },
  };
}

async function onServer(serverUrl: string, work: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
