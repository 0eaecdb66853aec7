import { describe, expect, it } from 'vitest';

import { AccountService } from '../../../src/domain/accounts/account-service.js';
import { systemClock } from '../../../src/domain/clock.js';
import type { Store } from '../../../src/store/store.js';
import {
  freshStoreEachTest,
  postgresHarness,
  sqliteHarness,
  type HarnessFactory,
} from '../../store/store-harnesses.js';

/** How many servers start together on the empty database. */
const SERVERS = 8;

function describeBootstrap(engine: string, createHarness: HarnessFactory): void {
  describe(`operator bootstrap: ${engine}`, () => {
    const fresh = freshStoreEachTest(createHarness);

    it('creates one operator however many servers bootstrap at once', async () => {
      // One pool per server where the engine runs them in parallel, as separate processes do.
      const stores: Store[] = [fresh.store];
      while (stores.length < SERVERS) stores.push(await fresh.peerStore());

      const results = await Promise.all(
        stores.map((s) => new AccountService(s, systemClock).bootstrap()),
      );

      const winners = results.filter((r) => r !== undefined);
      expect(winners).toHaveLength(1);
      const accounts = await fresh.store.accounts.list();
      expect(accounts).toEqual([winners[0]!.account]);
      expect(accounts[0]!.roles).toEqual(['operator']);
      const service = new AccountService(fresh.store, systemClock);
      expect(await service.authenticate(winners[0]!.token)).toEqual(winners[0]!.account);
      expect(await service.bootstrap()).toBeUndefined();
    });

    it('creates none on a database that already has accounts', async () => {
      const service = new AccountService(fresh.store, systemClock);
      const existing = await service.create('acme', ['seller']);
      expect(await service.bootstrap()).toBeUndefined();
      expect(await fresh.store.accounts.list()).toEqual([existing.account]);
    });
  });
}

describeBootstrap('sqlite', sqliteHarness);
describeBootstrap('postgres', postgresHarness);
