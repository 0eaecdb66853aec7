import { describe, expect, it } from 'vitest';

import type { Clock } from '../../src/domain/clock.js';
import type { WorkerRecord } from '../../src/domain/workers/worker-record.js';
import { WorkerRegistry } from '../../src/domain/workers/worker-registry.js';
import type { Account } from '../../src/domain/types.js';
import { WorkerRegistration } from '../../src/server/worker-registration.js';
import {
  freshStoreEachTest,
  postgresHarness,
  sqliteHarness,
  type HarnessFactory,
  at,
} from './store-harnesses.js';

const REFRESH_MS = 5_000;
const OPERATOR: Account = {
  id: '100000000009',
  name: 'ops',
  roles: ['operator'],
  createdAt: at(0),
};
const SELLER: Account = { ...OPERATOR, id: '100000000008', roles: ['seller'] };

function worker(id: string, lastSeenAt: string, fields: Partial<WorkerRecord> = {}): WorkerRecord {
  return {
    id,
    host: 'build-1',
    pid: 42,
    role: 'worker',
    capabilities: { platforms: ['linux'], osFamilies: ['debian'], isolation: ['container'] },
    concurrency: 4,
    busy: 0,
    draining: false,
    startedAt: at(0),
    lastSeenAt,
    ...fields,
  };
}

/** A clock the test sets: `seconds` into 2025. */
function clockAt(seconds: () => number): Clock {
  return { now: () => new Date(at(seconds())) };
}

function describeWorkerRegistryContract(engine: string, createHarness: HarnessFactory): void {
  describe(`workers registry: ${engine}`, () => {
    const fresh = freshStoreEachTest(createHarness);

    it('lists the workers seen within three refresh periods, and counts them by state', async () => {
      const { workers } = fresh.store;
      await workers.register(worker('w-idle', at(100)));
      await workers.register(worker('w-busy', at(95), { busy: 2 }));
      await workers.register(worker('w-draining', at(90), { busy: 1, draining: true }));
      // Silent for more than 3 × 5 s: its process is gone.
      await workers.register(worker('w-gone', at(84)));
      const registry = new WorkerRegistry(
        workers,
        clockAt(() => 100),
        REFRESH_MS,
      );

      const live = await registry.list(OPERATOR);
      expect(live.map((w) => w.id)).toEqual(['w-busy', 'w-draining', 'w-idle']);
      expect(live.find((w) => w.id === 'w-busy')).toEqual(worker('w-busy', at(95), { busy: 2 }));
      expect(await registry.countByState()).toEqual({ idle: 1, busy: 1, draining: 1 });
      await expect(registry.list(SELLER)).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    });

    it('refreshes a row, and tells a refresh of a missing row', async () => {
      const { workers } = fresh.store;
      await workers.register(worker('w-1', at(1)));
      expect(await workers.refresh('w-1', { busy: 3, draining: true, lastSeenAt: at(7) })).toBe(
        true,
      );
      expect(await workers.listSeenSince(at(0))).toEqual([
        worker('w-1', at(7), { busy: 3, draining: true }),
      ]);
      expect(await workers.refresh('w-2', { busy: 0, draining: false, lastSeenAt: at(7) })).toBe(
        false,
      );
      expect(await workers.deleteSeenBefore(at(8))).toBe(1);
      expect(await workers.listSeenSince(at(0))).toEqual([]);
    });

    it('a registration registers, marks draining, prunes the gone, and deletes its row on stop', async () => {
      const { workers } = fresh.store;
      let now = 200;
      const clock = clockAt(() => now);
      const registry = new WorkerRegistry(workers, clock, REFRESH_MS);
      await workers.register(worker('w-crashed', at(150)));
      let busy = 0;
      const registration = new WorkerRegistration({
        workers,
        registry,
        clock,
        id: 'w-mine',
        role: 'server',
        capabilities: { platforms: ['linux'], osFamilies: ['debian'], isolation: ['container'] },
        concurrency: 2,
        busy: () => busy,
        refreshMs: REFRESH_MS,
        logger: { error: () => undefined },
      });
      await registration.start();
      expect(await registry.live()).toEqual([
        expect.objectContaining({ id: 'w-mine', role: 'server', busy: 0, draining: false }),
      ]);

      busy = 1;
      now = 203;
      await registration.markDraining();
      expect(await workers.listSeenSince(at(0))).toEqual([
        expect.objectContaining({ id: 'w-mine', busy: 1, draining: true, lastSeenAt: at(203) }),
      ]);

      // Someone pruned this row as silent (a long pause): the next refresh registers it again.
      await workers.remove('w-mine');
      await registration.markDraining();
      expect((await registry.live()).map((w) => w.id)).toEqual(['w-mine']);

      await registration.stop();
      expect(await workers.listSeenSince(at(0))).toEqual([]);
    });
  });
}

describeWorkerRegistryContract('sqlite', sqliteHarness);
describeWorkerRegistryContract('postgres', postgresHarness);
