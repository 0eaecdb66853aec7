import { beforeEach, describe, expect, it } from 'vitest';

import type {
  FulfillmentOption,
  LoadFormSubmission,
  Product,
} from '../../src/domain/publishing/publishing-types.js';
import {
  freshStoreEachTest,
  postgresHarness,
  sqliteHarness,
  type HarnessFactory,
  at,
} from './store-harnesses.js';

const SELLER = '100000000001';
const BUYER = '100000000002';

function submission(id: string, overrides: Partial<LoadFormSubmission> = {}): LoadFormSubmission {
  return {
    id,
    accountId: SELLER,
    description: 'first product',
    fileName: 'form.xlsx',
    workbookDigest: 'sha256:aa',
    entries: [],
    state: 'Submitted',
    submittedAt: at(0),
    targetDate: '2025-01-08',
    updatedAt: at(0),
    conversation: [],
    ...overrides,
  };
}

function product(id: string, title: string): Product {
  return {
    id,
    sellerAccountId: SELLER,
    title,
    shortDescription: 'short',
    longDescription: 'long',
    highlights: ['fast'],
    categories: ['Databases'],
    searchKeywords: ['sql'],
    vendorName: 'Acme',
    supportContact: 'help@acme.test',
    eulaUrl: 'https://acme.test/eula',
    usageInstructions: 'run it',
    createdAt: at(0),
    updatedAt: at(0),
  };
}

function option(id: string, versionId: string, groupId: string): FulfillmentOption {
  return {
    id,
    productId: 'prod-1',
    versionId,
    deliveryMethod: 'private-image-build',
    packageGroupId: groupId,
    packageGroupName: groupId,
    osVersions: ['debian-12'],
    imageIds: ['img-1'],
    visibility: 'limited',
    testAccountIds: [BUYER],
    createdAt: at(1),
  };
}

/** The publishing repositories' contract: every Store implementation must pass all of it. */
function describePublishingContract(engine: string, createHarness: HarnessFactory): void {
  describe(`publishing repositories contract: ${engine}`, () => {
    const fresh = freshStoreEachTest(createHarness);

    beforeEach(async () => {
      const { store } = fresh;
      for (const id of [SELLER, BUYER]) {
        await store.accounts.insert({ id, name: id, roles: ['seller'], createdAt: at(0) });
      }
      for (const groupId of ['pg-1', 'pg-2']) {
        await store.packageGroups.insertReservingName({
          id: groupId,
          accountId: SELLER,
          name: groupId,
          platform: 'linux',
          osVersions: ['debian-12'],
          packages: [],
          createdAt: at(0),
          deletedAt: null,
        });
      }
    });

    it('round-trips submissions, scoped per account, listed per account and by state', async () => {
      const first = submission('lfs-1', {
        conversation: [
          { at: at(0), accountId: SELLER, author: 'seller', kind: 'answer', text: 'hi' },
        ],
      });
      await fresh.store.submissions.insert(first);
      await fresh.store.submissions.insert(
        submission('lfs-2', { submittedAt: at(5), state: 'Rejected' }),
      );

      expect(await fresh.store.submissions.get(SELLER, 'lfs-1')).toEqual(first);
      expect(await fresh.store.submissions.get(BUYER, 'lfs-1')).toBeUndefined();
      expect(await fresh.store.submissions.get(null, 'lfs-1')).toEqual(first);
      expect((await fresh.store.submissions.listForAccount(SELLER)).map((s) => s.id)).toEqual([
        'lfs-2',
        'lfs-1',
      ]);
      expect((await fresh.store.submissions.listByState(null)).map((s) => s.id)).toEqual([
        'lfs-1',
        'lfs-2',
      ]);
      expect((await fresh.store.submissions.listByState('Submitted')).map((s) => s.id)).toEqual([
        'lfs-1',
      ]);
    });

    it('updates a submission only while it is as the caller read it', async () => {
      await fresh.store.submissions.insert(submission('lfs-1'));
      const update = {
        state: 'UnderReview' as const,
        updatedAt: at(1),
        conversation: [],
        entries: [],
        fileName: 'fixed.xlsx',
      };
      expect(
        await fresh.store.submissions.update(
          'lfs-1',
          { state: 'Submitted', updatedAt: at(0) },
          update,
        ),
      ).toBe(true);
      // The same expectation again is stale now.
      expect(
        await fresh.store.submissions.update(
          'lfs-1',
          { state: 'Submitted', updatedAt: at(0) },
          update,
        ),
      ).toBe(false);
      const stored = await fresh.store.submissions.get(null, 'lfs-1');
      expect(stored).toMatchObject({
        state: 'UnderReview',
        fileName: 'fixed.xlsx',
        updatedAt: at(1),
      });
      expect(stored?.workbookDigest).toBe('sha256:aa');
    });

    it('keeps products, versions and options, unique per title, version and group', async () => {
      await fresh.store.products.insertProduct(product('prod-1', 'Acme DB'));
      await expect(
        fresh.store.products.insertProduct(product('prod-2', 'Acme DB')),
      ).rejects.toThrow();
      await fresh.store.products.insertVersion({
        id: 'ver-1',
        productId: 'prod-1',
        version: '1.0',
        releaseNotes: 'first',
        createdAt: at(0),
      });
      await expect(
        fresh.store.products.insertVersion({
          id: 'ver-2',
          productId: 'prod-1',
          version: '1.0',
          releaseNotes: 'again',
          createdAt: at(0),
        }),
      ).rejects.toThrow();
      await fresh.store.products.insertOption(option('fo-1', 'ver-1', 'pg-1'));
      await expect(
        fresh.store.products.insertOption(option('fo-2', 'ver-1', 'pg-1')),
      ).rejects.toThrow();
      await fresh.store.products.insertOption(option('fo-3', 'ver-1', 'pg-2'));

      expect(await fresh.store.products.findProductByTitle(SELLER, 'Acme DB')).toEqual(
        product('prod-1', 'Acme DB'),
      );
      expect(await fresh.store.products.findProductByTitle(BUYER, 'Acme DB')).toBeUndefined();
      expect((await fresh.store.products.listProducts(SELLER)).map((p) => p.id)).toEqual([
        'prod-1',
      ]);
      expect(await fresh.store.products.listProducts(BUYER)).toEqual([]);
      expect((await fresh.store.products.listVersions(['prod-1'])).map((v) => v.version)).toEqual([
        '1.0',
      ]);
      expect(await fresh.store.products.listOptions([])).toEqual([]);
      expect((await fresh.store.products.listOptions(['prod-1'])).map((o) => o.id)).toEqual([
        'fo-1',
        'fo-3',
      ]);
      expect(await fresh.store.products.getOption('fo-1')).toEqual(option('fo-1', 'ver-1', 'pg-1'));

      expect(await fresh.store.products.makeOptionPublic('fo-1')).toBe(true);
      expect(await fresh.store.products.makeOptionPublic('fo-missing')).toBe(false);
      expect(await fresh.store.products.getOption('fo-1')).toMatchObject({
        visibility: 'public',
        testAccountIds: [],
      });

      await fresh.store.products.updateProduct({
        ...product('prod-1', 'Acme DB 2'),
        updatedAt: at(9),
      });
      expect(await fresh.store.products.getProduct('prod-1')).toMatchObject({
        title: 'Acme DB 2',
        createdAt: at(0),
        updatedAt: at(9),
      });
    });

    it('rolls back a product, its version and options together', async () => {
      await expect(
        fresh.store.transaction(async (tx) => {
          await tx.products.insertProduct(product('prod-1', 'Acme DB'));
          await tx.products.insertVersion({
            id: 'ver-1',
            productId: 'prod-1',
            version: '1.0',
            releaseNotes: '',
            createdAt: at(0),
          });
          await tx.products.insertOption(option('fo-1', 'ver-1', 'pg-1'));
          await tx.products.insertOption(option('fo-2', 'ver-1', 'pg-1'));
        }),
      ).rejects.toThrow();
      expect(await fresh.store.products.getProduct('prod-1')).toBeUndefined();
      expect(await fresh.store.products.listVersions(['prod-1'])).toEqual([]);
      expect(await fresh.store.products.getOption('fo-1')).toBeUndefined();
    });

    it('keeps one subscription per buyer and product', async () => {
      await fresh.store.products.insertProduct(product('prod-1', 'Acme DB'));
      const first = {
        id: 'sub-1',
        buyerAccountId: BUYER,
        productId: 'prod-1',
        eulaUrl: 'https://acme.test/eula',
        createdAt: at(1),
      };
      expect(await fresh.store.subscriptions.insertIfAbsent(first)).toEqual(first);
      expect(
        await fresh.store.subscriptions.insertIfAbsent({ ...first, id: 'sub-2', createdAt: at(2) }),
      ).toEqual(first);
      expect(await fresh.store.subscriptions.get(BUYER, 'prod-1')).toEqual(first);
      expect(await fresh.store.subscriptions.get(SELLER, 'prod-1')).toBeUndefined();
      expect(await fresh.store.subscriptions.list(BUYER)).toEqual([first]);
      expect(await fresh.store.subscriptions.list(SELLER)).toEqual([]);
    });
  });
}

describePublishingContract('SQLite', sqliteHarness);
describePublishingContract('PostgreSQL', postgresHarness);
