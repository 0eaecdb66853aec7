import { afterAll, beforeAll } from 'vitest';

import { startHarness, type Harness } from '../goldsmith-harness.js';
import { tempDir } from '../paths.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** What apiServerPairEachSuite hands a suite: two API servers, as behind a load balancer. */
export interface ApiServerPair {
  readonly first: Harness;
  readonly second: Harness;
}

/**
 * Registers hooks that start two API servers (no build workers) on one fresh PostgreSQL
 * database and one keys directory before the suite, and stop them and drop the database after.
 */
export function apiServerPairEachSuite(): ApiServerPair {
  let database: TestDatabase | undefined;
  let first: Harness | undefined;
  let second: Harness | undefined;
  const keysDir = tempDir('shared-keys');

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await startHarness({ database: database.url, workers: 0, keysDir });
    second = await startHarness(
      { database: database.url, workers: 0, keysDir },
      first.server.operatorToken,
    );
  }, 60_000);
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await database?.drop();
  });

  return {
    get first(): Harness {
      if (first === undefined) throw new Error('no API server outside the suite');
      return first;
    },
    get second(): Harness {
      if (second === undefined) throw new Error('no API server outside the suite');
      return second;
    },
  };
}
