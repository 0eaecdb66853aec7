import { describe, expect, it } from 'vitest';

import type { Instance } from '../../src/domain/instances/instance.js';
import {
  freshStoreEachTest,
  postgresHarness,
  sqliteHarness,
  type HarnessFactory,
  at,
  MINE,
  OTHER,
} from './store-harnesses.js';

function instance(id: string, accountId: string, launchedAt: string): Instance {
  return {
    id,
    accountId,
    imageId: 'img-1',
    command: null,
    defaultCommand: true,
    state: 'pending',
    stateReason: null,
    exitCode: null,
    launchedAt,
    stoppedAt: null,
    terminatedAt: null,
    host: 'host:1:2',
  };
}

function describeInstanceContract(engine: string, createHarness: HarnessFactory): void {
  describe(`instance repository contract: ${engine}`, () => {
    const fresh = freshStoreEachTest(createHarness, [MINE, OTHER]);

    it('scopes reads by account and lists newest first', async () => {
      const { instances } = fresh.store;
      await instances.insert(instance('i-00000000000000001', MINE, at(1)));
      await instances.insert(instance('i-00000000000000002', MINE, at(2)));
      await instances.insert(instance('i-00000000000000003', OTHER, at(3)));
      expect((await instances.listForAccount(MINE)).map((i) => i.id)).toEqual([
        'i-00000000000000002',
        'i-00000000000000001',
      ]);
      expect(await instances.get(OTHER, 'i-00000000000000001')).toBeUndefined();
      expect(await instances.get(null, 'i-00000000000000001')).toEqual(
        instance('i-00000000000000001', MINE, at(1)),
      );
    });

    it('counts active instances and updates fields one by one', async () => {
      const { instances } = fresh.store;
      await instances.insert(instance('i-00000000000000001', MINE, at(1)));
      await instances.insert(instance('i-00000000000000002', MINE, at(2)));
      expect(await instances.countActive(MINE)).toBe(2);
      const running = await instances.update('i-00000000000000001', {
        command: ['/bin/sh', '-c', 'exit 3'],
        state: 'running',
      });
      expect(running).toMatchObject({ command: ['/bin/sh', '-c', 'exit 3'], state: 'running' });
      const stopped = await instances.update('i-00000000000000001', {
        state: 'stopped',
        exitCode: 3,
        stateReason: 'exited',
        stoppedAt: at(5),
      });
      expect(stopped).toMatchObject({ state: 'stopped', exitCode: 3, stoppedAt: at(5) });
      expect(stopped.host).toBe('host:1:2');
      expect(await instances.countActive(MINE)).toBe(1);
      await instances.update('i-00000000000000002', { state: 'failed', host: null });
      expect((await instances.listHosted()).map((i) => i.id)).toEqual(['i-00000000000000001']);
      expect(await instances.countActive(OTHER)).toBe(0);
    });
  });
}

describeInstanceContract('SQLite', sqliteHarness);
describeInstanceContract('PostgreSQL', postgresHarness);
