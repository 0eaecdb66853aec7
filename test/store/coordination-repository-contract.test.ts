import { describe, expect, it } from 'vitest';

import { ReplayCache } from '../../src/http/aws/replay-cache.js';
import type { Store } from '../../src/store/store.js';
import {
  at,
  freshStoreEachTest,
  postgresHarness,
  sqliteHarness,
  type HarnessFactory,
} from './store-harnesses.js';

/** How many stores race in the concurrency tests. */
const RACERS = 8;

/** The CoordinationRepository contract: every store implementation must pass all of it. */
function describeCoordinationContract(engine: string, createHarness: HarnessFactory): void {
  describe(`coordination contract: ${engine}`, () => {
    const fresh = freshStoreEachTest(createHarness);

    /** Stores on the same database: separate pools where the engine runs them in parallel. */
    async function peerStores(count: number): Promise<Store[]> {
      const peers: Store[] = [];
      for (let i = 0; i < count; i += 1) peers.push(await fresh.peerStore());
      return peers;
    }

    it('records a signature once until it expires, then lets it be taken again', async () => {
      const { coordination } = fresh.store;
      expect(await coordination.claimSignature('sig-a', at(300), at(0))).toBe(true);
      expect(await coordination.claimSignature('sig-a', at(300), at(299))).toBe(false);
      expect(await coordination.claimSignature('sig-b', at(100), at(1))).toBe(true);
      // Expired but not yet deleted: no longer a replay.
      expect(await coordination.claimSignature('sig-a', at(700), at(300))).toBe(true);
      expect(await coordination.claimSignature('sig-a', at(700), at(400))).toBe(false);
    });

    it('deletes expired signatures only', async () => {
      const { coordination } = fresh.store;
      await coordination.claimSignature('sig-a', at(100), at(0));
      await coordination.claimSignature('sig-b', at(200), at(0));
      await coordination.claimSignature('sig-c', at(300), at(0));
      expect(await coordination.deleteExpiredSignatures(at(200))).toBe(2);
      expect(await coordination.deleteExpiredSignatures(at(200))).toBe(0);
      expect(await coordination.claimSignature('sig-c', at(300), at(250))).toBe(false);
    });

    it('a signature accepted through one fresh.store is a replay through another', async () => {
      const [first, second] = await peerStores(2);
      const here = new ReplayCache(first!.coordination);
      const there = new ReplayCache(second!.coordination);
      const now = Date.parse(at(10));
      expect(await here.claim('sig-x', now + 300_000, now)).toBe(true);
      expect(await there.claim('sig-x', now + 300_000, now + 1000)).toBe(false);
      expect(await here.claim('sig-x', now + 300_000, now + 2000)).toBe(false);
    });

    it('one of many concurrent claims of a signature wins', async () => {
      const peers = await peerStores(RACERS);
      const won = await Promise.all(
        peers.map((peer) => peer.coordination.claimSignature('sig-race', at(300), at(0))),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it('claims a marker once, across stores and concurrent transactions', async () => {
      const peers = await peerStores(RACERS);
      const won = await Promise.all(
        peers.map((peer) => peer.transaction((tx) => tx.coordination.claimOnce('m', at(0)))),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(await fresh.store.coordination.claimOnce('m', at(1))).toBe(false);
      expect(await fresh.store.coordination.claimOnce('other', at(1))).toBe(true);
    });

    it('a marker claimed in a transaction that rolls back stays free', async () => {
      await expect(
        fresh.store.transaction(async (tx) => {
          expect(await tx.coordination.claimOnce('m', at(0))).toBe(true);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await fresh.store.coordination.claimOnce('m', at(1))).toBe(true);
    });
  });
}

describeCoordinationContract('sqlite', sqliteHarness);
describeCoordinationContract('postgres', postgresHarness);
