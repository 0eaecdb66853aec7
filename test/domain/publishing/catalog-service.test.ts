import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { LoadFormEntry } from '../../../src/domain/publishing/publishing-types.js';
import {
  BUYER,
  entry,
  OPERATOR,
  openWorld,
  OTHER_SELLER,
  SELLER,
  TESTER,
  workbookOf,
  type PublishingWorld,
} from './publishing-fixtures.js';

describe('the product catalog and subscriptions', () => {
  let world: PublishingWorld;

  async function publish(entries: LoadFormEntry[]): Promise<void> {
    world.clock.advance(60_000);
    const submitted = await world.submissions.submit(SELLER, workbookOf(entries));
    await world.review.start(OPERATOR, submitted.id);
    await world.review.publish(OPERATOR, submitted.id);
  }

  beforeEach(async () => {
    world = await openWorld();
    await world.addGroup('acme-db');
    await world.addGroup('acme-mon', { osVersions: ['debian-11'] });
    await world.addGroup('acme-db-beta', { osVersions: ['debian-11'] });
    await publish([entry()]);
    await publish([
      entry({
        productTitle: 'Acme Monitor',
        shortDescription: 'Watches servers',
        longDescription: 'Dashboards.',
        categories: ['Monitoring', 'DevOps'],
        searchKeywords: ['metrics'],
        vendorName: 'Acme Observability',
        packageGroupName: 'acme-mon',
        visibility: 'limited',
        testAccountIds: [TESTER],
      }),
    ]);
  });
  afterEach(async () => world.dispose());

  const titles = async (accountId: string, search = {}) =>
    (await world.catalog.search(accountId, search)).map((p) => p.title);

  it('shows a limited product only to its seller and test accounts, until made public', async () => {
    expect(await titles(BUYER)).toEqual(['Acme Database']);
    expect(await titles(TESTER)).toEqual(['Acme Database', 'Acme Monitor']);
    expect(await titles(SELLER)).toEqual(['Acme Database', 'Acme Monitor']);

    const [monitor] = (await world.catalog.sellerProducts(SELLER)).filter(
      (p) => p.title === 'Acme Monitor',
    );
    const option = monitor!.versions[0]!.fulfillmentOptions[0]!;
    expect(option.testAccountIds).toEqual([TESTER]);
    // Other buyers never see the seller's test accounts.
    const seenByTester = await world.catalog.show(TESTER, monitor!.id);
    expect(seenByTester.versions[0]!.fulfillmentOptions[0]!.testAccountIds).toEqual([]);
    await expect(world.catalog.show(BUYER, monitor!.id)).rejects.toMatchObject({
      code: 'PRODUCT_NOT_FOUND',
    });
    await expect(world.catalog.show(BUYER, 'prod-missing')).rejects.toMatchObject({
      code: 'PRODUCT_NOT_FOUND',
    });

    await expect(world.catalog.makePublic(OTHER_SELLER, option.id)).rejects.toMatchObject({
      code: 'FULFILLMENT_OPTION_NOT_FOUND',
    });
    expect(await world.catalog.makePublic(SELLER, option.id)).toMatchObject({
      visibility: 'public',
    });
    expect(await titles(BUYER)).toEqual(['Acme Database', 'Acme Monitor']);
    expect((await world.catalog.show(BUYER, monitor!.id)).versions[0]!.fulfillmentOptions).toEqual([
      expect.objectContaining({ id: option.id, osVersions: ['debian-11'] }),
    ]);
  });

  it('shows a new version’s images right away, but only the visible options of it', async () => {
    await publish([
      entry({
        softwareVersion: '2.0-beta',
        packageGroupName: 'acme-db-beta',
        visibility: 'limited',
      }),
    ]);
    const [db] = await world.catalog.search(BUYER, { text: 'acme database' });
    const versions = (p: typeof db) =>
      p!.versions.map((v) => [
        v.version,
        v.fulfillmentOptions.length,
        v.testedOn.map((t) => t.osVersion),
      ]);
    // The beta's image is visible to buyers at once; its limited option is not.
    expect(versions(db)).toEqual([
      ['1.0', 1, ['debian-12', 'debian-13']],
      ['2.0-beta', 0, ['debian-11']],
    ]);
    expect(db!.versions[1]!.testedOn[0]!.imageId).toMatch(/^img-/);
    const [own] = await world.catalog.search(SELLER, { text: 'acme database' });
    expect(versions(own)).toEqual([
      ['1.0', 1, ['debian-12', 'debian-13']],
      ['2.0-beta', 1, ['debian-11']],
    ]);
    // Only the limited beta and the limited monitor run on debian-11.
    expect(await titles(BUYER, { osVersion: 'debian-11' })).toEqual([]);
    expect(await titles(SELLER, { osVersion: 'debian-11' })).toEqual([
      'Acme Database',
      'Acme Monitor',
    ]);
  });

  it('searches text case-insensitively and filters by category, delivery method and OS', async () => {
    expect(await titles(TESTER, { text: 'METRICS' })).toEqual(['Acme Monitor']);
    expect(await titles(TESTER, { text: 'observability' })).toEqual(['Acme Monitor']);
    expect(await titles(TESTER, { text: 'rows quickly' })).toEqual(['Acme Database']);
    expect(await titles(TESTER, { text: 'acme' })).toEqual(['Acme Database', 'Acme Monitor']);
    expect(await titles(TESTER, { text: 'nothing like it' })).toEqual([]);
    expect(await titles(TESTER, { category: 'DevOps' })).toEqual(['Acme Monitor']);
    expect(await titles(TESTER, { category: 'Storage' })).toEqual([]);
    expect(await titles(TESTER, { deliveryMethod: 'private-image-build' })).toHaveLength(2);
    expect(await titles(TESTER, { deliveryMethod: 'ami' })).toEqual([]);
    expect(await titles(TESTER, { osVersion: 'debian-11' })).toEqual(['Acme Monitor']);
    expect(await titles(TESTER, { osVersion: 'debian-12', text: 'acme' })).toEqual([
      'Acme Database',
    ]);
  });

  it('subscribes a buyer once per product, accepting the EULA, to visible products only', async () => {
    const [db] = await world.catalog.search(BUYER, { text: 'database' });
    await expect(world.subscriptions.subscribe(BUYER, db!.id, false)).rejects.toMatchObject({
      code: 'TERMS_NOT_ACCEPTED',
    });
    expect(await world.subscriptions.hasSubscription(BUYER, db!.id)).toBe(false);

    const first = await world.subscriptions.subscribe(BUYER, db!.id, true);
    expect(first.created).toBe(true);
    expect(first.subscription).toMatchObject({
      buyerAccountId: BUYER,
      productId: db!.id,
      eulaUrl: 'https://acme.test/eula',
    });
    const again = await world.subscriptions.subscribe(BUYER, db!.id, true);
    expect(again).toEqual({ subscription: first.subscription, created: false });
    expect(await world.subscriptions.list(BUYER)).toEqual([first.subscription]);
    expect(await world.subscriptions.list(TESTER)).toEqual([]);
    expect(await world.subscriptions.hasSubscription(BUYER, db!.id)).toBe(true);

    const [monitor] = await world.catalog.search(TESTER, { text: 'monitor' });
    await expect(world.subscriptions.subscribe(BUYER, monitor!.id, true)).rejects.toMatchObject({
      code: 'PRODUCT_NOT_FOUND',
    });
    expect((await world.subscriptions.subscribe(TESTER, monitor!.id, true)).created).toBe(true);
  });
});
