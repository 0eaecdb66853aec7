import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { FulfillmentOption } from '../../../src/domain/publishing/publishing-types.js';
import { ReviewService } from '../../../src/domain/publishing/review-service.js';
import type { Store } from '../../../src/store/store.js';
import {
  entry,
  OPERATOR,
  openWorld,
  SELLER,
  workbookOf,
  type PublishingWorld,
} from './publishing-fixtures.js';

describe('reviewing load form submissions', () => {
  let world: PublishingWorld;
  beforeEach(async () => {
    world = await openWorld();
    await world.addGroup('acme-db');
    await world.addGroup('acme-db-arm', { osVersions: ['debian-12'] });
  });
  afterEach(async () => world.dispose());

  const submit = () =>
    world.submissions.submit(
      SELLER,
      workbookOf([
        entry({ visibility: 'limited' }),
        entry({ row: 3, packageGroupName: 'acme-db-arm' }),
      ]),
    );

  it('goes Submitted → UnderReview → NeedsClarification → UnderReview → Published, keeping the conversation', async () => {
    const submitted = await submit();
    expect((await world.review.queue('Submitted')).map((s) => s.id)).toEqual([submitted.id]);

    const started = await world.review.start(OPERATOR, submitted.id);
    expect(started.state).toBe('UnderReview');
    const asked = await world.review.clarify(OPERATOR, submitted.id, 'Which port?');
    expect(asked.state).toBe('NeedsClarification');
    const answered = await world.submissions.answer(SELLER, submitted.id, 'Port 5000.');
    expect(answered.state).toBe('UnderReview');
    const published = await world.review.publish(OPERATOR, submitted.id, 'Looks good');
    expect(published.state).toBe('Published');

    const stored = await world.submissions.get(SELLER, submitted.id);
    expect(stored.state).toBe('Published');
    expect(stored.conversation.map((m) => [m.author, m.kind, m.text])).toEqual([
      ['operator', 'note', 'review started'],
      ['operator', 'question', 'Which port?'],
      ['seller', 'answer', 'Port 5000.'],
      ['operator', 'published', 'Looks good'],
    ]);
    expect(await world.review.queue('Submitted')).toEqual([]);
    expect((await world.review.queue(null)).map((s) => s.id)).toEqual([submitted.id]);

    // One product, one version, one option per group with the Successful builds' OS and images.
    const [product] = await world.catalog.sellerProducts(SELLER);
    expect(product).toMatchObject({ title: 'Acme Database', vendorName: 'Acme Corp' });
    expect(product!.versions).toHaveLength(1);
    const options = [...product!.versions[0]!.fulfillmentOptions].sort((a, b) =>
      a.packageGroupName.localeCompare(b.packageGroupName),
    );
    expect(
      options.map((o) => [o.packageGroupName, o.visibility, o.osVersions, o.imageIds]),
    ).toEqual([
      [
        'acme-db',
        'limited',
        ['debian-12', 'debian-13'],
        ['img-pg-1-debian-12', 'img-pg-1-debian-13'],
      ],
      ['acme-db-arm', 'public', ['debian-12'], ['img-pg-2-debian-12']],
    ]);
  });

  it('rejects from any open state, and refuses illegal transitions with SUBMISSION_STATE_CONFLICT', async () => {
    const submitted = await submit();
    const conflict = { code: 'SUBMISSION_STATE_CONFLICT' };
    await expect(world.review.clarify(OPERATOR, submitted.id, 'q')).rejects.toMatchObject(conflict);
    await expect(world.review.publish(OPERATOR, submitted.id)).rejects.toMatchObject(conflict);
    await expect(world.submissions.answer(SELLER, submitted.id, 'a')).rejects.toMatchObject(
      conflict,
    );
    await world.review.start(OPERATOR, submitted.id);
    await expect(world.review.start(OPERATOR, submitted.id)).rejects.toMatchObject(conflict);
    await world.review.clarify(OPERATOR, submitted.id, 'q');
    await expect(world.review.publish(OPERATOR, submitted.id)).rejects.toMatchObject(conflict);

    const rejected = await world.review.reject(OPERATOR, submitted.id, 'No EULA');
    expect(rejected.state).toBe('Rejected');
    expect(rejected.conversation.at(-1)).toMatchObject({ kind: 'rejected', text: 'No EULA' });
    for (const action of [
      () => world.review.start(OPERATOR, submitted.id),
      () => world.review.publish(OPERATOR, submitted.id),
      () => world.review.reject(OPERATOR, submitted.id, 'again'),
      () => world.submissions.answer(SELLER, submitted.id, 'a'),
      () =>
        world.submissions.correct(SELLER, submitted.id, {
          fileName: 'x.xlsx',
          data: Buffer.from('x'),
          entries: [entry()],
        }),
    ]) {
      await expect(action()).rejects.toMatchObject(conflict);
    }
    await expect(world.review.start(OPERATOR, 'lfs-missing')).rejects.toMatchObject({
      code: 'SUBMISSION_NOT_FOUND',
    });
  });

  it('takes a corrected form: checked again, entries and workbook replaced, back to UnderReview', async () => {
    const submitted = await submit();
    await world.review.start(OPERATOR, submitted.id);
    await world.review.clarify(OPERATOR, submitted.id, 'Use version 1.1');
    await expect(
      world.submissions.correct(SELLER, submitted.id, {
        fileName: 'bad.xlsx',
        data: Buffer.from('bad'),
        entries: [entry({ packageGroupName: 'nope' })],
      }),
    ).rejects.toMatchObject({ code: 'LOAD_FORM_INVALID' });

    const corrected = await world.submissions.correct(SELLER, submitted.id, {
      fileName: 'fixed.xlsx',
      data: Buffer.from('fixed'),
      entries: [entry({ softwareVersion: '1.1' })],
    });
    expect(corrected).toMatchObject({ state: 'UnderReview', fileName: 'fixed.xlsx' });
    expect(corrected.workbookDigest).not.toBe(submitted.workbookDigest);
    expect(corrected.entries.map((e) => e.softwareVersion)).toEqual(['1.1']);
    expect(corrected.conversation.at(-1)).toMatchObject({
      kind: 'corrected-form',
      author: 'seller',
    });
    await world.review.publish(OPERATOR, submitted.id);
    const [product] = await world.catalog.sellerProducts(SELLER);
    expect(product!.versions.map((v) => v.version)).toEqual(['1.1']);
  });

  it('checks the rules again at publish time', async () => {
    const submitted = await submit();
    await world.review.start(OPERATOR, submitted.id);
    // Another submission publishes version 1.0 first.
    const first = await world.submissions.submit(SELLER, workbookOf([entry()]));
    await world.review.start(OPERATOR, first.id);
    await world.review.publish(OPERATOR, first.id);

    await expect(world.review.publish(OPERATOR, submitted.id)).rejects.toMatchObject({
      code: 'SUBMISSION_NO_LONGER_VALID',
      details: {
        problems: expect.arrayContaining([
          expect.objectContaining({ row: 2, column: 'Software version' }),
        ]) as unknown,
      },
    });
    expect((await world.submissions.get(SELLER, submitted.id)).state).toBe('UnderReview');
  });

  it('publishes all or nothing: a failing second option leaves no product behind', async () => {
    const submitted = await submit();
    await world.review.start(OPERATOR, submitted.id);
    const review = new ReviewService(failingSecondOption(world.store), world.clock);
    await expect(review.publish(OPERATOR, submitted.id)).rejects.toThrow('disk full');

    expect(await world.store.products.listProducts(null)).toEqual([]);
    expect(await world.catalog.sellerProducts(SELLER)).toEqual([]);
    expect((await world.submissions.get(SELLER, submitted.id)).state).toBe('UnderReview');

    // The real store publishes it afterwards.
    await world.review.publish(OPERATOR, submitted.id);
    expect(await world.store.products.listProducts(SELLER)).toHaveLength(1);
  });
});

/** The store, except that inside a transaction the second option insert fails. */
function failingSecondOption(store: Store): Store {
  return {
    ...store,
    close: () => store.close(),
    transaction: (work) =>
      store.transaction((tx) => {
        let inserted = 0;
        const insertOption = async (option: FulfillmentOption) => {
          inserted += 1;
          if (inserted === 2) throw new Error('disk full');
          return tx.products.insertOption(option);
        };
        const products = new Proxy(tx.products, {
          get: (target, property) => {
            if (property === 'insertOption') return insertOption;
            const value: unknown = Reflect.get(target, property);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
        return work({
          ...tx,
          products,
          transaction: tx.transaction.bind(tx),
          close: tx.close.bind(tx),
        });
      }),
  };
}
