import { describe, expect, it } from 'vitest';

import type { WorkerCapabilities } from '../../src/domain/jobs/job-requirements.js';
import type { Store } from '../../src/store/store.js';
import {
  at,
  freshStoreEachTest,
  MINE,
  osBuildJob,
  OTHER,
  postgresHarness,
  sqliteHarness,
  type HarnessFactory,
} from './store-harnesses.js';

const ACCOUNT_A = MINE;
const ACCOUNT_B = OTHER;

/** A worker that can run anything. */
const ANY: WorkerCapabilities = {
  platforms: ['linux', 'windows'],
  osFamilies: ['debian', 'rhel', 'windows'],
  isolation: ['container', 'vm'],
};

/** The JobQueue contract: every store implementation must pass all of it. */
function describeJobQueueContract(engine: string, createHarness: HarnessFactory): void {
  describe(`job queue contract: ${engine}`, () => {
    const fresh = freshStoreEachTest(createHarness);

    const lease = { now: at(10), until: at(70) };

    it('claims the oldest runnable job of the given kinds', async () => {
      await fresh.store.jobs.enqueue(osBuildJob('j-late', { createdAt: at(3) }));
      await fresh.store.jobs.enqueue(
        osBuildJob('j-early', { createdAt: at(1), payload: { buildId: 'b-7', n: [1, 2] } }),
      );
      await fresh.store.jobs.enqueue(
        osBuildJob('j-other-kind', { kind: 'base-image', createdAt: at(0) }),
      );
      await fresh.store.jobs.enqueue(
        osBuildJob('j-future', { createdAt: at(0), runAfter: at(100) }),
      );
      await fresh.store.jobs.enqueue(osBuildJob('j-tie-b', { createdAt: at(2) }));
      await fresh.store.jobs.enqueue(osBuildJob('j-tie-a', { createdAt: at(2) }));

      const queued = await fresh.store.jobs.get('j-early');
      expect(queued).toEqual({
        id: 'j-early',
        kind: 'os-build',
        payload: { buildId: 'b-7', n: [1, 2] },
        accountId: ACCOUNT_A,
        state: 'queued',
        attempts: 0,
        maxAttempts: 3,
        leaseOwner: null,
        leaseExpiresAt: null,
        runAfter: at(0),
        lastError: null,
        createdAt: at(1),
        updatedAt: at(1),
        requirements: {},
      });

      const claimed = await fresh.store.jobs.claim(['os-build'], 'w1', lease.now, lease.until, ANY);
      expect(claimed).toEqual({
        ...queued,
        state: 'running',
        attempts: 1,
        leaseOwner: 'w1',
        leaseExpiresAt: lease.until,
        updatedAt: lease.now,
      });
      expect(await fresh.store.jobs.get('j-early')).toEqual(claimed);

      const next = async () =>
        (await fresh.store.jobs.claim(['os-build'], 'w1', lease.now, lease.until, ANY))?.id;
      expect(await next()).toBe('j-tie-a');
      expect(await next()).toBe('j-tie-b');
      expect(await next()).toBe('j-late');
      // j-future waits for its runAfter; j-other-kind is not asked for.
      expect(await next()).toBeUndefined();
      expect(await fresh.store.jobs.claim([], 'w1', lease.now, lease.until, ANY)).toBeUndefined();
      expect(
        (await fresh.store.jobs.claim(['x', 'base-image'], 'w1', lease.now, lease.until, ANY))?.id,
      ).toBe('j-other-kind');
      expect((await fresh.store.jobs.claim(['os-build'], 'w1', at(100), at(160), ANY))?.id).toBe(
        'j-future',
      );
      expect(await fresh.store.jobs.get('j-missing')).toBeUndefined();
    });

    it('hands a job whose lease expired to another owner, counting the attempt', async () => {
      await fresh.store.jobs.enqueue(osBuildJob('j-1'));
      const first = await fresh.store.jobs.claim(['os-build'], 'w1', at(10), at(70), ANY);
      expect(first?.attempts).toBe(1);

      expect(
        await fresh.store.jobs.claim(['os-build'], 'w2', at(69), at(129), ANY),
      ).toBeUndefined();
      expect(
        await fresh.store.jobs.claim(['os-build'], 'w2', at(70), at(130), ANY),
      ).toBeUndefined();
      const taken = await fresh.store.jobs.claim(['os-build'], 'w2', at(71), at(131), ANY);
      expect(taken).toMatchObject({
        id: 'j-1',
        state: 'running',
        leaseOwner: 'w2',
        leaseExpiresAt: at(131),
        attempts: 2,
      });

      // The dead worker comes back: it no longer holds the job.
      expect(await fresh.store.jobs.heartbeat('j-1', 'w1', at(200))).toBe('lost');
      expect(await fresh.store.jobs.complete('j-1', 'w1', 'done', at(72))).toBe(false);
      expect(await fresh.store.jobs.release('j-1', 'w1', at(80), 'late')).toBe(false);
      expect(await fresh.store.jobs.get('j-1')).toEqual(taken);
    });

    it('counts queued and running jobs per kind, with the oldest of each', async () => {
      for (const [id, minute] of [
        ['j-1', 1],
        ['j-2', 2],
        ['j-3', 3],
      ] as const) {
        await fresh.store.jobs.enqueue(osBuildJob(id, { createdAt: at(minute) }));
      }
      await fresh.store.jobs.enqueue(osBuildJob('j-4', { kind: 'webhook', createdAt: at(5) }));
      await fresh.store.jobs.enqueue(osBuildJob('j-5', { kind: 'webhook', createdAt: at(6) }));
      expect((await fresh.store.jobs.claim(['os-build'], 'w1', at(10), at(70), ANY))?.id).toBe(
        'j-1',
      );
      const finished = await fresh.store.jobs.claim(['webhook'], 'w1', at(10), at(70), ANY);
      await fresh.store.jobs.complete(finished!.id, 'w1', 'done', at(11));
      expect(await fresh.store.jobs.activeStats()).toEqual([
        { kind: 'os-build', state: 'queued', count: 2, oldestCreatedAt: at(2) },
        { kind: 'os-build', state: 'running', count: 1, oldestCreatedAt: at(1) },
        { kind: 'webhook', state: 'queued', count: 1, oldestCreatedAt: at(6) },
      ]);
    });

    it('heartbeats, releases and completes only for the holding owner', async () => {
      await fresh.store.jobs.enqueue(osBuildJob('j-1', { createdAt: at(1) }));
      await fresh.store.jobs.enqueue(osBuildJob('j-2', { createdAt: at(2) }));
      expect((await fresh.store.jobs.claim(['os-build'], 'w1', at(10), at(70), ANY))?.id).toBe(
        'j-1',
      );
      expect(await fresh.store.jobs.countByState()).toEqual({
        queued: 1,
        running: 1,
        done: 0,
        failed: 0,
        cancelled: 0,
      });

      expect(await fresh.store.jobs.heartbeat('j-1', 'w2', at(200))).toBe('lost');
      expect(await fresh.store.jobs.heartbeat('j-2', 'w1', at(200))).toBe('lost');
      expect(await fresh.store.jobs.heartbeat('j-1', 'w1', at(200))).toBe('held');
      expect((await fresh.store.jobs.get('j-1'))?.leaseExpiresAt).toBe(at(200));
      // The extended lease holds the job past its first expiry.
      expect((await fresh.store.jobs.claim(['os-build'], 'w2', at(100), at(1_000), ANY))?.id).toBe(
        'j-2',
      );
      expect(
        await fresh.store.jobs.claim(['os-build'], 'w2', at(100), at(1_000), ANY),
      ).toBeUndefined();

      expect(await fresh.store.jobs.release('j-1', 'w2', at(300), 'nope')).toBe(false);
      expect(await fresh.store.jobs.release('j-1', 'w1', at(300), 'sandbox did not start')).toBe(
        true,
      );
      expect(await fresh.store.jobs.get('j-1')).toMatchObject({
        state: 'queued',
        leaseOwner: null,
        leaseExpiresAt: null,
        runAfter: at(300),
        lastError: 'sandbox did not start',
        attempts: 1,
      });
      expect(await fresh.store.jobs.release('j-1', 'w1', at(300), 'again')).toBe(false);
      expect(
        await fresh.store.jobs.claim(['os-build'], 'w3', at(299), at(359), ANY),
      ).toBeUndefined();
      expect(await fresh.store.jobs.claim(['os-build'], 'w3', at(300), at(360), ANY)).toMatchObject(
        {
          id: 'j-1',
          leaseOwner: 'w3',
          attempts: 2,
        },
      );

      expect(await fresh.store.jobs.complete('j-1', 'w1', 'done', at(301))).toBe(false);
      expect(await fresh.store.jobs.complete('j-1', 'w3', 'failed', at(301), 'gave up')).toBe(true);
      expect(await fresh.store.jobs.get('j-1')).toMatchObject({
        state: 'failed',
        leaseOwner: null,
        leaseExpiresAt: null,
        lastError: 'gave up',
        updatedAt: at(301),
      });
      expect(await fresh.store.jobs.complete('j-2', 'w2', 'done', at(302))).toBe(true);
      expect(await fresh.store.jobs.get('j-2')).toMatchObject({ state: 'done', lastError: null });
      expect(await fresh.store.jobs.complete('j-2', 'w2', 'done', at(303))).toBe(false);

      // Finished jobs are never claimed again, however late.
      expect(
        await fresh.store.jobs.claim(['os-build'], 'w4', at(100_000), at(100_060), ANY),
      ).toBeUndefined();
      expect(await fresh.store.jobs.countByState()).toEqual({
        queued: 0,
        running: 0,
        done: 1,
        failed: 1,
        cancelled: 0,
      });
    });

    it('gives each job to exactly one of many concurrent claimers', async () => {
      const ids = Array.from({ length: 20 }, (_, i) => `j-${String(i).padStart(2, '0')}`);
      for (const [i, id] of ids.entries())
        await fresh.store.jobs.enqueue(osBuildJob(id, { createdAt: at(i) }));
      const peer = await fresh.peerStore();

      const drain = async (s: Store, owner: string): Promise<string[]> => {
        const got: string[] = [];
        for (;;) {
          const claimed = await s.jobs.claim(['os-build'], owner, at(1_000), at(2_000), ANY);
          if (claimed === undefined) return got;
          got.push(claimed.id);
        }
      };
      const owners = Array.from({ length: 8 }, (_, i) => `w${i}`);
      const claims = await Promise.all(
        owners.map((owner, i) => drain(i % 2 === 0 ? fresh.store : peer, owner)),
      );

      expect(claims.flat().sort()).toEqual(ids);
      for (const [i, owner] of owners.entries()) {
        for (const id of claims[i] ?? []) {
          expect(await fresh.store.jobs.get(id)).toMatchObject({ leaseOwner: owner, attempts: 1 });
        }
      }
    });

    describe('requirements', () => {
      const linuxDebian: WorkerCapabilities = {
        platforms: ['linux'],
        osFamilies: ['debian'],
        isolation: ['container'],
      };
      const windowsVm: WorkerCapabilities = {
        platforms: ['windows'],
        osFamilies: ['windows'],
        isolation: ['vm'],
      };

      it('stores them and gives a job only to a worker offering every one it sets', async () => {
        const debian = {
          platform: 'linux',
          osFamily: 'debian',
          isolation: 'container',
        } as const;
        await fresh.store.jobs.enqueue(
          osBuildJob('j-debian', { createdAt: at(1), requirements: debian }),
        );
        await fresh.store.jobs.enqueue(
          osBuildJob('j-windows', {
            createdAt: at(2),
            requirements: { platform: 'windows', osFamily: 'windows', isolation: 'vm' },
          }),
        );
        await fresh.store.jobs.enqueue(
          osBuildJob('j-rhel', { createdAt: at(3), requirements: { osFamily: 'rhel' } }),
        );
        await fresh.store.jobs.enqueue(
          osBuildJob('j-linux-vm', {
            createdAt: at(4),
            requirements: { platform: 'linux', isolation: 'vm' },
          }),
        );
        await fresh.store.jobs.enqueue(osBuildJob('j-any', { createdAt: at(5), requirements: {} }));
        expect((await fresh.store.jobs.get('j-debian'))?.requirements).toEqual(debian);
        expect((await fresh.store.jobs.get('j-rhel'))?.requirements).toEqual({ osFamily: 'rhel' });
        expect((await fresh.store.jobs.get('j-any'))?.requirements).toEqual({});

        const drain = async (capabilities: WorkerCapabilities): Promise<string[]> => {
          const got: string[] = [];
          for (;;) {
            const claimed = await fresh.store.jobs.claim(
              ['os-build'],
              'w',
              at(10),
              at(70),
              capabilities,
            );
            if (claimed === undefined) return got;
            got.push(claimed.id);
          }
        };
        expect(await drain(linuxDebian)).toEqual(['j-debian', 'j-any']);
        expect(await drain(windowsVm)).toEqual(['j-windows']);
        // A worker offering nothing runs only jobs asking for nothing: none are left.
        expect(await drain({ platforms: [], osFamilies: [], isolation: [] })).toEqual([]);
        expect(await drain(ANY)).toEqual(['j-rhel', 'j-linux-vm']);
      });

      it('gives a job whose lease expired only to a worker that can run it', async () => {
        await fresh.store.jobs.enqueue(
          osBuildJob('j-win', { requirements: { platform: 'windows' } }),
        );
        expect(
          (await fresh.store.jobs.claim(['os-build'], 'w1', at(10), at(70), windowsVm))?.id,
        ).toBe('j-win');
        expect(
          await fresh.store.jobs.claim(['os-build'], 'w2', at(100), at(160), linuxDebian),
        ).toBe(undefined);
        expect(
          await fresh.store.jobs.claim(['os-build'], 'w3', at(100), at(160), windowsVm),
        ).toMatchObject({ id: 'j-win', leaseOwner: 'w3', attempts: 2 });
      });
    });

    describe('fair share', () => {
      it("claims the job of the account with fewest running jobs before an older one's", async () => {
        for (let i = 0; i < 10; i += 1) {
          await fresh.store.jobs.enqueue(
            osBuildJob(`a-${i}`, { accountId: ACCOUNT_A, createdAt: at(i) }),
          );
        }
        await fresh.store.jobs.enqueue(
          osBuildJob('b-0', { accountId: ACCOUNT_B, createdAt: at(20) }),
        );
        const claim = async (now = at(30)) =>
          (await fresh.store.jobs.claim(['os-build'], 'w', now, at(90), ANY))?.id;

        expect(await claim()).toBe('a-0');
        // A runs one, B none: B's job goes first although A's are older.
        expect(await claim()).toBe('b-0');
        // Both run one: the oldest job wins the tie.
        expect(await claim()).toBe('a-1');
        expect(await claim()).toBe('a-2');
      });

      it('counts only jobs running now, of the asked kinds, with jobs of no account as one group', async () => {
        await fresh.store.jobs.enqueue(
          osBuildJob('a-run', { accountId: ACCOUNT_A, createdAt: at(0) }),
        );
        await fresh.store.jobs.enqueue(
          osBuildJob('sys-run', { accountId: null, createdAt: at(0) }),
        );
        expect((await fresh.store.jobs.claim(['os-build'], 'w', at(1), at(50), ANY))?.id).toBe(
          'a-run',
        );
        expect((await fresh.store.jobs.claim(['os-build'], 'w', at(1), at(50), ANY))?.id).toBe(
          'sys-run',
        );
        // A's webhook job runs too, but is not of the kinds asked for.
        await fresh.store.jobs.enqueue(osBuildJob('a-hook', { kind: 'webhook', createdAt: at(2) }));
        expect((await fresh.store.jobs.claim(['webhook'], 'w', at(2), at(500), ANY))?.id).toBe(
          'a-hook',
        );

        await fresh.store.jobs.enqueue(
          osBuildJob('a-next', { accountId: ACCOUNT_A, createdAt: at(3) }),
        );
        await fresh.store.jobs.enqueue(
          osBuildJob('sys-next', { accountId: null, createdAt: at(4) }),
        );
        await fresh.store.jobs.enqueue(
          osBuildJob('b-next', { accountId: ACCOUNT_B, createdAt: at(5) }),
        );
        const claim = async (now: string) =>
          (await fresh.store.jobs.claim(['os-build'], 'w', now, at(1_000), ANY))?.id;
        // A and the no-account group each run one; B none.
        expect(await claim(at(10))).toBe('b-next');
        // Past a-run's and sys-run's lease (at(50)) they no longer count, and are runnable again.
        expect(await fresh.store.jobs.complete('b-next', 'w', 'done', at(11))).toBe(true);
        expect(await claim(at(60))).toBe('a-run');
        // A runs a-run again and the no-account group nothing that counts.
        expect(await claim(at(60))).toBe('sys-run');
        // Both run one: the older job wins. Were jobs of no account each a group of its own,
        // sys-next would go first.
        expect(await claim(at(60))).toBe('a-next');
        expect(await claim(at(60))).toBe('sys-next');
      });

      it('gives each job of many accounts to exactly one of many concurrent claimers', async () => {
        const accounts = [ACCOUNT_A, ACCOUNT_B, '100000000003', null];
        const ids: string[] = [];
        for (let i = 0; i < 60; i += 1) {
          const id = `j-${String(i).padStart(2, '0')}`;
          ids.push(id);
          await fresh.store.jobs.enqueue(
            osBuildJob(id, {
              accountId: accounts[i % accounts.length] ?? null,
              createdAt: at(i % 7),
            }),
          );
        }
        const stores = [fresh.store, await fresh.peerStore(), await fresh.peerStore()];
        const claims = await Promise.all(
          Array.from({ length: 24 }, async (_, i) => {
            const s = stores[i % stores.length] ?? fresh.store;
            const got: string[] = [];
            for (;;) {
              const claimed = await s.jobs.claim(['os-build'], `w${i}`, at(100), at(200), ANY);
              if (claimed === undefined) return got;
              got.push(claimed.id);
            }
          }),
        );
        expect(claims.flat().sort()).toEqual(ids);
        for (const [i, got] of claims.entries()) {
          for (const id of got) {
            expect(await fresh.store.jobs.get(id)).toMatchObject({
              leaseOwner: `w${i}`,
              attempts: 1,
            });
          }
        }
      });
    });

    describe('cancellation and account counts', () => {
      it('cancels queued and running jobs for good, telling the running owner', async () => {
        await fresh.store.jobs.enqueue(osBuildJob('j-queued', { createdAt: at(2) }));
        await fresh.store.jobs.enqueue(osBuildJob('j-running', { createdAt: at(1) }));
        await fresh.store.jobs.enqueue(osBuildJob('j-done', { createdAt: at(0) }));
        expect((await fresh.store.jobs.claim(['os-build'], 'w1', at(10), at(70), ANY))?.id).toBe(
          'j-done',
        );
        expect(await fresh.store.jobs.complete('j-done', 'w1', 'done', at(11))).toBe(true);
        expect((await fresh.store.jobs.claim(['os-build'], 'w1', at(12), at(70), ANY))?.id).toBe(
          'j-running',
        );

        expect(await fresh.store.jobs.cancel('j-queued', at(20))).toBe(true);
        expect(await fresh.store.jobs.cancel('j-running', at(20))).toBe(true);
        expect(await fresh.store.jobs.cancel('j-done', at(20))).toBe(false);
        expect(await fresh.store.jobs.cancel('j-running', at(21))).toBe(false);
        expect(await fresh.store.jobs.cancel('j-missing', at(21))).toBe(false);
        expect(await fresh.store.jobs.get('j-running')).toMatchObject({
          state: 'cancelled',
          leaseExpiresAt: null,
          updatedAt: at(20),
        });
        expect((await fresh.store.jobs.get('j-done'))?.state).toBe('done');

        // Only the owner that was running it hears it was cancelled.
        expect(await fresh.store.jobs.heartbeat('j-running', 'w1', at(100))).toBe('cancelled');
        expect(await fresh.store.jobs.heartbeat('j-running', 'w2', at(100))).toBe('lost');
        expect(await fresh.store.jobs.heartbeat('j-queued', 'w1', at(100))).toBe('lost');
        expect(await fresh.store.jobs.complete('j-running', 'w1', 'done', at(30))).toBe(false);
        expect(await fresh.store.jobs.release('j-running', 'w1', at(30), 'x')).toBe(false);
        expect((await fresh.store.jobs.get('j-running'))?.state).toBe('cancelled');
        // Never claimed again, however late.
        expect(await fresh.store.jobs.claim(['os-build'], 'w2', at(10_000), at(10_060), ANY)).toBe(
          undefined,
        );
        expect(await fresh.store.jobs.countByState()).toMatchObject({ cancelled: 2, done: 1 });
      });

      it("counts and lists an account's queued and running jobs of some kinds", async () => {
        await fresh.store.jobs.enqueue(osBuildJob('a-1', { createdAt: at(1) }));
        await fresh.store.jobs.enqueue(osBuildJob('a-2', { createdAt: at(2) }));
        await fresh.store.jobs.enqueue(osBuildJob('a-3', { createdAt: at(3) }));
        await fresh.store.jobs.enqueue(
          osBuildJob('a-pb', { kind: 'private-build', createdAt: at(4) }),
        );
        await fresh.store.jobs.enqueue(osBuildJob('a-hook', { kind: 'webhook', createdAt: at(5) }));
        await fresh.store.jobs.enqueue(
          osBuildJob('b-1', { accountId: ACCOUNT_B, createdAt: at(6) }),
        );
        await fresh.store.jobs.enqueue(osBuildJob('sys', { accountId: null, createdAt: at(7) }));
        expect((await fresh.store.jobs.claim(['os-build'], 'w', at(10), at(70), ANY))?.id).toBe(
          'a-1',
        );
        expect((await fresh.store.jobs.claim(['os-build'], 'w', at(10), at(70), ANY))?.id).toBe(
          'b-1',
        );
        expect((await fresh.store.jobs.claim(['os-build'], 'w', at(10), at(70), ANY))?.id).toBe(
          'sys',
        );
        expect(await fresh.store.jobs.complete('b-1', 'w', 'done', at(11))).toBe(true);
        expect(await fresh.store.jobs.cancel('a-3', at(11))).toBe(true);

        const kinds = ['os-build', 'private-build'];
        expect(await fresh.store.jobs.countActive(ACCOUNT_A, kinds)).toBe(3);
        expect(await fresh.store.jobs.countActive(ACCOUNT_A, ['webhook'])).toBe(1);
        expect(await fresh.store.jobs.countActive(ACCOUNT_A, [])).toBe(0);
        expect(await fresh.store.jobs.countActive(ACCOUNT_B, kinds)).toBe(0);
        expect((await fresh.store.jobs.listActive(ACCOUNT_A, kinds)).map((j) => j.id)).toEqual([
          'a-1',
          'a-2',
          'a-pb',
        ]);
        expect(await fresh.store.jobs.listActive(ACCOUNT_B, kinds)).toEqual([]);
      });
    });
  });
}

describeJobQueueContract('SQLite', sqliteHarness);
describeJobQueueContract('PostgreSQL', postgresHarness);
