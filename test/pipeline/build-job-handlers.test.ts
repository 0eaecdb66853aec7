import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { systemClock } from '../../src/domain/clock.js';
import type { Job, OsBuild } from '../../src/domain/types.js';
import type { GoldsmithEvent } from '../../src/events/event-bus.js';
import { InProcessEventBus } from '../../src/events/in-process-event-bus.js';
import { osBuildJobHandler } from '../../src/pipeline/build-job-handlers.js';
import type { OsBuildRunner } from '../../src/pipeline/os-build-runner.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { tempDir } from '../support/paths.js';

const ACCOUNT = '100000000001';
const T = '2025-01-01T00:00:00.000Z';

describe('OS build job handler', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = tempDir('build-job-handlers');
    store = await openSqliteStore(join(dir, 'goldsmith.db'));
    await store.accounts.insert({ id: ACCOUNT, name: 'Acme', roles: ['seller'], createdAt: T });
    await store.packageGroups.insertReservingName({
      id: 'pg-1',
      accountId: ACCOUNT,
      name: 'acme',
      platform: 'linux',
      osVersions: ['debian-12'],
      packages: [],
      createdAt: T,
      deletedAt: null,
    });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts a cancelled build back to Cancelled when its runner moved it on before it heard', async () => {
    const build: OsBuild = {
      id: 'build-1',
      accountId: ACCOUNT,
      packageGroupId: 'pg-1',
      osVersion: 'debian-12',
      // The seller cancelled it; then the runner, not yet told, reported scanning.
      state: 'Scanning',
      imageId: null,
      baseImageId: null,
      baseDigest: null,
      scanReportDigest: null,
      submittedAt: T,
      startedAt: T,
      finishedAt: null,
      phases: {},
      findings: [],
      internalError: null,
      attempts: 1,
    };
    await store.builds.insert(build);
    const events = new InProcessEventBus();
    const seen: GoldsmithEvent[] = [];
    events.subscribe((event) => seen.push(event));
    // The hook only records the cancellation: it never asks the runner to run anything.
    const handler = osBuildJobHandler({} as OsBuildRunner, store, events, systemClock);
    const job: Job = {
      id: 'job-1',
      kind: 'os-build',
      payload: { buildId: 'build-1' },
      accountId: ACCOUNT,
      state: 'cancelled',
      attempts: 1,
      maxAttempts: 3,
      leaseOwner: 'w1',
      leaseExpiresAt: null,
      runAfter: T,
      lastError: null,
      createdAt: T,
      updatedAt: T,
      requirements: {},
    };

    await handler.cancelled?.(job);

    const after = await store.builds.get(null, 'build-1');
    expect(after?.state).toBe('Cancelled');
    expect(after?.finishedAt).not.toBeNull();
    expect(seen).toContainEqual(
      expect.objectContaining({ type: 'build.updated', buildId: 'build-1', state: 'Cancelled' }),
    );
  });
});
