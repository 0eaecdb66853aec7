import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type {
  Account,
  ApiToken,
  BaseImage,
  Image,
  OsBuild,
  PackageGroup,
  StoredPackage,
} from '../../src/domain/types.js';
import { openStore } from '../../src/store/open-store.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { Store } from '../../src/store/store.js';
import { tempDir } from '../support/paths.js';
import {
  dropSchema,
  freshStoreEachTest,
  osBuildJob,
  POSTGRES_URL,
  postgresHarness,
  randomSchema,
  sqliteHarness,
  type HarnessFactory,
} from './store-harnesses.js';

const T0 = Date.UTC(2025, 0, 1);

/** The ISO time `seconds` after a fixed epoch. */
function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString();
}

const ACCOUNT_A = '100000000001';
const ACCOUNT_B = '100000000002';

function account(id: string, overrides: Partial<Account> = {}): Account {
  return { id, name: `account ${id}`, roles: ['seller'], createdAt: at(0), ...overrides };
}

function packageOf(accountId: string, id: string, overrides: Partial<StoredPackage> = {}) {
  const pkg: StoredPackage = {
    id,
    accountId,
    fileName: `${id}.deb`,
    digest: `sha256:${id}`,
    size: 1234,
    createdAt: at(0),
    ...overrides,
  };
  return pkg;
}

function group(accountId: string, id: string, name: string, overrides: Partial<PackageGroup> = {}) {
  const value: PackageGroup = {
    id,
    accountId,
    name,
    platform: 'linux',
    osVersions: ['debian-12', 'debian-13'],
    packages: [
      { packageId: 'pkg-1', fileName: 'setup.sh', digest: 'sha256:aa', size: 10, installer: true },
      { packageId: 'pkg-2', fileName: 'data.tar', digest: 'sha256:bb', size: 20, installer: false },
    ],
    createdAt: at(0),
    deletedAt: null,
    ...overrides,
  };
  return value;
}

function build(accountId: string, groupId: string, id: string, overrides: Partial<OsBuild> = {}) {
  const value: OsBuild = {
    id,
    accountId,
    packageGroupId: groupId,
    osVersion: 'debian-12',
    state: 'Building',
    imageId: null,
    baseImageId: null,
    baseDigest: null,
    scanReportDigest: null,
    submittedAt: at(0),
    startedAt: null,
    finishedAt: null,
    phases: {},
    findings: [],
    internalError: null,
    attempts: 0,
    ...overrides,
  };
  return value;
}

function image(accountId: string, id: string, overrides: Partial<Image> = {}) {
  const value: Image = {
    id,
    accountId,
    kind: 'test',
    osVersion: 'debian-12',
    manifestDigest: `sha256:m-${id}`,
    configDigest: `sha256:c-${id}`,
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: 'sha256:l1',
        diffId: 'sha256:d1',
        size: 4096,
      },
    ],
    parentImageId: null,
    sbomDigest: null,
    scanReportDigest: null,
    createdAt: at(0),
    ...overrides,
  };
  return value;
}

/** Inserts accounts A and B, a group of A and a build of it: what logs and builds hang off. */
async function seedGroupAndBuild(store: Store): Promise<{ group: PackageGroup; build: OsBuild }> {
  await store.accounts.insert(account(ACCOUNT_A));
  await store.accounts.insert(account(ACCOUNT_B));
  const g = group(ACCOUNT_A, 'pg-1', 'web-app');
  expect(await store.packageGroups.insertReservingName(g)).toBe(true);
  const b = build(ACCOUNT_A, g.id, 'build-1');
  await store.builds.insert(b);
  return { group: g, build: b };
}

/** The Store contract: every implementation must pass all of it. */
function describeStoreContract(engine: string, createHarness: HarnessFactory): void {
  describe(`Store contract: ${engine}`, () => {
    const fresh = freshStoreEachTest(createHarness);

    describe('accounts and tokens', () => {
      it('round-trips accounts, oldest first', async () => {
        const b = account(ACCOUNT_B, { name: 'Buyer', roles: ['buyer'], createdAt: at(2) });
        const a = account(ACCOUNT_A, { roles: ['seller', 'operator'], createdAt: at(1) });
        await fresh.store.accounts.insert(b);
        await fresh.store.accounts.insert(a);

        expect(await fresh.store.accounts.get(ACCOUNT_A)).toEqual(a);
        expect(await fresh.store.accounts.get('999999999999')).toBeUndefined();
        expect(await fresh.store.accounts.list()).toEqual([a, b]);
        expect(await fresh.store.accounts.count()).toBe(2);
        await expect(fresh.store.accounts.insert(a)).rejects.toThrow();
      });

      it('finds tokens by hash, lists them per account and deletes only the owner’s', async () => {
        await fresh.store.accounts.insert(account(ACCOUNT_A));
        await fresh.store.accounts.insert(account(ACCOUNT_B));
        const token = (id: string, accountId: string, createdAt: string): ApiToken => ({
          id,
          accountId,
          name: `token ${id}`,
          secretHash: `hash-${id}`,
          createdAt,
        });
        const t1 = token('tok-1', ACCOUNT_A, at(1));
        const t2 = token('tok-2', ACCOUNT_A, at(2));
        const t3 = token('tok-3', ACCOUNT_B, at(3));
        for (const t of [t2, t3, t1]) await fresh.store.tokens.insert(t);

        expect(await fresh.store.tokens.findBySecretHash('hash-tok-1')).toEqual(t1);
        expect(await fresh.store.tokens.findBySecretHash('hash-unknown')).toBeUndefined();
        expect(await fresh.store.tokens.listForAccount(ACCOUNT_A)).toEqual([t1, t2]);
        expect(await fresh.store.tokens.listForAccount(ACCOUNT_B)).toEqual([t3]);

        expect(await fresh.store.tokens.delete(ACCOUNT_B, 'tok-1')).toBe(false);
        expect(await fresh.store.tokens.findBySecretHash('hash-tok-1')).toEqual(t1);
        expect(await fresh.store.tokens.delete(ACCOUNT_A, 'tok-1')).toBe(true);
        expect(await fresh.store.tokens.findBySecretHash('hash-tok-1')).toBeUndefined();
        expect(await fresh.store.tokens.delete(ACCOUNT_A, 'tok-1')).toBe(false);
        expect(await fresh.store.tokens.listForAccount(ACCOUNT_A)).toEqual([t2]);
      });
    });

    describe('account scoping', () => {
      it("never returns another account's package, group, build or image", async () => {
        const { group: g, build: b } = await seedGroupAndBuild(fresh.store);
        // Past 2^32, so a PostgreSQL bigint must come back as the same number.
        const pkg = packageOf(ACCOUNT_A, 'pkg-1', { size: 5_000_000_000 });
        await fresh.store.packages.insert(pkg);
        const img = image(ACCOUNT_A, 'img-1');
        await fresh.store.images.insert(img);

        expect(await fresh.store.packages.get(ACCOUNT_A, pkg.id)).toEqual(pkg);
        expect(await fresh.store.packages.get(ACCOUNT_B, pkg.id)).toBeUndefined();
        expect(await fresh.store.packages.list(ACCOUNT_A)).toEqual([pkg]);
        expect(await fresh.store.packages.list(ACCOUNT_B)).toEqual([]);

        expect(await fresh.store.packageGroups.get(ACCOUNT_A, g.id)).toEqual(g);
        expect(await fresh.store.packageGroups.get(ACCOUNT_B, g.id)).toBeUndefined();
        expect(await fresh.store.packageGroups.getByName(ACCOUNT_B, g.name)).toBeUndefined();
        expect(await fresh.store.packageGroups.list(ACCOUNT_B)).toEqual([]);
        expect(await fresh.store.packageGroups.isNameUsed(ACCOUNT_B, g.name)).toBe(false);
        expect(await fresh.store.packageGroups.markDeleted(ACCOUNT_B, g.id, at(9))).toBe(false);
        expect(await fresh.store.packageGroups.get(ACCOUNT_A, g.id)).toEqual(g);

        expect(await fresh.store.builds.get(ACCOUNT_A, b.id)).toEqual(b);
        expect(await fresh.store.builds.get(null, b.id)).toEqual(b);
        expect(await fresh.store.builds.get(ACCOUNT_B, b.id)).toBeUndefined();
        expect(await fresh.store.builds.listForGroup(ACCOUNT_B, g.id)).toEqual([]);
        expect(await fresh.store.builds.listForGroups(ACCOUNT_B, [g.id])).toEqual([]);

        expect(await fresh.store.images.get(ACCOUNT_A, img.id)).toEqual(img);
        expect(await fresh.store.images.get(null, img.id)).toEqual(img);
        expect(await fresh.store.images.get(ACCOUNT_B, img.id)).toBeUndefined();
      });

      it('lists packages newest first', async () => {
        await fresh.store.accounts.insert(account(ACCOUNT_A));
        const older = packageOf(ACCOUNT_A, 'pkg-old', { createdAt: at(1) });
        const newer = packageOf(ACCOUNT_A, 'pkg-new', { createdAt: at(2) });
        await fresh.store.packages.insert(older);
        await fresh.store.packages.insert(newer);
        expect(await fresh.store.packages.list(ACCOUNT_A)).toEqual([newer, older]);
      });
    });

    describe('package groups', () => {
      it('reserves a name forever, per account', async () => {
        await fresh.store.accounts.insert(account(ACCOUNT_A));
        await fresh.store.accounts.insert(account(ACCOUNT_B));
        const first = group(ACCOUNT_A, 'pg-1', 'web-app', { createdAt: at(1) });
        expect(await fresh.store.packageGroups.insertReservingName(first)).toBe(true);
        expect(await fresh.store.packageGroups.isNameUsed(ACCOUNT_A, 'web-app')).toBe(true);
        expect(await fresh.store.packageGroups.isNameUsed(ACCOUNT_A, 'other-app')).toBe(false);

        const sameName = group(ACCOUNT_A, 'pg-2', 'web-app', { createdAt: at(2) });
        expect(await fresh.store.packageGroups.insertReservingName(sameName)).toBe(false);
        expect(await fresh.store.packageGroups.get(ACCOUNT_A, 'pg-2')).toBeUndefined();
        expect(await fresh.store.packageGroups.getByName(ACCOUNT_A, 'web-app')).toEqual(first);

        expect(await fresh.store.packageGroups.markDeleted(ACCOUNT_A, 'pg-1', at(5))).toBe(true);
        expect(await fresh.store.packageGroups.markDeleted(ACCOUNT_A, 'pg-1', at(6))).toBe(false);
        expect(await fresh.store.packageGroups.list(ACCOUNT_A)).toEqual([]);
        expect(await fresh.store.packageGroups.get(ACCOUNT_A, 'pg-1')).toEqual({
          ...first,
          deletedAt: at(5),
        });

        // Deleted, yet the name stays used.
        expect(await fresh.store.packageGroups.isNameUsed(ACCOUNT_A, 'web-app')).toBe(true);
        const afterDelete = group(ACCOUNT_A, 'pg-3', 'web-app', { createdAt: at(7) });
        expect(await fresh.store.packageGroups.insertReservingName(afterDelete)).toBe(false);
        expect(await fresh.store.packageGroups.get(ACCOUNT_A, 'pg-3')).toBeUndefined();

        const otherAccount = group(ACCOUNT_B, 'pg-4', 'web-app', { createdAt: at(8) });
        expect(await fresh.store.packageGroups.insertReservingName(otherAccount)).toBe(true);
        expect(await fresh.store.packageGroups.list(ACCOUNT_B)).toEqual([otherAccount]);
      });

      it('lets exactly one of concurrent reservations of a name win', async () => {
        await fresh.store.accounts.insert(account(ACCOUNT_A));
        const peer = await fresh.peerStore();
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 === 0 ? fresh.store : peer).packageGroups.insertReservingName(
              group(ACCOUNT_A, `pg-${i}`, 'contested'),
            ),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect(await fresh.store.packageGroups.list(ACCOUNT_A)).toEqual([
          group(ACCOUNT_A, `pg-${winner}`, 'contested'),
        ]);
      });

      it('lists groups newest first, then by id descending, leaving out deleted ones', async () => {
        await fresh.store.accounts.insert(account(ACCOUNT_A));
        const a = group(ACCOUNT_A, 'pg-a', 'a', { createdAt: at(1) });
        const b = group(ACCOUNT_A, 'pg-b', 'b', { createdAt: at(3) });
        const c = group(ACCOUNT_A, 'pg-c', 'c', { createdAt: at(3) });
        const d = group(ACCOUNT_A, 'pg-d', 'd', { createdAt: at(4) });
        for (const g of [b, a, d, c]) {
          expect(await fresh.store.packageGroups.insertReservingName(g)).toBe(true);
        }
        expect(await fresh.store.packageGroups.markDeleted(ACCOUNT_A, 'pg-d', at(5))).toBe(true);
        expect(await fresh.store.packageGroups.list(ACCOUNT_A)).toEqual([c, b, a]);
      });
    });

    describe('builds', () => {
      it('applies only the fields an update gives and returns the updated build', async () => {
        const { build: original } = await seedGroupAndBuild(fresh.store);
        const phases = { base: { startedAt: at(10), finishedAt: at(11) } };
        const started = await fresh.store.builds.update(original.id, {
          state: 'Scanning',
          startedAt: at(10),
          phases,
        });
        expect(started).toEqual({ ...original, state: 'Scanning', startedAt: at(10), phases });
        expect(await fresh.store.builds.get(null, original.id)).toEqual(started);

        const finding = {
          code: 'INSTALLER_EXIT_STATUS',
          severity: 'high' as const,
          message: 'The installer exited with status 2.',
          remedy: 'Make the installer exit 0.',
          evidence: { exitStatus: 2, lines: ['E: failed'] },
        };
        const finished = await fresh.store.builds.update(original.id, {
          state: 'IssuesFound',
          imageId: 'img-1',
          baseDigest: 'sha256:base',
          finishedAt: at(20),
          findings: [finding],
          internalError: 'not really',
          attempts: 2,
        });
        expect(finished).toEqual({
          ...started,
          state: 'IssuesFound',
          imageId: 'img-1',
          baseDigest: 'sha256:base',
          finishedAt: at(20),
          findings: [finding],
          internalError: 'not really',
          attempts: 2,
        });

        const cleared = await fresh.store.builds.update(original.id, {
          imageId: null,
          internalError: null,
        });
        expect(cleared).toEqual({ ...finished, imageId: null, internalError: null });
        expect(await fresh.store.builds.update(original.id, {})).toEqual(cleared);
        expect(await fresh.store.builds.get(ACCOUNT_A, original.id)).toEqual(cleared);
        await expect(
          fresh.store.builds.update('build-missing', { state: 'Scanning' }),
        ).rejects.toThrow();
      });

      it('lists the builds of one group and of several', async () => {
        const { group: g1, build: b1 } = await seedGroupAndBuild(fresh.store);
        const g2 = group(ACCOUNT_A, 'pg-2', 'second');
        expect(await fresh.store.packageGroups.insertReservingName(g2)).toBe(true);
        const b2 = build(ACCOUNT_A, g1.id, 'build-2', { osVersion: 'debian-13' });
        const b3 = build(ACCOUNT_A, g2.id, 'build-3', { submittedAt: at(5) });
        await fresh.store.builds.insert(b3);
        await fresh.store.builds.insert(b2);

        expect(await fresh.store.builds.listForGroup(ACCOUNT_A, g1.id)).toEqual([b1, b2]);
        expect(await fresh.store.builds.listForGroups(ACCOUNT_A, [g1.id, g2.id])).toEqual([
          b1,
          b2,
          b3,
        ]);
        expect(await fresh.store.builds.listForGroups(ACCOUNT_A, [g2.id])).toEqual([b3]);
        expect(await fresh.store.builds.listForGroups(ACCOUNT_A, [])).toEqual([]);
      });
    });

    describe('logs', () => {
      it('appends, reads and tails lines in seq order, per build', async () => {
        await fresh.store.logs.append('build-1', [
          { at: at(1), stream: 'stdout', text: 'one' },
          { at: at(2), stream: 'stderr', text: 'two' },
          { at: at(3), stream: 'system', text: 'three' },
        ]);
        await fresh.store.logs.append('build-2', [
          { at: at(4), stream: 'stdout', text: 'other build' },
        ]);
        await fresh.store.logs.append('build-1', []);
        await fresh.store.logs.append('build-1', [
          { at: at(5), stream: 'stdout', text: 'four' },
          { at: at(6), stream: 'stderr', text: 'five' },
        ]);

        expect(await fresh.store.logs.read('build-1', 0, 100)).toEqual([
          { seq: 1, at: at(1), stream: 'stdout', text: 'one' },
          { seq: 2, at: at(2), stream: 'stderr', text: 'two' },
          { seq: 3, at: at(3), stream: 'system', text: 'three' },
          { seq: 4, at: at(5), stream: 'stdout', text: 'four' },
          { seq: 5, at: at(6), stream: 'stderr', text: 'five' },
        ]);
        expect(await fresh.store.logs.read('build-2', 0, 100)).toEqual([
          { seq: 1, at: at(4), stream: 'stdout', text: 'other build' },
        ]);
        const texts = (lines: { text: string }[]) => lines.map((line) => line.text);
        expect(texts(await fresh.store.logs.read('build-1', 2, 2))).toEqual(['three', 'four']);
        expect(await fresh.store.logs.read('build-1', 5, 10)).toEqual([]);
        expect(texts(await fresh.store.logs.tail('build-1', 2))).toEqual(['four', 'five']);
        expect(texts(await fresh.store.logs.tail('build-1', 2, 'stdout'))).toEqual(['one', 'four']);
        expect(texts(await fresh.store.logs.tail('build-1', 10, 'stderr'))).toEqual([
          'two',
          'five',
        ]);
        expect(await fresh.store.logs.tail('build-missing', 10)).toEqual([]);
      });

      it('numbers a large append without gaps', async () => {
        const lines = Array.from({ length: 1_234 }, (_, i) => ({
          at: at(i),
          stream: 'stdout' as const,
          text: `line ${i}`,
        }));
        await fresh.store.logs.append('build-1', lines);
        await fresh.store.logs.append('build-1', [
          { at: at(9999), stream: 'system', text: 'last' },
        ]);
        const read = await fresh.store.logs.read('build-1', 0, 10_000);
        expect(read.map((line) => line.seq)).toEqual(range(1, 1_235));
        expect(read[1_233]?.text).toBe('line 1233');
        expect(read[1_234]?.text).toBe('last');
      });

      it('gives concurrent appenders distinct, gap-free seqs, each batch contiguous', async () => {
        const peer = await fresh.peerStore();
        const batches = 20;
        const perBatch = 5;
        await Promise.all(
          Array.from({ length: batches }, (_, b) =>
            (b % 2 === 0 ? fresh.store : peer).logs.append(
              'build-1',
              Array.from({ length: perBatch }, (_, i) => ({
                at: at(b),
                stream: 'stdout' as const,
                text: `${b}:${i}`,
              })),
            ),
          ),
        );
        const lines = await fresh.store.logs.read('build-1', 0, 1_000);
        expect(lines.map((line) => line.seq)).toEqual(range(1, batches * perBatch));
        for (let b = 0; b < batches; b += 1) {
          const first = lines.findIndex((line) => line.text === `${b}:0`);
          expect(lines.slice(first, first + perBatch).map((line) => line.text)).toEqual(
            Array.from({ length: perBatch }, (_, i) => `${b}:${i}`),
          );
        }
      });
    });

    describe('images', () => {
      it('round-trips images and picks the newest base image per OS version', async () => {
        const derived = image(ACCOUNT_A, 'img-test', {
          parentImageId: 'img-12b',
          sbomDigest: 'sha256:sbom',
          layers: [
            {
              mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
              digest: 'sha256:a',
              diffId: 'sha256:b',
              size: 1,
            },
            {
              mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
              digest: 'sha256:c',
              diffId: 'sha256:d',
              size: 2,
            },
          ],
        });
        await fresh.store.images.insert(derived);
        expect(await fresh.store.images.get(ACCOUNT_A, derived.id)).toEqual(derived);
        expect(await fresh.store.images.get(null, 'img-missing')).toBeUndefined();

        const base = (imageId: string, osVersion: string, createdAt: string): BaseImage => ({
          imageId,
          osVersion,
          rootDigest: `sha256:root-${imageId}`,
          recipe: {
            tool: 'mmdebstrap',
            suite: osVersion,
            variant: 'minbase',
            extra: ['ca-certificates'],
          },
          createdAt,
        });
        const older12 = base('img-12a', 'debian-12', at(1));
        const newer12 = base('img-12b', 'debian-12', at(5));
        const only13 = base('img-13', 'debian-13', at(3));
        for (const b of [newer12, older12, only13]) {
          await fresh.store.images.insert(
            image(ACCOUNT_A, b.imageId, { kind: 'base', osVersion: b.osVersion }),
          );
          await fresh.store.baseImages.insert(b);
        }

        expect(await fresh.store.baseImages.latest('debian-12')).toEqual(newer12);
        expect(await fresh.store.baseImages.latest('debian-13')).toEqual(only13);
        expect(await fresh.store.baseImages.latest('debian-11')).toBeUndefined();
        expect(await fresh.store.baseImages.list()).toEqual([newer12, only13, older12]);
      });

      it('lists images by kind, of one account or of all, newest first', async () => {
        const goldA1 = image(ACCOUNT_A, 'img-gold-a1', { kind: 'gold', createdAt: at(1) });
        const goldA2 = image(ACCOUNT_A, 'img-gold-a2', { kind: 'gold', createdAt: at(2) });
        const goldB = image(ACCOUNT_B, 'img-gold-b', { kind: 'gold', createdAt: at(3) });
        const baseB = image(ACCOUNT_B, 'img-base-b', { kind: 'base', createdAt: at(4) });
        for (const img of [goldA1, goldB, goldA2, baseB]) await fresh.store.images.insert(img);

        expect(await fresh.store.images.listByKind(ACCOUNT_A, 'gold')).toEqual([goldA2, goldA1]);
        expect(await fresh.store.images.listByKind(ACCOUNT_B, 'gold')).toEqual([goldB]);
        expect(await fresh.store.images.listByKind(null, 'gold')).toEqual([goldB, goldA2, goldA1]);
        expect(await fresh.store.images.listByKind(null, 'base')).toEqual([baseB]);
        expect(await fresh.store.images.listByKind(ACCOUNT_A, 'private')).toEqual([]);
      });

      it('refuses a base image whose image does not exist', async () => {
        await expect(
          fresh.store.baseImages.insert({
            imageId: 'img-missing',
            osVersion: 'debian-12',
            rootDigest: 'sha256:x',
            recipe: {},
            createdAt: at(0),
          }),
        ).rejects.toThrow();
        expect(await fresh.store.baseImages.list()).toEqual([]);
      });
    });

    describe('leases', () => {
      it('takes a free, expired or own lease, and is released only by its holder', async () => {
        const name = 'base:debian-12';
        expect(await fresh.store.leases.acquire(name, 'a', at(0), at(60))).toBe(true);
        expect(await fresh.store.leases.acquire(name, 'b', at(30), at(90))).toBe(false);
        expect(await fresh.store.leases.acquire(name, 'a', at(30), at(90))).toBe(true);
        // Renewed to at(90): still held at at(60) and at at(90) itself.
        expect(await fresh.store.leases.acquire(name, 'b', at(60), at(120))).toBe(false);
        expect(await fresh.store.leases.acquire(name, 'b', at(90), at(150))).toBe(false);
        expect(await fresh.store.leases.acquire(name, 'b', at(91), at(151))).toBe(true);
        expect(await fresh.store.leases.acquire('base:debian-13', 'a', at(91), at(151))).toBe(true);

        await fresh.store.leases.release(name, 'a');
        expect(await fresh.store.leases.acquire(name, 'a', at(100), at(160))).toBe(false);
        await fresh.store.leases.release(name, 'b');
        expect(await fresh.store.leases.acquire(name, 'a', at(100), at(160))).toBe(true);
      });

      it('grants a contested free lease to exactly one owner', async () => {
        const peer = await fresh.peerStore();
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 === 0 ? fresh.store : peer).leases.acquire(
              'contested',
              `owner-${i}`,
              at(0),
              at(60),
            ),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('transactions', () => {
      it('leaves nothing behind when the work throws', async () => {
        await expect(
          fresh.store.transaction(async (tx) => {
            await seedGroupAndBuild(tx);
            await tx.jobs.enqueue(osBuildJob('j-1'));
            await tx.logs.append('build-1', [{ at: at(1), stream: 'stdout', text: 'lost' }]);
            await tx.leases.acquire('lease', 'a', at(0), at(60));
            await tx.transaction((inner) => inner.packages.insert(packageOf(ACCOUNT_A, 'pkg-1')));
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');

        expect(await fresh.store.accounts.count()).toBe(0);
        expect(await fresh.store.packageGroups.isNameUsed(ACCOUNT_A, 'web-app')).toBe(false);
        expect(await fresh.store.builds.get(null, 'build-1')).toBeUndefined();
        expect(await fresh.store.jobs.get('j-1')).toBeUndefined();
        expect(await fresh.store.logs.read('build-1', 0, 10)).toEqual([]);
        expect(await fresh.store.leases.acquire('lease', 'b', at(1), at(61))).toBe(true);

        // The log counter rolled back too, so numbering starts again at 1.
        await fresh.store.logs.append('build-1', [{ at: at(2), stream: 'stdout', text: 'kept' }]);
        expect((await fresh.store.logs.read('build-1', 0, 10)).map((line) => line.seq)).toEqual([
          1,
        ]);
      });

      it('commits the work and returns its result', async () => {
        const result = await fresh.store.transaction(async (tx) => {
          const { group: g } = await seedGroupAndBuild(tx);
          return g.id;
        });
        expect(result).toBe('pg-1');
        expect(await fresh.store.packageGroups.get(ACCOUNT_A, 'pg-1')).toBeDefined();
        expect(await fresh.store.builds.get(ACCOUNT_A, 'build-1')).toBeDefined();
      });
    });

    describe('migrations', () => {
      it('can run again on a migrated database, keeping its data', async () => {
        await fresh.store.accounts.insert(account(ACCOUNT_A));
        const reopened = await fresh.harness.open();
        expect(await reopened.accounts.get(ACCOUNT_A)).toEqual(account(ACCOUNT_A));
        await reopened.accounts.insert(account(ACCOUNT_B));
        const third = await fresh.harness.open();
        expect(await third.accounts.count()).toBe(2);
      });
    });
  });
}

/** `from`, `from + 1`, ..., `to`. */
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describeStoreContract('SQLite', sqliteHarness);
describeStoreContract('PostgreSQL', postgresHarness);

describe('openStore', () => {
  let dir: string;
  const stores: Store[] = [];

  beforeEach(() => {
    dir = tempDir('open-store');
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens SQLite for sqlite:PATH and for a plain path', async () => {
    for (const setting of [`sqlite:${join(dir, 'a.db')}`, join(dir, 'nested', 'b.db')]) {
      const store = await openStore(setting);
      stores.push(store);
      await store.accounts.insert(account(ACCOUNT_A));
    }
    expect(existsSync(join(dir, 'a.db'))).toBe(true);
    expect(existsSync(join(dir, 'nested', 'b.db'))).toBe(true);
  });

  it('opens PostgreSQL for postgres:// and postgresql:// URLs', async () => {
    const schema = randomSchema();
    try {
      // Opening with the schema option first creates the schema the URLs then name.
      const direct = await openPostgresStore(POSTGRES_URL, { schema });
      stores.push(direct);
      const searchPath = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      const url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}${searchPath}`;
      const rest = url.replace(/^postgres(ql)?:/, '');
      const viaPostgres = await openStore(`postgres:${rest}`);
      stores.push(viaPostgres);
      const viaPostgresql = await openStore(`postgresql:${rest}`);
      stores.push(viaPostgresql);

      await viaPostgres.accounts.insert(account(ACCOUNT_A));
      await viaPostgresql.accounts.insert(account(ACCOUNT_B));
      expect((await direct.accounts.list()).map((a) => a.id)).toEqual([ACCOUNT_A, ACCOUNT_B]);
    } finally {
      for (const store of stores.splice(0)) await store.close();
      await dropSchema(schema);
    }
  });

  it('rejects an empty setting and other URL schemes', async () => {
    await expect(openStore('')).rejects.toThrow(/empty/);
    await expect(openStore('mysql://root@localhost/goldsmith')).rejects.toThrow(/unsupported/);
  });
});
